"""State changes of patient data. Each checks the rule, writes the change and the audit entry in
one transaction. Views call these; they never save patient models themselves."""

import contextlib

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import services as audit
from audit.models import AuditEntry
from directory.models import Organisation
from patients import deaths, signals
from patients.access import decide, record
from patients.models import Patient, Registration

Action = AuditEntry.Action


class PatientRuleError(ValidationError):
    """A rule on patient data said no (the patients module's PathwayRuleError). `field` names the
    form field it concerns."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.field = field


def _day(date):
    return date.strftime("%d.%m.%Y")


def check_date_of_death(patient, date_of_death, *, date_of_birth=None, today=None):
    """A date of death not in the future, not before birth (`date_of_birth` when the form changes
    the number, else the patient's) and not before the diagnosis of any of the patient's
    enrolments (a pathway cannot start after its patient died)."""
    today = today or timezone.localdate()
    born = date_of_birth or patient.date_of_birth
    values = {"death": _day(date_of_death)}
    if date_of_death > today:
        raise PatientRuleError(
            _("The date of death, %(death)s, cannot be in the future.") % values, field="date_of_death"
        )
    if born and date_of_death < born:
        raise PatientRuleError(
            _("The date of death, %(death)s, is before the date of birth, %(birth)s.")
            % {**values, "birth": _day(born)},
            field="date_of_death",
        )
    if patient.pk:
        diagnosed = patient.enrolments.order_by("-diagnosis_date").values_list("diagnosis_date", flat=True).first()
        if diagnosed and date_of_death < diagnosed:
            raise PatientRuleError(
                _(
                    "The date of death, %(death)s, is before the diagnosis of the patient's pathway, dated "
                    "%(diagnosis)s. Check both dates."
                )
                % {**values, "diagnosis": _day(diagnosed)},
                field="date_of_death",
            )


def _check_death_on_save(form, today):
    """The form checks the date of death too; this holds for every caller (and for whatever
    changed between the form's check and the save)."""
    died = form.instance.date_of_death
    if died and (form.instance.pk is None or "date_of_death" in form.changed_data):
        parsed = getattr(form, "national_id_info", None)
        check_date_of_death(form.instance, died, date_of_birth=parsed.birth_date if parsed else None, today=today)


def _changed_fields(form):
    return ", ".join(sorted(form.changed_data))


@transaction.atomic
def register_patient(actor, form, *, today=None, request=None) -> Registration:
    """Register the person the form names, and answer the same whether or not Heimveg knew them:
    a `Registration` either way, holding what the organisation entered. A new person is stored
    as a patient (the organisation registered them: a care relation). A person already
    registered is not touched: the organisation gets the registration and nothing more (it may
    enrol from it where the pathway's rules allow), the registration counts towards the user's
    daily count and waits in the organisation admin's review queue (docs/emergency-access.md)."""
    from patients import emergency

    _check_death_on_save(form, today)
    patient = form.save(commit=False)
    patient.registered_by = actor.organisation
    entered = form.entered()
    existing = Patient.objects.filter(national_id=patient.national_id).first()
    if existing is None:
        try:
            with transaction.atomic():  # a savepoint: a concurrent registration of the same person wins
                patient.save()
        except IntegrityError:
            existing = Patient.objects.filter(national_id=patient.national_id).first()
            if existing is None:
                raise
    if existing is not None:
        patient = existing
    # `known`: registered already and not a patient the organisation may see. Only that case is the
    # back door the review guards (an organisation with a care relation knows the patient already).
    known = existing is not None and not decide(actor, existing).full
    if existing is not None and not known:
        record(actor, patient, Action.CREATE, object_type="registration", detail="already registered", request=request)
    over_cap = emergency.take_count(actor) if known else False
    registration = Registration.objects.create(
        user=actor.user,
        organisation=actor.organisation,
        patient=patient,
        known=known,
        entered=entered,
        over_cap=over_cap,
    )
    if known:
        # The person's record is not opened: the entry says a registration was made, for the
        # patient's trail and the review queue.
        audit.record(
            actor,
            Action.CREATE,
            patient_public_id=patient.public_id,
            object_type="registration",
            detail="already registered" + (", over daily count" if over_cap else ""),
            request=request,
        )
        if over_cap:
            emergency.alert_admins(actor, emergency.KIND_REGISTRATION)
    elif existing is None:
        record(actor, patient, Action.CREATE, request=request)
    return registration


def records_death(form):
    """The valid patient form records a death that was not recorded (a change confirmed first)."""
    return "date_of_death" in form.changed_data and bool(form.cleaned_data.get("date_of_death"))


def _watched_death(patient, dying):
    return deaths.watched(patient) if dying else contextlib.nullcontext()


@transaction.atomic
def update_patient(actor, form, *, today=None, request=None):
    # The death's rule reads the patient's enrolments: hold the patient's row first, the lock an
    # enrolment takes (pathway.services.enrol), so that none is written between check and save.
    list(Patient.objects.select_for_update(no_key=True).filter(pk=form.instance.pk).values_list("pk", flat=True))
    _check_death_on_save(form, today)
    # A newly recorded death is confirmed first (patients.deaths): it ends the pathways.
    dying = records_death(form)
    with _watched_death(form.instance, dying):
        patient = form.save()
        if "municipality" in form.changed_data:
            old_municipality = Organisation.objects.get(pk=form.initial["municipality"])
            signals.patient_moved.send(Patient, actor=actor, patient=patient, old_municipality=old_municipality)
        if dying:
            signals.patient_died.send(Patient, actor=actor, patient=patient)
    # Last: the audit entry takes the chain head's lock until commit (audit/chain.py), so the
    # enrolments the signals lock are taken before it, in the order every pathway change takes them.
    record(actor, patient, Action.UPDATE, detail=_changed_fields(form), request=request)
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
