"""Recording access to patient data. Every view and change of patient data calls `record`."""

from django.db import connections, router

from audit import refusals
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
    refusals.note(action)  # a DENIED entry: this request's refusal is audited (audit/refusals.py)
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
    """One entry per patient shown (list pages), in one statement. The entries differ only in the
    patient, so the shared columns are prepared once, without a model instance per row: a worklist
    audits a hundred patients per view, and bulk_create's hundred AuditEntry objects (and, with
    psycopg's client-side binding, parsing a statement of a thousand parameters) cost more than the
    rest of the page's queries. On PostgreSQL the patients go in as one array (`unnest`)."""
    if not patient_public_ids:
        return
    user = actor.user
    entry = AuditEntry(
        user=user,
        username=user.get_username(),
        organisation=actor.organisation,
        role=actor.role,
        client=getattr(actor, "client_name", ""),
        action=action,
        object_type="patient",
        detail=detail[:300],
        ip_address=_client_ip(request),
    )
    connection = connections[router.db_for_write(AuditEntry)]
    meta = AuditEntry._meta
    patient = meta.get_field("patient_public_id")
    shared = [f for f in meta.concrete_fields if not f.primary_key and f is not patient]
    values = [f.get_db_prep_save(f.pre_save(entry, True), connection) for f in shared]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in [*shared, patient])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            casts = ", ".join(f"%s::{f.db_type(connection)}" for f in shared)
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} ({columns}) SELECT {casts}, unnest(%s::uuid[])",
                [*values, list(patient_public_ids)],
            )
        else:
            placeholders = ", ".join(["%s"] * (len(shared) + 1))
            cursor.executemany(
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})",
                [[*values, patient.get_db_prep_save(public_id, connection)] for public_id in patient_public_ids],
            )


def trail_for_patient(patient_public_id):
    return AuditEntry.objects.filter(patient_public_id=patient_public_id).select_related("organisation")


def entries_for_organisation(organisation):
    return AuditEntry.objects.filter(organisation=organisation).select_related("organisation")
