"""The nightly status update: mark open collaboration points due or overdue and tell each
responsible organisation's contact points, once per change. The e-mail carries counts and a
link to the worklist, never a patient's name or number.

Someone is always told: an organisation with no contact-point e-mail address gets no e-mail, and
its points are not marked as notified; it gets a missing-address alert instead (shown to its admins
and the national admins), and the next night tries again, until an address exists."""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Count, F
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from directory import alerts
from directory.models import MissingAddressAlert, Organisation
from lib.links import absolute_reverse
from pathway.models import CollaborationPoint
from pathway.worklists import active_open_points, with_status

# A declined patient's hospital point comes back on the day to ask again as "ask_again", never as
# overdue (worklists.with_status); before that day it is in no reminder.
NOTIFIED = ("due", "overdue", "ask_again")
Kind = MissingAddressAlert.Kind


@dataclass
class ReminderRun:
    marked: int = 0
    emails: int = 0
    unaddressed: int = 0  # organisations that had something to be told but no e-mail address


# Any fixed number: the PostgreSQL advisory lock that lets one run of the reminders at a time.
RUN_LOCK = 4_628_020_001


def _one_run_at_a_time():
    """Two runs at once (the worker's nightly job and `schedule_nightly --now`) would both count
    the same changes and send the same e-mails: the second waits here until the first has
    committed its marks, and then finds nothing changed. On SQLite the IMMEDIATE transaction
    already serialises them."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RUN_LOCK])


@transaction.atomic
def run(today) -> ReminderRun:
    """Idempotent: a second run on the same day finds nothing changed and sends nothing, also
    when it runs at the same moment as the first. The work is set-based (a count per
    organisation and status, one UPDATE per status), so it stays cheap with a whole country's
    open points."""
    _one_run_at_a_time()
    changed = (
        with_status(active_open_points(today), today)
        .filter(window_opens__lte=today, current_status__in=NOTIFIED)
        .exclude(notified_status=F("current_status"))
    )
    counts: defaultdict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(NOTIFIED, 0))
    for row in changed.values("responsible_organisation", "current_status").annotate(n=Count("id")):
        counts[row["responsible_organisation"]][row["current_status"]] = row["n"]
    result = ReminderRun()
    addressed = []
    organisations = Organisation.objects.filter(pk__in=counts).prefetch_related("contact_points")
    for organisation in organisations:
        recipients = alerts.e_mail_addresses(organisation)
        if recipients:
            _send(organisation, counts[organisation.pk], recipients)
            alerts.resolve(organisation, Kind.REMINDER)
            addressed.append(organisation.pk)
            result.emails += 1
        else:
            alerts.raise_alert(organisation, Kind.REMINDER, count=sum(counts[organisation.pk].values()))
            result.unaddressed += 1
    for status in NOTIFIED:
        subset = changed.filter(current_status=status, responsible_organisation__in=addressed).values("pk")
        result.marked += CollaborationPoint.objects.filter(pk__in=subset).update(notified_status=status)
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
        if counts["ask_again"]:
            lines.append(
                ngettext(
                    "%(n)d patient who declined the pathway is now to be asked again.",
                    "%(n)d patients who declined the pathway are now to be asked again.",
                    counts["ask_again"],
                )
                % {"n": counts["ask_again"]}
            )
        lines.append(_("See the worklist in Heimveg: %(url)s") % {"url": absolute_reverse("pathway:worklist")})
        send_mail(
            subject=_("Heimveg: the pathway worklist of %(org)s") % {"org": organisation.name},
            message="\n\n".join(lines),
            from_email=None,
            recipient_list=recipients,
        )
