"""State changes of patient data. Each checks the rule, writes the change and the audit entry in
one transaction. Views call these; they never save patient models themselves."""

from django.db import transaction

from audit.models import AuditEntry
from directory.models import Organisation
from patients import signals
from patients.access import decide, record
from patients.models import Patient

Action = AuditEntry.Action


def _changed_fields(form):
    return ", ".join(sorted(form.changed_data))


@transaction.atomic
def register_patient(actor, form, *, request=None):
    patient = form.save(commit=False)
    patient.registered_by = actor.organisation
    patient.save()
    record(actor, patient, Action.CREATE, request=request)
    return patient


@transaction.atomic
def update_patient(actor, form, *, request=None):
    patient = form.save()
    record(actor, patient, Action.UPDATE, detail=_changed_fields(form), request=request)
    if "municipality" in form.changed_data:
        old_municipality = Organisation.objects.get(pk=form.initial["municipality"])
        signals.patient_moved.send(Patient, actor=actor, patient=patient, old_municipality=old_municipality)
    if "date_of_death" in form.changed_data and patient.date_of_death:
        signals.patient_died.send(Patient, actor=actor, patient=patient)
    return patient


@transaction.atomic
def save_relative(actor, patient, form, *, request=None):
    creating = form.instance.pk is None
    relative = form.save(commit=False)
    relative.patient = patient
    relative.save()
    action = Action.CREATE if creating else Action.UPDATE
    detail = "" if creating else _changed_fields(form)
    record(actor, patient, action, object_type="relative", detail=detail, request=request)
    return relative


@transaction.atomic
def delete_relative(actor, patient, relative, *, request=None):
    relative.delete()
    record(actor, patient, Action.DELETE, object_type="relative", request=request)


def keeps_access_after_change(actor, patient):
    """After an edit (moving municipality, changing GP) may the actor still see the whole record?"""
    return decide(actor, patient).full
