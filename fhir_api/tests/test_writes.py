"""QuestionnaireResponse create, Task update and the acknowledgement of a Communication: the
same services and rules as the web pages."""

from unittest import mock

import pytest
from django.db import OperationalError

from assessment import questionnaires
from assessment.models import QuestionnaireResponse
from assessment.tests.factories import patient_answers
from audit.models import AuditEntry
from fhir_api.tests.test_fhirpy_pathway import POINT_EXTENSION, questionnaire_items
from handover import outbox
from handover.models import HandoverMessage


def answers_for(point, **kwargs):
    questionnaire = questionnaires.for_patient(point.enrolment.patient)
    body = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": questionnaire.canonical,
        "status": "completed",
        "subject": {"reference": f"Patient/{point.enrolment.patient.public_id}"},
        "extension": [{"url": POINT_EXTENSION, "valueReference": {"reference": f"Task/{point.public_id}"}}],
        "item": questionnaire_items(questionnaire, patient_answers(questionnaire)),
    }
    body.update(kwargs)
    return body


@pytest.fixture
def sp1(enrolment):
    return enrolment.points.get(key="sp1")


def test_answers_from_another_form_system_are_saved_as_the_patients_and_scored(fhir_as, sp1):
    response = fhir_as("hospital").post("QuestionnaireResponse", answers_for(sp1))
    assert response.status_code == 201, response.diagnostics
    saved = QuestionnaireResponse.objects.get(public_id=response.json["id"])
    assert (saved.source, saved.status, saved.distress_score) == ("patient", "completed", 6)
    assert sp1.enrolment.events.filter(kind="answers_received").exists()
    assert AuditEntry.objects.filter(object_type="questionnaire_response", client="DIPS Arena").exists()


def test_sent_answers_cannot_be_sent_again(fhir_as, sp1):
    api = fhir_as("hospital")
    assert api.post("QuestionnaireResponse", answers_for(sp1)).status_code == 201
    again = api.post("QuestionnaireResponse", answers_for(sp1))
    assert again.status_code == 409


def test_an_answer_out_of_range_is_422_with_the_forms_message(fhir_as, sp1):
    body = answers_for(sp1)
    for group in body["item"]:
        for item in group["item"]:
            if item["linkId"] == "distress-score":
                item["answer"] = [{"valueInteger": 11}]
    response = fhir_as("hospital").post("QuestionnaireResponse", body)
    assert response.status_code == 422
    assert "distress-score: Choose a number from 0 to 10." in response.diagnostics


def test_answers_for_a_point_of_another_organisation_are_refused(fhir_as, enrolment):
    sp2 = enrolment.points.get(key="sp2")
    response = fhir_as("hospital").post("QuestionnaireResponse", answers_for(sp2))
    assert response.status_code == 422
    assert "is responsible for this collaboration point" in response.diagnostics


def test_an_unknown_questionnaire_is_422(fhir_as, sp1):
    response = fhir_as("hospital").post("QuestionnaireResponse", answers_for(sp1, questionnaire="http://x/Q|1"))
    assert response.status_code == 422


def test_completing_a_task_closes_the_point_and_hands_it_over(fhir_as, sp1):
    api = fhir_as("hospital")
    task = api.get(f"Task/{sp1.public_id}").json
    task["status"] = "completed"
    task["note"] = [{"text": "Kreftpoliklinikken"}]
    response = api.put(f"Task/{sp1.public_id}", task)
    assert response.status_code == 200, response.diagnostics
    assert response.json["status"] == "completed"
    sp1.refresh_from_db()
    assert (sp1.outcome, sp1.place, sp1.outcome_by.first_name) == ("completed", "Kreftpoliklinikken", "DIPS Arena")
    assert HandoverMessage.objects.filter(point=sp1).count() == 2  # the municipality and the GP


def test_a_task_update_that_changes_nothing_is_audited_as_a_view(fhir_as, sp1):
    api = fhir_as("hospital")
    task = api.get(f"Task/{sp1.public_id}").json
    before = AuditEntry.objects.filter(patient_public_id=sp1.enrolment.patient.public_id, action="view").count()
    response = api.put(f"Task/{sp1.public_id}", task)
    assert response.status_code == 200 and response.json["status"] == task["status"]
    after = AuditEntry.objects.filter(patient_public_id=sp1.enrolment.patient.public_id, action="view")
    assert after.count() == before + 1
    assert after.order_by("-id").first().client


def test_patching_a_task_cancelled_needs_a_reason(fhir_as, sp1):
    api = fhir_as("hospital")
    without = api.patch(f"Task/{sp1.public_id}", [{"op": "replace", "path": "/status", "value": "cancelled"}])
    assert without.status_code == 422
    assert without.diagnostics == "Give a reason for cancelling."
    with_reason = api.patch(
        f"Task/{sp1.public_id}",
        {"status": "cancelled", "statusReason": {"text": "Moved abroad"}},
        content_type="application/merge-patch+json",
    )
    assert with_reason.status_code == 200
    assert with_reason.json["status"] == "cancelled"


def test_a_closed_task_cannot_be_closed_again(fhir_as, sp1):
    api = fhir_as("hospital")
    assert (
        api.patch(f"Task/{sp1.public_id}", [{"op": "replace", "path": "/status", "value": "completed"}]).status_code
        == 200
    )
    again = api.patch(f"Task/{sp1.public_id}", [{"op": "replace", "path": "/status", "value": "rejected"}])
    assert again.status_code == 409


def test_only_the_responsible_organisation_completes_a_task(fhir_as, sp1):
    response = fhir_as("municipality").patch(
        f"Task/{sp1.public_id}", [{"op": "replace", "path": "/status", "value": "completed"}]
    )
    assert response.status_code == 422
    assert "Haukeland universitetssjukehus is responsible" in response.diagnostics


def test_other_elements_of_a_task_cannot_be_patched(fhir_as, sp1):
    response = fhir_as("hospital").patch(f"Task/{sp1.public_id}", [{"op": "replace", "path": "/owner", "value": {}}])
    assert response.status_code == 422


@pytest.fixture
def message(fhir_as, sp1):
    fhir_as("hospital").patch(f"Task/{sp1.public_id}", [{"op": "replace", "path": "/status", "value": "completed"}])
    outbox.deliver_due()
    return HandoverMessage.objects.get(point=sp1, recipient__municipality_number="4627")


def acknowledgement(message):
    return {
        "resourceType": "Communication",
        "status": "completed",
        "inResponseTo": [{"reference": f"Communication/{message.public_id}"}],
    }


def test_the_receiver_acknowledges_once(fhir_as, message):
    api = fhir_as("municipality")
    first = api.post("Communication", acknowledgement(message))
    assert first.status_code == 201
    assert first.json["id"] == f"{message.public_id}-ack"
    assert (
        api.get(f"Communication/{message.public_id}-ack")
        .json["inResponseTo"][0]["reference"]
        .endswith(str(message.public_id))
    )
    assert api.get(f"Communication/{message.public_id}").json["status"] == "completed"
    again = api.post("Communication", acknowledgement(message))
    assert again.status_code == 409
    assert "already acknowledged" in again.diagnostics


def test_the_sender_cannot_acknowledge(fhir_as, message):
    response = fhir_as("hospital").post("Communication", acknowledgement(message))
    assert response.status_code == 403


def test_a_communication_that_answers_nothing_is_422(fhir_as, message):
    response = fhir_as("municipality").post("Communication", {"resourceType": "Communication", "status": "completed"})
    assert response.status_code == 422


def test_an_acknowledgement_of_a_message_id_that_is_not_a_uuid_is_422(fhir_as, message):
    body = acknowledgement(message) | {"inResponseTo": [{"reference": "Communication/not-a-uuid"}]}
    response = fhir_as("municipality").post("Communication", body)
    assert response.status_code == 422
    assert "There is no handover message not-a-uuid" in response.diagnostics


def test_a_database_outage_while_finding_the_acknowledged_message_is_503_not_a_client_error(fhir_as, message):
    outage = OperationalError("server closed the connection unexpectedly")
    with mock.patch.object(HandoverMessage.objects, "select_related", side_effect=outage):
        response = fhir_as("municipality").post("Communication", acknowledgement(message))
    assert response.status_code == 503
    assert response.json["issue"][0]["code"] == "transient"
    assert not HandoverMessage.objects.get(pk=message.pk).acknowledged_at


def test_a_database_outage_while_acknowledging_is_503_not_a_client_error(fhir_as, message):
    outage = OperationalError("server closed the connection unexpectedly")
    with mock.patch("handover.services.acknowledge", side_effect=outage):
        response = fhir_as("municipality").post("Communication", acknowledgement(message))
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
