"""Two registrations of the same new patient at once (two nurses, or a double submit): one
patient is stored, and the other gets the duplicate message, never a 500."""

import pytest

from heimveg.testing.races import race, winner_and_loser
from patients import services
from patients.forms import PatientForm
from patients.models import Patient
from patients.tests.test_patient_views import form_data

pytest_plugins = ["heimveg.testing.browser"]  # national_directory
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("national_directory")]


def test_two_registrations_of_one_new_patient_store_one_and_tell_the_other(orgs, personas, actor_of):
    actor = actor_of(personas["coordinator"])
    # Both forms were checked before either saved: neither saw the other's patient.
    forms = [PatientForm(form_data(orgs), actor=actor) for _ in range(2)]
    assert all(form.is_valid() for form in forms)

    results = race(*(lambda form=form: services.register_patient(actor, form) for form in forms))

    won, lost = winner_and_loser(results)
    assert isinstance(lost, services.PatientRuleError), lost
    assert lost.field == "national_id"
    assert "already registered" in lost.messages[0]
    assert list(Patient.objects.values_list("pk", flat=True)) == [won.pk]
