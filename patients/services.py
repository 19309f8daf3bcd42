"""State changes of patient data. Each checks the rule, writes the change and the audit entry in
one transaction. Views call these; they never save patient models themselves."""

from django.db import transaction

from audit import services as audit
from patients.access import decide


def _changed_fields(form):
    return ", ".join(sorted(form.changed_data))


def _emergency(patient):
    """Carry an emergency access's flag and reason onto every entry made under it."""
    decision = getattr(patient, "access", None)
    return {"emergency": bool(decision and decision.emergency), "reason": decision.emergency_reason if decision else ""}


@transaction.atomic
def register_patient(actor, form, *, request=None):
    patient = form.save(commit=False)
    patient.registered_by = actor.organisation
    patient.save()
    audit.record(actor, audit.Action.CREATE, patient_public_id=patient.public_id, request=request)
    return patient


@transaction.atomic
def update_patient(actor, form, *, request=None):
    patient = form.save()
    audit.record(
        actor,
        audit.Action.UPDATE,
        patient_public_id=patient.public_id,
        detail=_changed_fields(form),
        request=request,
        **_emergency(patient),
    )
    return patient


@transaction.atomic
def save_relative(actor, patient, form, *, request=None):
    creating = form.instance.pk is None
    relative = form.save(commit=False)
    relative.patient = patient
    relative.save()
    audit.record(
        actor,
        audit.Action.CREATE if creating else audit.Action.UPDATE,
        patient_public_id=patient.public_id,
        object_type="relative",
        detail="" if creating else _changed_fields(form),
        request=request,
        **_emergency(patient),
    )
    return relative


@transaction.atomic
def delete_relative(actor, patient, relative, *, request=None):
    relative.delete()
    audit.record(
        actor,
        audit.Action.DELETE,
        patient_public_id=patient.public_id,
        object_type="relative",
        request=request,
        **_emergency(patient),
    )


def keeps_access_after_change(actor, patient):
    """After an edit (moving municipality, changing GP) may the actor still see the patient?"""
    return decide(actor, patient).allowed
