"""Two registrations of the same new patient at once (two nurses, or a double submit): one
patient is stored, and the other gets a registration of it, never a 500."""

import datetime
import threading

import pytest

from pathway import services as pathway
from pathway.services import PathwayRuleError
from patients import services
from patients.forms import PatientForm
from patients.models import Patient
from patients.tests.test_patient_views import form_data
from testsupport.races import race, wait_for

pytest_plugins = ["testsupport.browser"]  # national_directory
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("national_directory")]


def test_two_registrations_of_one_new_patient_store_one_and_answer_both_alike(orgs, personas, actor_of):
    """The loser of the race gets what registering a known person gets: its own registration of
    the stored patient (no existence oracle, issue 16), never a 500. (Askøy registered it, so the
    second is no registration of someone else's patient: nothing to review.)"""
    actor = actor_of(personas["coordinator"])
    # Both forms were checked before either saved: neither saw the other's patient.
    forms = [PatientForm(form_data(orgs), actor=actor) for _ in range(2)]
    assert all(form.is_valid() for form in forms)

    results = race(*(lambda form=form: services.register_patient(actor, form) for form in forms))

    assert not any(isinstance(result, Exception) for result in results), results
    assert [registration.known for registration in results] == [False, False]
    assert len({registration.patient_id for registration in results}) == 1
    assert Patient.objects.count() == 1


def test_a_death_and_an_enrolment_at_once_never_store_a_death_before_the_diagnosis(
    orgs, personas, actor_of, patient, today, monkeypatch
):
    """The death's rule (not before any diagnosis) is checked under the patient's row lock, the one
    an enrolment takes: on PostgreSQL the enrolment once committed between the death's check and
    its save, storing a death ten days before the new pathway's diagnosis."""
    coordinator, nurse = actor_of(personas["coordinator"]), actor_of(personas["nurse"])
    died, diagnosed = today - datetime.timedelta(days=20), today - datetime.timedelta(days=10)
    data = form_data(orgs, national_id=patient.national_id, date_of_death=died.isoformat(), preferred_language="nb")
    data["gp_office"] = patient.gp_office_id
    form = PatientForm(data, instance=patient, actor=coordinator)
    assert form.is_valid(), form.errors
    checked, enrolled = threading.Barrier(2), threading.Event()
    check = services.check_date_of_death

    def check_then_wait(*args, **kwargs):
        """The death has looked at the enrolments: the enrolment goes now, and the death waits for
        it to commit (or, when the enrolment waits for the death's lock, a few seconds)."""
        check(*args, **kwargs)
        checked.wait(30)
        wait_for(enrolled, 3)

    monkeypatch.setattr(services, "check_date_of_death", check_then_wait)

    def enrol():
        checked.wait(30)
        try:
            return pathway.enrol(
                nurse,
                Patient.objects.get(pk=patient.pk),
                diagnosis_date=diagnosed,
                icd10_code="C50.9",
                treatment_intent="curative",
                offer="accepted",
                today=today,
            )
        finally:
            enrolled.set()

    death, enrolment = race(lambda: services.update_patient(coordinator, form, today=today), enrol)

    assert not isinstance(death, Exception), death
    assert isinstance(enrolment, PathwayRuleError), enrolment
    assert Patient.objects.get(pk=patient.pk).date_of_death == died
    assert not patient.enrolments.exists()
