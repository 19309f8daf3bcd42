"""Recording access to patient data. Every view and change of patient data calls `record`; a list
page calls `record_many` once. Both write one entry, sealed into the hash chain (audit/chain.py)."""

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import HttpRequest

from audit import chain, refusals
from audit.models import AuditEntry

if TYPE_CHECKING:
    from accounts.actor import Actor
    from directory.models import Organisation

Action = AuditEntry.Action


def _client_ip(request: HttpRequest | None) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def record(
    actor: object,
    action: str,
    *,
    patient_public_id: uuid.UUID | str | None = None,
    object_type: str = "patient",
    detail: str = "",
    emergency: bool = False,
    reason: str = "",
    request: HttpRequest | None = None,
) -> AuditEntry:
    """Append one audit entry. `actor` is an accounts.actor.Actor, None for system work, or another
    actor without a user account (the patient in the portal) that names itself in `username`. An
    actor calling through the FHIR API names its system in `client_name`.

    The entry is sealed into the chain under the chain head's lock, which is held until the
    caller's transaction ends: inside a transaction, call this last, after the change's row locks."""
    refusals.note(action)  # a DENIED entry: this request's refusal is audited (audit/refusals.py)
    user = getattr(actor, "user", None)
    entry = AuditEntry(
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
    return chain.append(entry)


def record_many(
    actor: "Actor",
    action: str,
    patient_public_ids: Iterable[uuid.UUID | str],
    *,
    detail: str = "",
    request: HttpRequest | None = None,
) -> AuditEntry | None:
    """One entry for a list page that names every patient shown (in the order shown, each once),
    found per patient through AuditEntryPatient. Nothing is written for an empty list. On
    PostgreSQL the entry, its patients (one array, `unnest`) and the chain head go in one
    statement; a worklist of a hundred patients costs one entry, not a hundred."""
    shown = list(dict.fromkeys(patient_public_ids))
    if not shown:
        return None
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
    return chain.append(entry, shown)


def trail_for_patient(patient_public_id: uuid.UUID | str) -> QuerySet[AuditEntry]:
    """Every entry that concerns the patient: those about it alone and the list entries that showed
    it, newest first."""
    return AuditEntry.objects.concerning(patient_public_id).select_related("organisation", "user")


def entries_for_organisation(organisation: "Organisation") -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(organisation=organisation).select_related("organisation")
