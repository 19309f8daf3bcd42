"""Handover's panels on the pathway's pages (pathway.panels), registered in HandoverConfig.ready:
who a completion is handed over to (beside the completion forms), "Correct the completion", the
enrolment's messages, and on the worklist the count of messages to acknowledge and the patients
handed over lately."""

from django.utils import timezone

from directory.models import Organisation
from handover import corrections, services
from handover.correction_views import CompletionCorrectionForm, initial
from lib.paging import SIDE_LIST_SIZE, side_list


def completion_fields(point, form, actor):
    return {"point": point, "form": form, "actor": actor}


def correction_panel(point, actor):
    """Shown only to the person who recorded the completion, while it can still be corrected
    (handover.corrections)."""
    if actor is None or not corrections.can_correct(actor, point):
        return None
    declined = corrections.sharing_declined(point)
    return {
        "point": point,
        "until": corrections.correctable_until(point),
        "form": CompletionCorrectionForm(initial=initial(point), point=point, declined=declined),
        "declined": declined,
    }


def enrolment_messages(enrolment, actor):
    return {"handover_list": list(services.for_enrolment(enrolment, actor.organisation))}


def worklist_summary(request, actor):
    """Counts only (no patient is shown), with links to the messages."""
    return {**services.summary(actor.organisation, timezone.localdate()), "patients": []}


def handed_over_lately(request, actor):
    """The municipal worklist's list of patients handed over from the hospital lately, paged by its
    own parameter; the worklist audits the patients it shows."""
    if actor.organisation.kind != Organisation.Kind.MUNICIPALITY:
        return None
    page = side_list(services.handed_over_lately(actor.organisation), request.GET.get("handed_page"), SIDE_LIST_SIZE)
    query = request.GET.copy()
    query.pop("handed_page", None)
    return {
        "handed_over": page,
        "query": query.urlencode(),
        "patients": [message.enrolment.patient.public_id for message in page],
    }


def register(panels):
    """Fill the pathway's slots (`panels` is pathway.panels)."""
    panels.completion_fields.register(
        "handover.completion_fields", "handover/completion_fields.html", completion_fields
    )
    panels.point_corrections.register("handover.correction", "handover/correction_panel.html", correction_panel)
    panels.enrolment_sections.register("handover.messages", "handover/enrolment_box.html", enrolment_messages)
    panels.worklist_alerts.register("handover.summary", "handover/worklist_box.html", worklist_summary)
    panels.worklist_sections.register("handover.handed_over", "handover/handed_over_section.html", handed_over_lately)
