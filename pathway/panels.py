"""What outer apps add to the pathway's pages, without the pathway importing them or its templates
naming theirs (docs/architecture.md: inner layers never import outer ones).

Point loaders. An outer app registers a loader in its AppConfig.ready:

    panels.register_point_loader("portal.invitation_box", services.load_boxes)

A loader is called with the points the acting organisation can act on (several, of one enrolment)
and the enrolment's patient, and sets the attributes its panel reads on each point, in a fixed
number of queries however many points there are. The portal sets `latest_invitation` and
`patient_answers` (the invitation box), the assessment sets `assessment_started`. Loaders run in
the order they were registered; registering a name again replaces its loader.

Slots (lib.slots). An outer app registers a panel, its own template and a function of the slot's
arguments that makes the template's context, in its AppConfig.ready:

    panels.completion_fields.register("handover.completion_fields", "handover/completion_fields.html", fields)

The pathway's templates render a slot with `{% pathway_panels "completion_fields" point=... %}`
(pathway's template tags); the worklist's slots are filled by the view, which audits the patients
they show, and rendered with `{% filled_panels %}`.
"""

from collections.abc import Callable, Sequence
from typing import Any

from lib.slots import Slot

PointLoader = Callable[[Sequence[Any], Any], None]

_point_loaders: dict[str, PointLoader] = {}


def register_point_loader(name: str, loader: PointLoader) -> None:
    _point_loaders[name] = loader


def load_points(points: Sequence[Any], patient: Any) -> None:
    """Every registered panel's data for `points` (the pathway page's points to act on)."""
    for loader in _point_loaders.values():
        loader(points, patient)


# The pathway page and the pages about one point (the assessment's). The arguments each slot's
# functions get are named after the slot.

# (point): the point's title in the pathway page's table, as a link to the point's own page (the
# assessment). Unfilled, the title is shown as text.
point_title = Slot("pathway.point_title")
# (point, patient, can_act): the step "Prepare" of a point (the portal's invitation box).
prepare_step = Slot("pathway.prepare_step")
# (point): the step "Hold the conversation" of a point (the link to the assessment).
conversation_step = Slot("pathway.conversation_step")
# (point, form, actor): fields of a form that completes a point, inside the form (handover: who
# gets the message, a note for it, more receivers). `form` is a pathway.forms.HandoverFields.
completion_fields = Slot("pathway.completion_fields")
# (point, actor): a point's panels after the points (handover: "Correct the completion").
point_corrections = Slot("pathway.point_corrections")
# (enrolment, actor): sections of the pathway page above the timeline (handover: the messages).
enrolment_sections = Slot("pathway.enrolment_sections")

# The worklist, filled by its view before the page renders: (request, actor). The values of each
# panel must hold `patients`, the public ids of the patients it shows (empty for counts only),
# which the view writes to the audit log with its own lists.

# Above the lists (handover: the count of messages to acknowledge).
worklist_alerts = Slot("pathway.worklist_alerts")
# After the collaboration points (handover: patients handed over lately).
worklist_sections = Slot("pathway.worklist_sections")

SLOTS = {
    slot.name.removeprefix("pathway."): slot
    for slot in (
        point_title,
        prepare_step,
        conversation_step,
        completion_fields,
        point_corrections,
        enrolment_sections,
        worklist_alerts,
        worklist_sections,
    )
}
