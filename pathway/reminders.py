"""The nightly status update: mark open collaboration points due or overdue and tell each
responsible organisation's contact points, once per change. The e-mail carries counts and a
link to the worklist, never a patient's name or number."""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, F
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from directory.models import Organisation
from pathway.models import CollaborationPoint
from pathway.worklists import active_open_points, with_status

NOTIFIED = ("due", "overdue")


@dataclass
class ReminderRun:
    marked: int = 0
    emails: int = 0


@transaction.atomic
def run(today) -> ReminderRun:
    """Idempotent: a second run on the same day finds nothing changed and sends nothing. The
    work is set-based (a count per organisation and status, one UPDATE per status), so it stays
    cheap with a whole country's open points."""
    changed = (
        with_status(active_open_points(), today)
        .filter(window_opens__lte=today, current_status__in=NOTIFIED)
        .exclude(notified_status=F("current_status"))
    )
    counts = defaultdict(lambda: dict.fromkeys(NOTIFIED, 0))
    for row in changed.values("responsible_organisation", "current_status").annotate(n=Count("id")):
        counts[row["responsible_organisation"]][row["current_status"]] = row["n"]
    result = ReminderRun()
    for status in NOTIFIED:
        subset = changed.filter(current_status=status).values("pk")
        result.marked += CollaborationPoint.objects.filter(pk__in=subset).update(notified_status=status)
    organisations = Organisation.objects.filter(pk__in=counts).prefetch_related("contact_points")
    for organisation in organisations:
        recipients = sorted({cp.email for cp in organisation.contact_points.all() if cp.email})
        if recipients:
            _send(organisation, counts[organisation.pk], recipients)
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
