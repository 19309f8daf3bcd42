"""The home page's "your work": counts of what the acting organisation should do (overdue and due
points, received handover messages to acknowledge, patients waiting to be offered the pathway, a
GP's listed patients in the pathway), each linking to the filtered worklist or inbox, and the few
most urgent points.

Built from the worklist's and the inbox's own queries (pathway.worklists, handover.services), so
the home page and the lists agree. Counts show no patient; the urgent rows do, and the view writes
them to the audit log as one list entry, as the worklist does."""

from dataclasses import dataclass, field

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import ngettext_lazy

from directory.models import Organisation
from handover import services as handover
from pathway import worklists

Kind = Organisation.Kind
# Points shown by name on the home page (the most urgent first); the worklist shows the rest.
URGENT_ROWS = 5


@dataclass
class Tally:
    """One kind of work: how many, in words, and where the list of them is."""

    key: str
    count: int
    text: str
    url: str
    urgent: bool = False


@dataclass
class Work:
    tallies: list[Tally] = field(default_factory=list)
    points: list = field(default_factory=list)

    @property
    def shown_patients(self):
        return [point.enrolment.patient.public_id for point in self.points]

    @property
    def nothing(self):
        return not any(t.count for t in self.tallies)


def _worklist(**query):
    url = reverse("pathway:worklist")
    return f"{url}?{'&'.join(f'{k}={v}' for k, v in query.items())}" if query else url


def _point_counts(organisation, today):
    """{"overdue": n, "due": n} in one query over the worklist's open points."""
    points = worklists.open_points(organisation, today, horizon_weeks=0).order_by()
    return points.aggregate(
        overdue=Count("id", filter=worklists.status_filter("overdue", today)),
        due=Count("id", filter=worklists.status_filter("due", today)),
    )


def _urgent_points(organisation, today):
    """The overdue and due points whose window closes first (the worklist's default order)."""
    points = worklists.open_points(organisation, today, horizon_weeks=0).filter(window_opens__lte=today)
    rows = list(points[:URGENT_ROWS])
    for point in rows:
        point.current_status = point.status(today)
    return rows


def for_actor(actor, today):
    """The acting organisation's work today, for a clinical role (others have none here)."""
    work = Work()
    if not actor.is_clinical:
        return work
    organisation = actor.organisation
    messages = handover.summary(organisation, today)
    inbox = reverse("handover:inbox")
    if organisation.kind == Kind.GP_OFFICE:
        listed = worklists.gp_patients(organisation).order_by().count()
        work.tallies.append(
            Tally(
                "listed",
                listed,
                ngettext_lazy("listed patient in the pathway", "listed patients in the pathway", listed),
                _worklist(),
            )
        )
    else:
        counts = _point_counts(organisation, today)
        work.tallies += [
            Tally(
                "overdue",
                counts["overdue"],
                ngettext_lazy("overdue point", "overdue points", counts["overdue"]),
                _worklist(status="overdue"),
                urgent=True,
            ),
            Tally(
                "due",
                counts["due"],
                ngettext_lazy("point due now", "points due now", counts["due"]),
                _worklist(status="due"),
            ),
        ]
        if organisation.kind in (Kind.HOSPITAL, Kind.HEALTH_TRUST):
            waiting = worklists.not_yet_offered(organisation, today).order_by().count()
            work.tallies.append(
                Tally(
                    "not_offered",
                    waiting,
                    ngettext_lazy(
                        "patient waiting to be offered the pathway",
                        "patients waiting to be offered the pathway",
                        waiting,
                    ),
                    _worklist() + "#not-offered-heading",
                )
            )
        work.points = _urgent_points(organisation, today)
    work.tallies.append(
        Tally(
            "messages",
            messages["waiting"],
            ngettext_lazy("message to acknowledge", "messages to acknowledge", messages["waiting"]),
            inbox,
        )
    )
    if messages["alerts"]:
        work.tallies.append(
            Tally(
                "alerts",
                messages["alerts"],
                ngettext_lazy(
                    "message needs attention (late or not delivered)",
                    "messages need attention (late or not delivered)",
                    messages["alerts"],
                ),
                inbox + "#alerts-heading",
                urgent=True,
            )
        )
    return work
