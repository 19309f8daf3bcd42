"""Errors are OperationOutcomes with the status the FHIR specification gives, a readable message
and never a stack trace (the test client checks every answer for that)."""

from unittest import mock


def test_malformed_json_is_400(fhir_as, db):
    response = fhir_as("hospital").post("EpisodeOfCare", "{not json")
    assert response.status_code == 400
    assert response.diagnostics == "The request body is not valid JSON."


def test_a_body_of_another_resource_type_is_400(fhir_as, db):
    response = fhir_as("hospital").post("EpisodeOfCare", {"resourceType": "Patient"})
    assert response.status_code == 400


def test_an_unknown_resource_type_is_404(fhir_as, db):
    response = fhir_as("hospital").get("Medication")
    assert response.status_code == 404
    assert "Medication" in response.diagnostics


def test_an_unknown_id_is_404(fhir_as, db):
    assert fhir_as("hospital").get("Patient/00000000-0000-0000-0000-000000000000").status_code == 404
    assert fhir_as("hospital").get("Patient/not-a-uuid").status_code == 404


def test_an_unknown_search_parameter_is_400(fhir_as, db):
    response = fhir_as("hospital").get("Patient", {"shoe-size": "42"})
    assert response.status_code == 400
    assert "shoe-size" in response.diagnostics


def test_a_bad_date_is_400(fhir_as, db):
    assert fhir_as("hospital").get("Task", {"period": "ge2026-13-45"}).status_code == 400


def test_a_bad_count_is_400(fhir_as, db):
    assert fhir_as("hospital").get("Task", {"_count": "many"}).status_code == 400


def test_an_unknown_include_is_400(fhir_as, db):
    assert fhir_as("hospital").get("Task", {"_include": "Task:owner"}).status_code == 400


def test_an_interaction_that_is_not_served_is_405(fhir_as, db):
    assert fhir_as("hospital").post("Patient", {"resourceType": "Patient"}).status_code == 405


def test_a_crash_is_a_500_operation_outcome_without_internals(fhir_as, db):
    with mock.patch("fhir_api.resources.patients.search_patients", side_effect=RuntimeError("secret detail")):
        from fhir_api.resources import REGISTRY

        with mock.patch.object(REGISTRY["Patient"], "search", side_effect=RuntimeError("secret detail")):
            response = fhir_as("hospital").get("Patient")
    assert response.status_code == 500
    assert "secret detail" not in response.raw.content.decode()
    assert response.json["issue"][0]["code"] == "exception"


def test_a_body_that_is_not_json_is_415(fhir_as, db):
    response = fhir_as("hospital").post("EpisodeOfCare", "a=b", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415


def test_authentication_comes_before_anything_else(anonymous, db):
    assert anonymous.get("Medication").status_code == 401
    assert anonymous.post("EpisodeOfCare", "{not json").status_code == 401
