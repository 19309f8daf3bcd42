"""EpisodeOfCare create: enrolment from a record system with the enrolment form's rules and
messages, conditional create, and the errors the issue names."""

import datetime

import pytest
from django.utils import timezone

from conftest import synthetic_id
from fhir_api.mapping.common import DNR, FNR, ICD10, MUNICIPALITY_EXTENSION, MUNICIPALITY_NUMBER
from pathway.models import Enrolment
from patients.models import Patient


def episode(patient_ref, *, code="C50.9", days_ago=5, status="active", contained=(), **extra):
    diagnosed = (timezone.localdate() - datetime.timedelta(days=days_ago)).isoformat()
    return {
        "resourceType": "EpisodeOfCare",
        "status": status,
        "contained": [
            {
                "resourceType": "Condition",
                "id": "dx",
                "code": {"coding": [{"system": ICD10, "code": code}]},
                "subject": patient_ref if "reference" in patient_ref else {"reference": "#p"},
                "onsetDateTime": diagnosed,
            },
            *contained,
        ],
        "diagnosis": [{"condition": {"reference": "#dx"}}],
        "patient": patient_ref,
        **extra,
    }


def contained_patient(number, given="Ola", family="Nordmann", on_district=True):
    """A contained Patient (id "p") for a conditional or contained-reference create: a national
    id, a name and a home municipality (Askøy), its code on Address.district as no-basis places it
    (or, `on_district=False`, on the Address itself, as Heimveg wrote it before)."""
    municipality = {
        "extension": [{"url": MUNICIPALITY_EXTENSION, "valueCoding": {"system": MUNICIPALITY_NUMBER, "code": "4627"}}]
    }
    address = {"district": "Askøy", "_district": municipality} if on_district else municipality
    return {
        "resourceType": "Patient",
        "id": "p",
        "identifier": [{"system": FNR, "value": number}],
        "name": [{"family": family, "given": [given]}],
        "address": [address],
    }


def by_identifier(number, system=FNR):
    return {"identifier": {"system": system, "value": number}}


def test_a_hospital_system_enrols_a_known_patient(fhir_as, patient):
    response = fhir_as("hospital").post("EpisodeOfCare", episode({"reference": f"Patient/{patient.public_id}"}))
    assert response.status_code == 201, response.diagnostics
    enrolment = Enrolment.objects.get(patient=patient)
    assert response.json["id"] == str(enrolment.public_id)
    assert response.headers["Location"].endswith(f"/fhir/EpisodeOfCare/{enrolment.public_id}")
    assert (enrolment.offer, enrolment.icd10_code, enrolment.points.count()) == ("accepted", "C50.9", 3)
    assert enrolment.events.filter(kind="enrolled", username__startswith="system-").exists()


def test_by_national_id_logical_reference(fhir_as, patient):
    response = fhir_as("hospital").post("EpisodeOfCare", episode(by_identifier(patient.national_id)))
    assert response.status_code == 201, response.diagnostics


def test_an_unknown_patient_is_registered_from_the_contained_patient(fhir_as, orgs):
    number = synthetic_id(datetime.date(1970, 3, 4))
    contained = contained_patient(number)
    response = fhir_as("hospital").post("EpisodeOfCare", episode({"reference": "#p"}, contained=[contained]))
    assert response.status_code == 201, response.diagnostics
    patient = Patient.objects.get(national_id=number)
    assert (patient.family_name, patient.municipality, patient.registered_by) == (
        "Nordmann",
        orgs["askoy"],
        orgs["haukeland"],
    )


def test_the_municipality_code_is_also_read_from_the_address_itself(fhir_as, orgs):
    number = synthetic_id(datetime.date(1971, 3, 4))
    contained = contained_patient(number, on_district=False)
    response = fhir_as("hospital").post("EpisodeOfCare", episode({"reference": "#p"}, contained=[contained]))
    assert response.status_code == 201, response.diagnostics
    assert Patient.objects.get(national_id=number).municipality.municipality_number == "4627"


def test_a_contained_patient_with_a_direction_override_in_the_name_is_refused(fhir_as, orgs):
    number = synthetic_id(datetime.date(1970, 3, 4))
    contained = contained_patient(number, family="Nord\u202enamm")
    response = fhir_as("hospital").post("EpisodeOfCare", episode({"reference": "#p"}, contained=[contained]))
    assert response.status_code == 422
    assert "U+202E" in response.diagnostics
    assert not Patient.objects.filter(national_id=number).exists()


def test_conditional_create_never_enrols_twice(fhir_as, patient):
    api = fhir_as("hospital")
    body = episode(by_identifier(patient.national_id))
    diagnosed = body["contained"][0]["onsetDateTime"]
    criteria = f"patient.identifier={FNR}|{patient.national_id}&diagnosis-code=C50.9&diagnosis-date={diagnosed}"
    first = api.post("EpisodeOfCare", body, HTTP_IF_NONE_EXIST=criteria)
    again = api.post("EpisodeOfCare", body, HTTP_IF_NONE_EXIST=criteria)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json["id"] == again.json["id"]
    assert Enrolment.objects.filter(patient=patient).count() == 1


def test_conditional_create_with_several_matches_is_412(fhir_as, patient, actor_of, personas):
    from assessment.tests import factories

    factories.enrol(actor_of(personas["nurse"]), patient, days_ago=400)
    factories.enrol(actor_of(personas["nurse"]), patient, days_ago=5, is_relapse=True)
    criteria = f"patient.identifier={FNR}|{patient.national_id}&diagnosis-code=C50.9"
    response = fhir_as("hospital").post(
        "EpisodeOfCare", episode(by_identifier(patient.national_id)), HTTP_IF_NONE_EXIST=criteria
    )
    assert response.status_code == 412
    assert response.json["issue"][0]["code"] == "multiple-matches"


def test_a_patient_already_in_the_pathway_is_409_with_the_forms_message(fhir_as, patient):
    api = fhir_as("hospital")
    assert api.post("EpisodeOfCare", episode(by_identifier(patient.national_id))).status_code == 201
    again = api.post("EpisodeOfCare", episode(by_identifier(patient.national_id), code="C18.0"))
    assert again.status_code == 409
    assert "already in the pathway" in again.diagnostics
    assert "EpisodeOfCare/" in again.diagnostics


def test_a_diagnosis_in_the_future_is_422_with_the_forms_message(fhir_as, patient):
    response = fhir_as("hospital").post("EpisodeOfCare", episode(by_identifier(patient.national_id), days_ago=-3))
    assert response.status_code == 422
    assert response.diagnostics == "The date of diagnosis cannot be in the future."


@pytest.mark.parametrize(
    "onset, message",
    [
        ("1960-06-01", "The date of diagnosis, 01.06.1960, is before the patient was born (14.03.1970)."),
        ("2021-06-01", "The date of diagnosis, 01.06.2021, is before the pathway began on 01.01.2022."),
    ],
)
def test_a_diagnosis_before_birth_or_before_the_pathway_began_is_422(fhir_as, orgs, onset, message):
    born = datetime.date(1970, 3, 14)
    patient = Patient.objects.create(
        national_id=synthetic_id(born),
        national_id_kind="fnr",
        date_of_birth=born,
        given_name="Kari",
        family_name="Dato",
        municipality=orgs["askoy"],
        registered_by=orgs["haukeland"],
    )
    body = episode(by_identifier(patient.national_id))
    body["contained"][0]["onsetDateTime"] = onset
    response = fhir_as("hospital").post("EpisodeOfCare", body)
    assert response.status_code == 422
    assert response.json["resourceType"] == "OperationOutcome"
    assert response.diagnostics.startswith(message)
    assert not Enrolment.objects.exists()


def test_a_code_that_is_not_cancer_is_422(fhir_as, patient):
    response = fhir_as("hospital").post("EpisodeOfCare", episode(by_identifier(patient.national_id), code="J45"))
    assert response.status_code == 422
    assert "ICD-10 code for cancer" in response.diagnostics


def test_an_invalid_national_id_is_422_with_the_validators_message(fhir_as, patient):
    number = patient.national_id[:-1] + str((int(patient.national_id[-1]) + 1) % 10)
    response = fhir_as("hospital").post("EpisodeOfCare", episode(by_identifier(number)))
    assert response.status_code == 422
    assert "check digits" in response.diagnostics


def test_a_wrong_identifier_system_is_422(fhir_as, patient):
    response = fhir_as("hospital").post(
        "EpisodeOfCare", episode(by_identifier(patient.national_id, system="urn:oid:1.2.3"))
    )
    assert response.status_code == 422
    assert FNR in response.diagnostics and DNR in response.diagnostics
    assert response.json["issue"][0]["expression"] == ["EpisodeOfCare.patient.identifier"]


def test_a_d_number_system_for_a_fodselsnummer_is_422(fhir_as, patient):
    response = fhir_as("hospital").post("EpisodeOfCare", episode(by_identifier(patient.national_id, system=DNR)))
    assert response.status_code == 422


def test_a_system_without_a_care_relation_is_told_what_an_unknown_number_gets(fhir_as, patient):
    """No existence oracle (issue 16): 422 with the unknown number's text, and a DENIED entry."""
    api = fhir_as("outsider")
    known = api.post("EpisodeOfCare", episode(by_identifier(patient.national_id)))
    unknown = api.post("EpisodeOfCare", episode(by_identifier(synthetic_id(start=300))))
    assert known.status_code == unknown.status_code == 422
    assert known.json == unknown.json


def test_a_gp_system_cannot_enrol(fhir_as, patient):
    response = fhir_as("gp").post("EpisodeOfCare", episode(by_identifier(patient.national_id)))
    assert response.status_code == 422
    assert response.diagnostics == "Your role cannot enrol patients in the pathway."


def test_an_invalid_resource_is_422(fhir_as, patient):
    body = episode(by_identifier(patient.national_id), status="not-a-status")
    assert fhir_as("hospital").post("EpisodeOfCare", body).status_code == 422


@pytest.mark.norwegian
def test_messages_come_in_the_requesters_language(fhir_as, patient):
    response = fhir_as("hospital", language="nb").post(
        "EpisodeOfCare", episode(by_identifier(patient.national_id), days_ago=-3)
    )
    assert response.status_code == 422
    assert response.headers["Content-Language"] == "nb"
    from django.utils import translation

    with translation.override("nb"):
        expected = translation.gettext("The date of diagnosis cannot be in the future.")
    assert response.diagnostics == expected
