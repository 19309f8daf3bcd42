"""The nightly status update: mark open collaboration points due or overdue and tell each
responsible organisation's contact points, once per change. The e-mail carries counts and a
link to the worklist, never a patient's name or number."""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pathway.models import CollaborationPoint
from pathway.worklists import ACTIVE_FOR_RESPONSIBLE


@dataclass
class ReminderRun:
    marked: int = 0
    emails: int = 0


def _changed_points(today):
    points = (
        CollaborationPoint.objects.filter(outcome="", enrolment__ended_at__isnull=True, window_opens__lte=today)
        .filter(ACTIVE_FOR_RESPONSIBLE)
        .select_related("responsible_organisation")
    )
    for point in points.iterator():
        status = point.status(today)
        if status in ("due", "overdue") and point.notified_status != status:
            yield point, status


@transaction.atomic
def run(today) -> ReminderRun:
    """Idempotent: a second run on the same day finds nothing changed and sends nothing."""
    result = ReminderRun()
    per_organisation = defaultdict(lambda: {"due": 0, "overdue": 0})
    for point, status in _changed_points(today):
        CollaborationPoint.objects.filter(pk=point.pk).update(notified_status=status)
        per_organisation[point.responsible_organisation][status] += 1
        result.marked += 1
    for organisation, counts in per_organisation.items():
        recipients = sorted({cp.email for cp in organisation.contact_points.all() if cp.email})
        if recipients:
            _send(organisation, counts, recipients)
            result.emails += 1
    return result


def _send(organisation, counts, recipients):
    with translation.override(settings.LANGUAGE_CODE):
        lines = []
        if counts["due"]:
            lines.append(
                ngettext(
                    "%(n)d collaboration point is now due.", "%(n)d collaboration points are now due.", counts["due"]
                )
                % {"n": counts["due"]}
            )
        if counts["overdue"]:
            lines.append(
                ngettext(
                    "%(n)d collaboration point is now overdue.",
                    "%(n)d collaboration points are now overdue.",
                    counts["overdue"],
                )
                % {"n": counts["overdue"]}
            )
        lines.append(
            _("See the worklist in Heimveg: %(url)s") % {"url": settings.BASE_URL + reverse("pathway:worklist")}
        )
        send_mail(
            subject=_("Heimveg: the pathway worklist of %(org)s") % {"org": organisation.name},
            message="\n\n".join(lines),
            from_email=None,
            recipient_list=recipients,
        )
