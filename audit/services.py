"""Recording access to patient data. Every view and change of patient data calls `record`."""

from audit.models import AuditEntry

Action = AuditEntry.Action


def _client_ip(request):
    return request.META.get("REMOTE_ADDR") if request is not None else None


def record(
    actor, action, *, patient_public_id=None, object_type="patient", detail="", emergency=False, reason="", request=None
):
    """Append one audit entry. `actor` is an accounts.actor.Actor, None for system work, or another
    actor without a user account (the patient in the portal) that names itself in `username`. An
    actor calling through the FHIR API names its system in `client_name`."""
    user = getattr(actor, "user", None)
    return AuditEntry.objects.create(
        user=user,
        username=user.get_username() if user else getattr(actor, "username", "system"),
        organisation=getattr(actor, "organisation", None),
        role=getattr(actor, "role", ""),
        client=getattr(actor, "client_name", ""),
        patient_public_id=patient_public_id,
        action=action,
        object_type=object_type,
        detail=detail[:300],
        emergency=emergency,
        reason=reason,
        ip_address=_client_ip(request),
    )


def record_many(actor, action, patient_public_ids, *, detail="", request=None):
    """One entry per patient shown, written in a single insert (list pages)."""
    user = actor.user
    entries = [
        AuditEntry(
            user=user,
            username=user.get_username(),
            organisation=actor.organisation,
            role=actor.role,
            client=getattr(actor, "client_name", ""),
            patient_public_id=public_id,
            action=action,
            object_type="patient",
            detail=detail[:300],
            ip_address=_client_ip(request),
        )
        for public_id in patient_public_ids
    ]
    AuditEntry.objects.bulk_create(entries)


def trail_for_patient(patient_public_id):
    return AuditEntry.objects.filter(patient_public_id=patient_public_id).select_related("organisation")


def entries_for_organisation(organisation):
    return AuditEntry.objects.filter(organisation=organisation).select_related("organisation")
