"""The date of death: not in the future, not before birth, not before the diagnosis of any of the
patient's enrolments. Refused with the dates named (dd.mm.yyyy) at the date-of-death field, by the
service (whoever calls it) and on the patient form."""

import datetime

import pytest
from django.utils import timezone

from pathway import services as pathway_services
from pathway.models import Enrolment
from patients import services
from patients.forms import PatientForm
from patients.models import Patient
from patients.services import PatientRuleError
from testsupport.confirming import post_confirmed

TODAY = datetime.date(2026, 11, 23)


def enrol(actor, patient, diagnosis_date, today=TODAY, **kwargs):
    return pathway_services.enrol(
        actor,
        patient,
        diagnosis_date=diagnosis_date,
        icd10_code="C50.9",
        treatment_intent="curative",
        today=today,
        **kwargs,
    )


def form_data(patient, orgs, died):
    return {
        "national_id": patient.national_id,
        "given_name": patient.given_name,
        "family_name": patient.family_name,
        "municipality": orgs["askoy"].pk,
        "gp_office": orgs["gp_office"].pk,
        "preferred_language": "nb",
        "date_of_death": died.isoformat(),
    }


@pytest.mark.parametrize(
    "died, message",
    [
        (datetime.date(2026, 11, 24), "The date of death, 24.11.2026, cannot be in the future."),
        (datetime.date(1961, 5, 16), "The date of death, 16.05.1961, is before the date of birth, 17.05.1961."),
        (
            datetime.date(2026, 3, 31),
            "The date of death, 31.03.2026, is before the diagnosis of the patient's pathway, dated 01.04.2026. "
            "Check both dates.",
        ),
    ],
)
def test_the_service_refuses_an_impossible_date_of_death(actor_of, personas, patient, died, message):
    first = enrol(actor_of(personas["nurse"]), patient, datetime.date(2025, 1, 10))
    pathway_services.withdraw(actor_of(personas["nurse"]), first, reason="Wants no more conversations")
    enrol(actor_of(personas["nurse"]), patient, datetime.date(2026, 4, 1))  # the later one counts
    with pytest.raises(PatientRuleError) as caught:
        services.check_date_of_death(patient, died, today=TODAY)
    assert caught.value.field == "date_of_death"
    assert caught.value.messages == [message]
    services.check_date_of_death(patient, datetime.date(2026, 4, 1), today=TODAY)  # the day of diagnosis is fine


def test_update_patient_rechecks_the_date_of_death_when_it_saves(actor_of, personas, patient, orgs):
    """The form was valid when it was checked; a pathway diagnosed later was enrolled before the save."""
    coordinator = actor_of(personas["coordinator"])
    died = timezone.localdate() - datetime.timedelta(days=20)
    form = PatientForm(form_data(patient, orgs, died), instance=Patient.objects.get(pk=patient.pk), actor=coordinator)
    assert form.is_valid(), form.errors
    enrolment = enrol(
        actor_of(personas["nurse"]), patient, died + datetime.timedelta(days=5), today=timezone.localdate()
    )
    with pytest.raises(PatientRuleError, match="is before the diagnosis of the patient's pathway"):
        services.update_patient(coordinator, form)
    patient.refresh_from_db()
    enrolment.refresh_from_db()
    assert patient.date_of_death is None and enrolment.is_open


def test_the_patient_form_shows_the_refusal_at_the_date_of_death(client_for, actor_of, personas, patient, orgs):
    today = timezone.localdate()  # the form reads the clock
    diagnosed = today - datetime.timedelta(days=30)
    enrolment = enrol(actor_of(personas["nurse"]), patient, diagnosed, today=today)
    died = diagnosed - datetime.timedelta(days=1)
    response = client_for(personas["coordinator"]).post(
        f"/patients/{patient.public_id}/edit/", form_data(patient, orgs, died)
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "date_of_death": [
            f"The date of death, {died:%d.%m.%Y}, is before the diagnosis of the patient's pathway, dated "
            f"{diagnosed:%d.%m.%Y}. Check both dates."
        ]
    }
    assert Patient.objects.get(pk=patient.pk).date_of_death is None
    assert Enrolment.objects.get(pk=enrolment.pk).is_open
    # The day of diagnosis itself is a possible date of death: the pathway then ends.
    response = post_confirmed(
        client_for(personas["coordinator"]),
        f"/patients/{patient.public_id}/edit/",
        form_data(patient, orgs, diagnosed),
        follow=False,
    )
    assert response.status_code == 302
    assert Enrolment.objects.get(pk=enrolment.pk).end_reason == Enrolment.EndReason.DECEASED


def test_the_pathway_registers_the_death_confirmation():
    from pathway import confirmation
    from patients import deaths

    assert deaths._confirm is confirmation.confirm_death and deaths._watch is confirmation.watch_death
