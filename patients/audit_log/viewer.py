"""What an organisation's audit log shows (patients.audit_log.views.organisation_log), and for whom names."""

import datetime

from django.db.models import Q
from django.utils import timezone

from accounts.models import Membership, User
from audit.models import AuditEntry
from patients import access
from patients.emergency import emergency_entries_for_organisation


def log_entries(organisation):
    """Every entry the organisation's log shows, newest first: what users (and systems) acting for
    the organisation did, and emergency accesses by anyone else to patients the organisation has a
    care relation with (patients.emergency). The filters, paging and names below apply to both."""
    others = emergency_entries_for_organisation(organisation).order_by().values("pk")
    return (
        AuditEntry.objects.filter(Q(organisation=organisation) | Q(pk__in=others))
        .select_related("user", "organisation")
        .prefetch_related("patients")
        .order_by("-occurred_at", "-id")
    )


def others_emergency_count(organisation):
    """How many emergency accesses other organisations' users made to this organisation's patients."""
    return emergency_entries_for_organisation(organisation).count()


def members(organisation):
    """The users the user filter offers: everyone who is or was a member of the organisation."""
    ids = Membership.objects.filter(organisation=organisation).values("user_id")
    return User.objects.filter(pk__in=ids).order_by("last_name", "first_name", "username")


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def filtered(entries, data, users):
    """Apply a valid LogFilterForm's cleaned data."""
    if data.get("user"):
        user = next((u for u in users if str(u.public_id) == data["user"]), None)
        entries = entries.filter(user=user) if user else entries.none()
    if data.get("action"):
        entries = entries.filter(action=data["action"])
    if data.get("date_from"):
        entries = entries.filter(occurred_at__gte=_start_of(data["date_from"]))
    if data.get("date_to"):
        entries = entries.filter(occurred_at__lt=_start_of(data["date_to"] + datetime.timedelta(days=1)))
    if data.get("emergency"):
        entries = entries.filter(emergency=True)
    if data.get("patient"):
        entries = entries.concerning(data["patient"])  # list entries that showed the patient too
    return entries


def names_shown(actor, public_ids):
    """{public_id: patient} for those of `public_ids` whose name the actor may see in the log."""
    ids = {i for i in public_ids if i}
    if not ids:
        return {}
    return {p.public_id: p for p in access.audit_log_patients(actor).filter(public_id__in=ids)}
