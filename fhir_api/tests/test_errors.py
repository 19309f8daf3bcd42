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


def _posted(client, path, body, content_type="application/fhir+json"):
    """A raw body (bytes) posted with a bearer token, answer validated by the FHIR test client."""
    from fhir_api.tests.conftest import FhirResponse

    return FhirResponse(client.client.post(f"/fhir/{path}", body, content_type=content_type, **client._headers({})))


def test_a_body_over_the_size_limit_is_413_before_it_is_read(fhir_as, db, settings):
    settings.FHIR_MAX_BODY_BYTES = 1000
    api = fhir_as("hospital")
    small = b'{"resourceType": "EpisodeOfCare", "status": "active"' + b" " * 800 + b"}"
    assert _posted(api, "EpisodeOfCare", small).status_code != 413
    response = _posted(api, "EpisodeOfCare", small + b" " * 200)
    assert response.status_code == 413
    assert response.json["issue"][0]["code"] == "too-long"
    assert "at most 1000 bytes" in response.diagnostics


def test_a_20_mb_body_is_413_not_500_with_the_default_limits(fhir_as, db):
    body = b'{"resourceType": "EpisodeOfCare", "note": "' + b"x" * (20 * 1024 * 1024) + b'"}'
    api = fhir_as("hospital")
    assert _posted(api, "EpisodeOfCare", body).status_code == 413
    patch = _posted(api, "Task/00000000-0000-0000-0000-000000000000", body)  # any path under /fhir/
    assert patch.status_code == 413
    search = _posted(
        api, "Patient/_search", b"identifier=" + b"1" * (20 * 1024 * 1024), "application/x-www-form-urlencoded"
    )
    assert search.status_code == 413


def test_djangos_own_upload_limit_is_also_a_413(fhir_as, db, settings):
    settings.FHIR_MAX_BODY_BYTES = 10_000_000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = _posted(fhir_as("hospital"), "EpisodeOfCare", b'{"a": "' + b"x" * 5000 + b'"}')
    assert response.status_code == 413


def test_a_100000_deep_body_is_400_not_500(fhir_as, db):
    body = b"[" * 100_000 + b"]" * 100_000
    response = _posted(fhir_as("hospital"), "EpisodeOfCare", body)
    assert response.status_code == 400
    assert "more than 64 deep" in response.diagnostics


def test_nesting_deeper_than_the_setting_is_400_and_at_the_setting_is_read(fhir_as, db, settings):
    settings.FHIR_MAX_JSON_DEPTH = 10
    api = fhir_as("hospital")

    def nested(depth):  # the resource object and depth - 1 arrays inside it
        return ('{"resourceType": "EpisodeOfCare", "z": ' + "[" * (depth - 1) + "1" + "]" * (depth - 1) + "}").encode()

    at_limit = _posted(api, "EpisodeOfCare", nested(10))
    assert "deep" not in at_limit.diagnostics  # read, and refused for what it says
    response = _posted(api, "EpisodeOfCare", nested(11))
    assert response.status_code == 400
    assert response.json["issue"][0]["code"] == "structure"
    assert "more than 10 deep" in response.diagnostics


def test_an_audit_event_id_of_superscripts_or_too_many_digits_is_404(fhir_as, db):
    api = fhir_as("auditor")
    for value in ("²", "1²", "9" * 40):
        assert api.get(f"AuditEvent/{value}").status_code == 404, value


def test_an_icd10_code_with_a_superscript_digit_is_refused_not_500(fhir_as, patient):
    from fhir_api.tests.test_enrolment import by_identifier, episode

    response = fhir_as("hospital").post("EpisodeOfCare", episode(by_identifier(patient.national_id), code="C5²"))
    assert response.status_code == 422
