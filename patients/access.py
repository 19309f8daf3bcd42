"""The one place that decides whether an actor may see a patient, and records that they did.

A care relation runs through the actor's current organisation and is decided by one rule, the
table in `patients.relations` (and docs/access.md): the patient's current municipality and GP
office always; the registering hospital or health trust until a period after its last pathway
for the patient ended; any organisation while it holds an open collaboration point, an
unacknowledged handover message or an open follow-up of the bereaved for the patient.
Emergency access ("break the glass") is personal to one user acting for one organisation, time
limited, and every use of it is flagged in the audit log with the reason given.

An organisation that wrote in a patient's record and has since lost its care relation (a
municipality the patient moved away from, a hospital whose period has passed) keeps read access
to what it wrote only: `decide` returns `own_records_only`, and only pages that can show just the
organisation's own entries accept that (`open_patient(..., own_records=True)`); every other page refuses it.

Views never filter patients themselves: they call `visible_patients` for lists and
`open_patient` for one patient. Both go through `care_relation_q`, so a list and a detail page
can never disagree about who may see what.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from accounts.models import CLINICAL_ROLES, Role
from audit import services as audit
from patients import relations
from patients.models import EmergencyAccess, Patient

if TYPE_CHECKING:
    from accounts.actor import Actor
    from audit.models import AuditEntry
    from directory.models import Organisation

PURPOSE_CARE = "care"
PURPOSE_AUDIT_TRAIL = "audit_trail"

# Roles allowed for each purpose; a care relation is needed as well.
PURPOSE_ROLES = {
    PURPOSE_CARE: CLINICAL_ROLES,
    PURPOSE_AUDIT_TRAIL: {Role.ORG_ADMIN},
}
# For view decorators: the roles that may open patients for care.
CARE_ROLES = tuple(sorted(CLINICAL_ROLES))


def care_relation_q(organisation: "Organisation") -> Q:
    """The care relation rule as a filter over Patient, at this moment (`patients.relations`)."""
    return relations.care_relation_q(organisation)


def author_relation_q(organisation: "Organisation") -> Q:
    """Patients whose record holds entries the organisation wrote (`patients.relations`)."""
    return relations.author_relation_q(organisation)


def _emergency_q(actor: "Actor") -> Q:
    return Q(
        emergency_accesses__user=actor.user,
        emergency_accesses__organisation=actor.organisation,
        emergency_accesses__expires_at__gt=timezone.now(),
    )


@dataclass(frozen=True)
class AccessDecision:
    allowed: bool
    emergency: bool = False
    emergency_reason: str = ""
    own_records_only: bool = False

    @property
    def full(self) -> bool:
        """Allowed to see the whole record (not only the organisation's own entries)."""
        return self.allowed and not self.own_records_only


def decide(actor: "Actor | None", patient: Patient, purpose: str = PURPOSE_CARE) -> AccessDecision:
    """May this actor see this patient for this purpose? Reads, writes nothing."""
    if actor is None or actor.role not in PURPOSE_ROLES[purpose]:
        return AccessDecision(False)
    if Patient.objects.filter(pk=patient.pk).filter(care_relation_q(actor.organisation)).exists():
        return AccessDecision(True)
    if purpose == PURPOSE_CARE:
        grant = (
            EmergencyAccess.objects.filter(
                user=actor.user, organisation=actor.organisation, patient=patient, expires_at__gt=timezone.now()
            )
            .order_by("-expires_at")
            .first()
        )
        if grant is not None:
            return AccessDecision(True, emergency=True, emergency_reason=grant.reason)
        if Patient.objects.filter(pk=patient.pk).filter(author_relation_q(actor.organisation)).exists():
            return AccessDecision(True, own_records_only=True)
    return AccessDecision(False)


def visible_patients(actor: "Actor | None", *, own_records: bool = False) -> QuerySet[Patient]:
    """Patients this actor may see for care (care relation, or an active emergency access); with
    `own_records`, also those whose record holds entries the organisation wrote."""
    if actor is None or actor.role not in PURPOSE_ROLES[PURPOSE_CARE]:
        return Patient.objects.none()
    q = care_relation_q(actor.organisation) | _emergency_q(actor)
    if own_records:
        q |= author_relation_q(actor.organisation)
    ids = Patient.objects.filter(q).values("pk")
    return Patient.objects.filter(pk__in=ids)


def flag_emergency(actor: "Actor | None", patients: Iterable[Patient]) -> list[Patient]:
    """Mark each patient of a list page (`opened_by_emergency`) that the actor sees only by an
    active emergency access, so that every list and search flags them. One query for the page."""
    patients = list(patients)
    ids = [p.pk for p in patients]
    opened: set[int] = set()
    if ids and actor is not None:
        granted = set(
            EmergencyAccess.objects.filter(
                patient_id__in=ids, user=actor.user, organisation=actor.organisation, expires_at__gt=timezone.now()
            ).values_list("patient_id", flat=True)
        )
        if granted:
            related = Patient.objects.filter(pk__in=granted).filter(care_relation_q(actor.organisation))
            opened = granted - set(related.values_list("pk", flat=True))
    for patient in patients:
        patient.opened_by_emergency = patient.pk in opened
    return patients


def open_patient(
    actor: "Actor | None",
    public_id: uuid.UUID | str,
    action: str | None,
    *,
    request: HttpRequest | None = None,
    purpose: str = PURPOSE_CARE,
    object_type: str = "patient",
    detail: str = "",
    own_records: bool = False,
) -> Patient:
    """Fetch a patient for `actor`, or refuse; write the audit entry either way.

    Unknown id: 404. Known but no relation: 403 (the refusal is logged). Allowed: the patient,
    with `patient.access` holding the decision so pages can flag emergency access. With
    `action=None` a granted access is not logged here, because the caller's service function
    logs the change it makes (one entry per change, not two). Access to the organisation's own
    entries only is refused unless the page says it shows no more than those (`own_records`).
    """
    patient = (
        Patient.objects.select_related("municipality__county", "gp_office", "registered_by")
        .filter(public_id=public_id)
        .first()
    )
    if patient is None:
        raise Http404
    decision = decide(actor, patient, purpose)
    if not decision.allowed or (decision.own_records_only and not own_records):
        audit.record(
            actor, audit.Action.DENIED, patient_public_id=patient.public_id, object_type=object_type, request=request
        )
        raise PermissionDenied("no care relation")
    patient.access = decision
    if action is not None:
        record(actor, patient, action, object_type=object_type, detail=detail, request=request)
    return patient


def record(
    actor: object,
    patient: Patient,
    action: str,
    *,
    object_type: str = "patient",
    detail: str = "",
    request: HttpRequest | None = None,
) -> "AuditEntry":
    """Audit an action on a patient opened with `open_patient`, carrying the emergency flag and
    reason onto the entry when the access is an emergency one."""
    decision = getattr(patient, "access", None) or AccessDecision(True)
    if decision.own_records_only:
        detail = f"{detail} (own records only)".strip()
    return audit.record(
        actor,
        action,
        patient_public_id=patient.public_id,
        object_type=object_type,
        detail=detail,
        emergency=decision.emergency,
        reason=decision.emergency_reason,
        request=request,
    )


@transaction.atomic
def grant_emergency_access(
    actor: "Actor | None", patient: Patient | None, reason: str, *, request: HttpRequest | None = None
) -> EmergencyAccess:
    """Break the glass for `patient` (None: no patient has the number given; the attempt is
    written, counted and reviewed the same way, so the answer tells nothing). Past the user's
    daily count the access is granted all the same and the organisation's admins are alerted.
    The caller has checked the reason (patients.emergency.check_reason) and the throttle."""
    from patients import emergency

    if actor is None or actor.role not in PURPOSE_ROLES[PURPOSE_CARE]:
        raise PermissionDenied("role may not open patients")
    reason = emergency.check_reason(reason)
    over_cap = emergency.take_count(actor)
    grant = EmergencyAccess.objects.create(
        user=actor.user,
        organisation=actor.organisation,
        patient=patient,
        reason=reason,
        over_cap=over_cap,
        expires_at=timezone.now() + settings.EMERGENCY_ACCESS_DURATION,
    )
    audit.record(
        actor,
        audit.Action.EMERGENCY_ACCESS,
        patient_public_id=patient.public_id if patient is not None else None,
        detail="over daily count" if over_cap else ("" if patient is not None else "no patient with the number"),
        emergency=True,
        reason=reason,
        request=request,
    )
    if over_cap:
        emergency.alert_admins(actor, emergency.KIND_EMERGENCY)
    return grant


def audit_log_patients(actor: "Actor | None") -> QuerySet[Patient]:
    """Patients whose names an organisation admin may see in the organisation's audit log, and find
    there by national id or name: those the organisation has a care relation with (the audit-trail
    purpose). Everyone else is shown and filtered by the public id only."""
    if actor is None or actor.role not in PURPOSE_ROLES[PURPOSE_AUDIT_TRAIL]:
        return Patient.objects.none()
    ids = Patient.objects.filter(care_relation_q(actor.organisation)).values("pk")
    return Patient.objects.filter(pk__in=ids)
