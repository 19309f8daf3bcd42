"""The one national-id parser at the FHIR API's doors: create (contained Patient and logical
reference), search and conditional create. Digits of other scripts and superscripts are refused
with the parser's message (422 in a resource, 400 in search criteria); nothing is stored and
nothing answers 500."""

import pytest

from fhir_api.mapping.common import FNR
from fhir_api.tests.test_enrolment import by_identifier, contained_patient, episode
from pathway.models import Enrolment
from patients.models import Patient
from patients.tests.test_national_id_inputs import BAD, MESSAGE


@pytest.mark.parametrize("spoil", BAD)
def test_fhir_create_with_a_contained_patient_refuses_them_with_422(fhir_as, patient, spoil):
    body = episode({"reference": "#p"}, contained=[contained_patient(spoil(patient.national_id))])
    response = fhir_as("hospital").post("EpisodeOfCare", body)
    assert response.status_code == 422
    assert MESSAGE in response.diagnostics
    assert response.json["issue"][0]["expression"] == ["EpisodeOfCare.contained.Patient.identifier"]
    assert Patient.objects.count() == 1
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize("spoil", BAD)
def test_fhir_create_by_logical_reference_refuses_them_with_422(fhir_as, patient, spoil):
    response = fhir_as("hospital").post("EpisodeOfCare", episode(by_identifier(spoil(patient.national_id))))
    assert response.status_code == 422
    assert MESSAGE in response.diagnostics
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize("spoil", BAD)
def test_fhir_search_refuses_them_with_400(fhir_as, patient, spoil):
    for resource_type, name in (("Patient", "identifier"), ("EpisodeOfCare", "patient.identifier")):
        response = fhir_as("hospital").search(resource_type, {name: f"{FNR}|{spoil(patient.national_id)}"})
        assert response.status_code == 400, resource_type
        assert MESSAGE in response.diagnostics


def test_fhir_search_finds_a_number_written_with_separators(fhir_as, patient):
    written = f"{patient.national_id[:6]} {patient.national_id[6:]}"
    response = fhir_as("hospital").search("Patient", {"identifier": f"{FNR}|{written}"})
    assert response.json["total"] == 1


@pytest.mark.parametrize("spoil", BAD)
def test_conditional_create_refuses_them_in_the_criteria_with_400(fhir_as, patient, spoil):
    criteria = f"patient.identifier={FNR}|{spoil(patient.national_id)}&diagnosis-code=C50.9"
    response = fhir_as("hospital").post(
        "EpisodeOfCare", episode(by_identifier(patient.national_id)), HTTP_IF_NONE_EXIST=criteria
    )
    assert response.status_code == 400
    assert MESSAGE in response.diagnostics
    assert not Enrolment.objects.exists()
