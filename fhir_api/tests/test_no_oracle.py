"""Issue 16, item 2: the FHIR conditional create answers a caller without a care relation the same
for a registered and an unknown national identity number, opens nothing of a known record, and is
throttled per client (docs/emergency-access.md)."""

import pytest

from accounts.models import Role
from audit.models import AuditEntry
from conftest import synthetic_id
from directory.models import Organisation
from fhir_api.tests.conftest import FhirClient, register_system, token_for
from fhir_api.tests.test_enrolment import by_identifier, contained_patient, episode
from patients.models import Patient, Registration


@pytest.fixture
def stranger_api(client, orgs):
    """A hospital system with no care relation to the `patient` fixture (registered by Haukeland)."""
    hospital = Organisation.objects.filter(kind=Organisation.Kind.HOSPITAL).exclude(pk=orgs["haukeland"].pk).first()
    return FhirClient(client, token_for(register_system(hospital, Role.HOSPITAL_CLINICIAN, "Other EPR")))


def _shape(response):
    """What a caller can compare between two answers: status and the body's keys (not ids)."""
    body = response.json or {}
    return response.status_code, sorted(body), body.get("resourceType"), body.get("status")


def test_a_contained_create_of_a_known_and_an_unknown_person_answers_alike(stranger_api, patient):
    known = stranger_api.post(
        "EpisodeOfCare",
        episode({"reference": "#p"}, contained=[contained_patient(patient.national_id, "Ola", "Prober")]),
    )
    unknown = stranger_api.post(
        "EpisodeOfCare", episode({"reference": "#p"}, contained=[contained_patient(synthetic_id(start=300))])
    )
    assert known.status_code == 201, known.diagnostics
    assert _shape(known) == _shape(unknown)
    # The known record is untouched; the hospital has its registration and the enrolment it made.
    patient.refresh_from_db()
    assert (patient.given_name, patient.family_name) == ("Test", "Pasient")
    registration = Registration.objects.get(known=True)
    assert registration.patient == patient and registration.entered["family_name"] == "Prober"
    assert patient.enrolments.count() == 1
    assert Patient.objects.count() == 2


def test_a_known_person_already_in_the_pathway_is_a_conflict_without_the_enrolments_id(stranger_api, fhir_as, patient):
    assert fhir_as("hospital").post("EpisodeOfCare", episode(by_identifier(patient.national_id))).status_code == 201
    enrolment = patient.enrolments.get()
    answer = stranger_api.post(
        "EpisodeOfCare", episode({"reference": "#p"}, contained=[contained_patient(patient.national_id)])
    )
    assert answer.status_code == 409
    assert str(enrolment.public_id) not in answer.raw.content.decode()


def test_a_reference_by_id_without_a_care_relation_is_the_unknown_ids_answer(stranger_api, patient):
    known = stranger_api.post("EpisodeOfCare", episode({"reference": f"Patient/{patient.public_id}"}))
    assert known.status_code == 422
    assert "There is no Patient with the id" in known.diagnostics
    assert AuditEntry.objects.filter(action="denied", patient_public_id=patient.public_id).exists()


def test_registrations_through_the_api_are_throttled_per_client(stranger_api, patient, settings):
    settings.IDENTITY_THROTTLE_PER_CLIENT = 1
    settings.IDENTITY_THROTTLE_PER_USER = 100
    first = stranger_api.post(
        "EpisodeOfCare", episode({"reference": "#p"}, contained=[contained_patient(synthetic_id(start=300))])
    )
    assert first.status_code == 201
    second = stranger_api.post(
        "EpisodeOfCare", episode({"reference": "#p"}, contained=[contained_patient(patient.national_id)])
    )
    assert second.status_code == 429
    assert not Registration.objects.filter(known=True).exists()
    assert AuditEntry.objects.filter(action="denied", detail="throttled", client="Other EPR").count() == 1
