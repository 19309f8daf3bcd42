"""Emergency access and registrations of already-registered persons: the checks around them
(reason, throttle, daily count), the alert to the organisation's admins, and their review queue.
See docs/emergency-access.md.

Both are the ways a user can reach a patient without a care relation, and both would tell a user
who guesses national identity numbers who is registered (a cancer patient). So they share one
per-user daily count, taken under a lock on the user's row, and one review queue for the user's
organisation admin; and every attempt, whether or not the number is registered, is throttled per
user, per organisation and per FHIR client, and counted the same way.
"""

import logging
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Membership, Role
from audit import services as audit
from audit.models import AuditEntry
from patients.models import EmergencyAccess, Patient, Registration

logger = logging.getLogger(__name__)

KIND_EMERGENCY = "emergency"
KIND_REGISTRATION = "registration"
MODELS = {KIND_EMERGENCY: EmergencyAccess, KIND_REGISTRATION: Registration}


class Throttled(PermissionDenied):
    """Too many attempts in the throttle window; the caller answers 429 or a message."""


class AlreadyReviewed(ValidationError):
    """Someone else reviewed the entry first (the row lock decided)."""


# --- The reason --------------------------------------------------------------------------------

_LETTERS = re.compile(r"\w", re.UNICODE)


def check_reason(reason):
    """The reason, stripped, or a ValidationError with a message the user can act on: at least
    EMERGENCY_REASON_MIN_LENGTH and at most EMERGENCY_REASON_MAX_LENGTH characters, in at least
    two words, and not one or a few characters typed over and over ('aaaa…', 'asdasdasd…')."""
    reason = (reason or "").strip()
    minimum, maximum = settings.EMERGENCY_REASON_MIN_LENGTH, settings.EMERGENCY_REASON_MAX_LENGTH
    if len(reason) > maximum:
        raise ValidationError(
            _("Write the reason in at most %(max)d characters (you wrote %(count)d).")
            % {"max": maximum, "count": len(reason)},
            code="max_length",
        )
    if len(reason) < minimum:
        raise ValidationError(
            ngettext(
                "Write a little more: at least %(min)d character describing the clinical situation.",
                "Write a little more: at least %(min)d characters describing the clinical situation.",
                minimum,
            )
            % {"min": minimum},
            code="min_length",
        )
    letters = [c.lower() for c in _LETTERS.findall(reason)]
    if len(set(letters)) < 6 or len(reason.split()) < 2 or max(map(letters.count, set(letters))) > len(letters) / 2:
        raise ValidationError(
            _("Describe the clinical situation in words: the reason is read by your administrator and the patient."),
            code="junk",
        )
    return reason


# --- Throttle ----------------------------------------------------------------------------------


def _throttle():
    from lib import throttle  # the shared limiter (lib/throttle.py)

    return throttle


def throttle(actor, what, *, request=None):
    """Count one attempt to register or break the glass (`what`) for the user, the organisation
    and, through the FHIR API, the client; refuse (audited) past any of the configured limits.
    Every attempt counts, whether or not the number given is registered."""
    limiter = _throttle()
    window = settings.IDENTITY_THROTTLE_WINDOW
    keys = [
        ("identity-user", str(actor.user.pk), settings.IDENTITY_THROTTLE_PER_USER),
        ("identity-org", str(actor.organisation.pk), settings.IDENTITY_THROTTLE_PER_ORGANISATION),
    ]
    client = getattr(actor, "client", None)
    if client is not None:
        keys.append(("identity-client", str(client.pk), settings.IDENTITY_THROTTLE_PER_CLIENT))
    # Every key counts the attempt (no short-circuit), so that a refused one still counts everywhere.
    allowed = [limiter.hit(scope, key, limit=limit, window=window) for scope, key, limit in keys]
    if not all(allowed):
        audit.record(actor, audit.Action.DENIED, object_type=what, detail="throttled", request=request)
        logger.warning("identity attempts throttled (%s, organisation %s)", what, actor.organisation.pk)
        raise Throttled(_("Too many attempts. Wait a while and try again, or ask your administrator."))


# --- The daily count ---------------------------------------------------------------------------


def _start_of_day(now=None):
    local = timezone.localtime(now or timezone.now())
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def count_today(user, now=None):
    since = _start_of_day(now)
    return (
        EmergencyAccess.objects.filter(user=user, created_at__gte=since).count()
        + Registration.objects.filter(user=user, known=True, created_at__gte=since).count()
    )


def take_count(actor):
    """Lock the user's row (the one lock every emergency access and known registration of the user
    takes, so two at once count one after the other) and say whether one more is past the daily
    count. Call inside the transaction that writes the row."""
    User = get_user_model()
    list(User.objects.select_for_update(no_key=True).filter(pk=actor.user.pk).values_list("pk", flat=True))
    return count_today(actor.user) >= settings.EMERGENCY_DAILY_CAP


def org_admin_emails(organisation):
    return sorted(
        set(
            Membership.objects.filter(organisation=organisation, role=Role.ORG_ADMIN, is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def alert_admins(actor, kind):
    """E-mail the organisation's admins (after commit) that a user went past the daily count. No
    patient data: the user, the count, and where to review."""
    recipients = org_admin_emails(actor.organisation)
    if not recipients:
        logger.warning("daily emergency count passed; organisation %s has no admin e-mail", actor.organisation.pk)
        return
    username = actor.user.get_username()
    subject = _("Heimveg: %(user)s went past the daily count of emergency accesses") % {"user": username}
    body = _(
        "%(user)s, acting for %(org)s, has opened more than %(cap)d patients today by emergency access or by "
        "registering a person who was already registered. The access was granted, because care cannot wait. "
        "Review it in Heimveg under Review of emergency access."
    ) % {"user": username, "org": actor.organisation.name, "cap": settings.EMERGENCY_DAILY_CAP}

    def send():
        try:
            send_mail(subject, body, None, recipients)
        except Exception:  # noqa: BLE001 - the start page shows the alert all the same
            logger.exception("the over-count alert could not be e-mailed (organisation %s)", actor.organisation.pk)

    transaction.on_commit(send)


# --- The review queue --------------------------------------------------------------------------


def queue(organisation, *, reviewed=False):
    """The emergency accesses and registrations of already-registered persons by the organisation's
    users, newest first: those waiting for review, or (reviewed=True) those reviewed."""
    items = []
    for kind, model in MODELS.items():
        rows = model.objects.filter(organisation=organisation, reviewed_at__isnull=not reviewed)
        if model is Registration:
            rows = rows.filter(known=True)
        for row in rows.select_related("user", "reviewed_by").order_by("-created_at")[:500]:
            row.kind = kind
            items.append(row)
    return sorted(items, key=lambda row: row.created_at, reverse=True)


def over_cap_waiting(organisation):
    """How many past-the-count entries still wait for review (the start page's alert)."""
    return (
        EmergencyAccess.objects.filter(organisation=organisation, over_cap=True, reviewed_at__isnull=True).count()
        + Registration.objects.filter(
            organisation=organisation, known=True, over_cap=True, reviewed_at__isnull=True
        ).count()
    )


@transaction.atomic
def review(actor, kind, public_id, comment):
    """Mark one entry reviewed, with a comment. The row is locked and read again: of two admins
    reviewing at once, the second is told who was first."""
    if actor is None or actor.role != Role.ORG_ADMIN:
        raise PermissionDenied("only an organisation admin reviews")
    model = MODELS[kind]
    row = model.objects.select_for_update().filter(public_id=public_id, organisation=actor.organisation).first()
    if row is None:
        raise PermissionDenied("not in this organisation's queue")
    if row.reviewed_at is not None:
        who = row.reviewed_by.get_username() if row.reviewed_by else "?"
        raise AlreadyReviewed(
            _("%(user)s reviewed this already, %(when)s.")
            % {"user": who, "when": timezone.localtime(row.reviewed_at).strftime("%d.%m.%Y %H:%M")}
        )
    row.reviewed_at = timezone.now()
    row.reviewed_by = actor.user
    row.review_comment = comment.strip()[: settings.EMERGENCY_REASON_MAX_LENGTH]
    row.save(update_fields=["reviewed_at", "reviewed_by", "review_comment"])
    return row


# --- The log of organisations with a relation to the patient ------------------------------------


def emergency_entries_for_organisation(organisation):
    """Audit entries of emergency access (by anyone) to patients this organisation has a care
    relation with: shown in the organisation's audit log next to its own users' entries."""
    from patients.access import care_relation_q

    patients = Patient.objects.filter(care_relation_q(organisation)).values("public_id")
    return (
        AuditEntry.objects.filter(emergency=True, patient_public_id__in=patients)
        .filter(~Q(organisation=organisation) | Q(organisation__isnull=True))
        .select_related("organisation")
        .order_by("-occurred_at", "-id")
    )
