"""The one national-id parser at the web's doors: the registration form, the emergency-access
form and the patient search (the FHIR API's doors: fhir_api/tests/test_national_id_inputs.py).
Digits of other scripts and superscripts are refused with a clear message; nothing is stored and
nothing answers 500."""

import datetime

import pytest

from conftest import synthetic_id
from patients.models import Patient
from patients.tests.test_patient_views import form_data

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
MESSAGE = "only contain the digits 0–9"


def arabic_indic_first_nine(number):
    return number[:9].translate(ARABIC_INDIC) + number[9:]


def superscript(number):
    return number[:3] + "²" + number[4:]


BAD = [arabic_indic_first_nine, superscript, lambda n: "140²7512306"]


@pytest.mark.parametrize("spoil", BAD)
def test_the_registration_form_refuses_other_scripts_digits_with_a_message(client_for, personas, orgs, spoil):
    number = synthetic_id(datetime.date(1970, 3, 14))
    response = client_for(personas["coordinator"]).post("/patients/new/", form_data(orgs, national_id=spoil(number)))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_national_id_error"' in page
    assert MESSAGE in page
    assert not Patient.objects.filter(family_name="Nordmann").exists()


def test_a_person_already_registered_is_not_registered_again_in_arabic_indic_digits(
    client_for, personas, patient, orgs
):
    response = client_for(personas["nurse"]).post(
        "/patients/new/", form_data(orgs, national_id=arabic_indic_first_nine(patient.national_id))
    )
    assert MESSAGE in response.content.decode()
    assert Patient.objects.count() == 1
    assert not patient.registrations.exists()


def test_fullwidth_digits_and_separators_find_the_same_person(client_for, personas, patient, orgs):
    fullwidth = patient.national_id.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    written = f"{fullwidth[:6]}-{patient.national_id[6:]}"
    response = client_for(personas["nurse"]).post("/patients/new/", form_data(orgs, national_id=written))
    assert response.status_code == 302  # the known person's registration, answered as a new one's
    assert patient.registrations.get()  # Haukeland's own patient: the record opens from it
    assert Patient.objects.count() == 1


@pytest.mark.parametrize("spoil", BAD)
def test_the_emergency_access_form_refuses_them_with_a_message(client_for, personas, patient, spoil):
    response = client_for(personas["outsider"]).post(
        "/patients/emergency-access/",
        {"national_id": spoil(patient.national_id), "reason": "The patient is admitted acutely today"},
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not patient.emergency_accesses.exists()


def test_the_patient_search_does_not_fail_on_them(client_for, personas, patient):
    client = client_for(personas["coordinator"])
    for text in (superscript(patient.national_id), arabic_indic_first_nine(patient.national_id), "140²7512306"):
        response = client.post("/patients/", {"q": text})
        assert response.status_code == 200
        assert "Pasient" not in response.content.decode().split("<main", 1)[-1]
    found = client.post("/patients/", {"q": f"{patient.national_id[:6]} {patient.national_id[6:]}"})
    assert "Pasient" in found.content.decode()
