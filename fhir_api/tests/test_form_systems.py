"""Answers from a form system such as Helsenorge's: the Questionnaires published per language are
served, answers to them come back as codings (Yes/No, the 0–10 slider) and are stored as the
source questionnaire's values, an untouched question stays unanswered, and the host contract
(status completed, the collaboration point, the subject) is enforced and documented."""

import pytest

from assessment import questionnaires
from assessment.models import QuestionnaireResponse
from fhir_api.tests.test_fhirpy_pathway import POINT_EXTENSION

YES_NO = questionnaires.YES_NO_SYSTEM


@pytest.fixture
def sp1(enrolment):
    return enrolment.points.get(key="sp1")


def _coded(link_id, code, system=YES_NO):
    return {"linkId": link_id, "answer": [{"valueCoding": {"system": system, "code": code}}]}


def refero_response(questionnaire="heimveg-needs-adult-nn"):
    """What Refero sends for the published nn adult form: a draft, items only (the untouched
    yes/no questions are simply absent, and the note and intro texts carry no answer)."""
    published = questionnaires.publish(questionnaires.get(questionnaires.ADULT), "nn")
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": published.url,
        "status": "in-progress",
        "item": [
            {"linkId": "page-what-matters", "item": [{"linkId": "heimveg-skipped-note"}]},
            {
                "linkId": "page-distress",
                "item": [_coded("distress-score", "4", questionnaires.SCALE_SYSTEM)],
            },
            {"linkId": "page-topic-family", "item": [_coded("topic-family", "Y"), _coded("topic-family-help", "N")]},
            {"linkId": "page-topic-work", "item": [_coded("topic-work", "N"), {"linkId": "topic-work-note"}]},
        ],
    }


def with_host_fields(body, point):
    return {
        **body,
        "status": "completed",
        "subject": {"reference": f"Patient/{point.enrolment.patient.public_id}"},
        "extension": [{"url": POINT_EXTENSION, "valueReference": {"reference": f"Task/{point.public_id}"}}],
    }


def test_answers_to_a_published_questionnaire_are_stored_as_the_sources_and_untouched_stays_unanswered(fhir_as, sp1):
    response = fhir_as("hospital").post("QuestionnaireResponse", with_host_fields(refero_response(), sp1))
    assert response.status_code == 201, response.diagnostics
    saved = QuestionnaireResponse.objects.get(public_id=response.json["id"])
    assert saved.questionnaire_id == questionnaires.ADULT
    assert saved.answers == {"distress-score": 4, "topic-family": True, "topic-family-help": False, "topic-work": False}
    assert saved.distress_score == 4
    # Read back, the answers are the source questionnaire's (booleans, an integer).
    items = {i["linkId"]: i["answer"][0] for g in response.json["item"] for i in g["item"]}
    assert items["topic-family"] == {"valueBoolean": True} and items["distress-score"] == {"valueInteger": 4}
    assert "topic-finances" not in items
    # ...and say in which language the questions were shown: the published form's.
    assert saved.language == "nn" and response.json["language"] == "nn"


def test_answers_to_the_source_questionnaire_name_no_language(fhir_as, sp1):
    body = with_host_fields(refero_response(), sp1)
    body["questionnaire"] = questionnaires.get(questionnaires.ADULT).url
    body["item"] = [
        {"linkId": "page-distress", "item": [{"linkId": "distress-score", "answer": [{"valueInteger": 3}]}]},
    ]
    response = fhir_as("hospital").post("QuestionnaireResponse", body)
    assert response.status_code == 201, response.diagnostics
    assert QuestionnaireResponse.objects.get(public_id=response.json["id"]).language == ""
    assert "language" not in response.json


def test_what_refero_sends_alone_is_refused_with_what_the_host_must_add(fhir_as, sp1):
    api = fhir_as("hospital")
    draft = api.post("QuestionnaireResponse", refero_response())
    assert draft.status_code == 422
    assert "status completed" in draft.diagnostics
    no_point = api.post("QuestionnaireResponse", {**refero_response(), "status": "completed"})
    assert no_point.status_code == 422
    assert POINT_EXTENSION in no_point.diagnostics
    assert not QuestionnaireResponse.objects.filter(point=sp1).exists()


def test_a_yes_no_answer_of_another_code_system_is_refused(fhir_as, sp1):
    body = with_host_fields(refero_response(), sp1)
    body["item"][2]["item"][0] = _coded("topic-family", "Y", "http://example.org/yes-no")
    response = fhir_as("hospital").post("QuestionnaireResponse", body)
    assert response.status_code == 422
    assert "topic-family" in response.diagnostics


def test_the_published_questionnaires_are_read_and_found_by_url(fhir_as):
    api = fhir_as("hospital")
    nn = api.get("Questionnaire/heimveg-needs-child-nn").json
    assert nn["language"] == "nn" and nn["derivedFrom"] == [questionnaires.get(questionnaires.CHILD).canonical]
    found = api.get("Questionnaire", {"url": nn["url"]}).json
    assert [e["resource"]["id"] for e in found["entry"]] == ["heimveg-needs-child-nn"]


def test_the_openapi_document_states_the_host_contract(client):
    post = client.get("/fhir/openapi.json").json()["paths"]["/QuestionnaireResponse"]["post"]
    schema = post["requestBody"]["content"]["application/fhir+json"]["schema"]
    assert schema["properties"]["status"]["enum"] == ["completed"]
    assert {"subject", "extension", "basedOn", "source"} <= set(schema["properties"])
    assert POINT_EXTENSION in schema["properties"]["extension"]["description"]
    assert "Refero" in post["description"]
