"""A real FHIR client drives the whole pathway against a live server: fhirpy's sync client, as a
hospital record system and then as the municipality's."""

import datetime

import pytest
from django.utils import timezone
from fhirpy import SyncFHIRClient

from assessment import questionnaires
from assessment.tests.factories import patient_answers
from fhir_api.mapping.common import FNR, ICD10
from fhir_api.tests.conftest import token_for, validate_fhir
from handover import outbox
from handover.models import HandoverMessage
from pathway.models import CollaborationPoint
from testsupport.browser import _directory_back_after_flush, national_directory  # noqa: F401

POINT_EXTENSION = "https://heimveg.no/fhir/StructureDefinition/collaboration-point"


def _answer_value(item, value):
    if item.type == "boolean":
        return {"valueBoolean": value}
    if item.type == "integer":
        return {"valueInteger": value}
    if item.type == "choice":
        return {"valueCoding": {"code": value}}
    return {"valueString": value}


def questionnaire_items(questionnaire, answers):
    """Answers as a form system would send them: one group per page."""
    groups = []
    for page in questionnaire.pages:
        children = [
            {"linkId": item.link_id, "answer": [_answer_value(item, answers[item.link_id])]}
            for item in page.items
            if item.link_id in answers
        ]
        if children:
            groups.append({"linkId": page.link_id, "item": children})
    return groups


def client_for(live_server, system, **kwargs):
    return SyncFHIRClient(f"{live_server.url}/fhir", authorization=f"Bearer {token_for(system)}", **kwargs)


def dump(resource):
    return validate_fhir(resource.serialize())


@pytest.mark.usefixtures("national_directory")
def test_a_record_system_drives_the_whole_pathway_through_fhirpy(live_server, systems, patient, orgs):
    hospital = client_for(live_server, systems["hospital"])
    diagnosed = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()

    # 1. Enrol (conditional create: a retry finds the same enrolment).
    episode = dict(  # noqa: C408 - the keyword form reads like fhirpy's resource()
        status="active",
        contained=[
            {
                "resourceType": "Condition",
                "id": "dx",
                "code": {"coding": [{"system": ICD10, "code": "C34.1"}]},
                "subject": {"reference": f"Patient/{patient.public_id}"},
                "onsetDateTime": diagnosed,
            }
        ],
        diagnosis=[{"condition": {"reference": "#dx"}}],
        patient={"identifier": {"system": FNR, "value": patient.national_id}},
    )
    # The criteria name the national identity number, so they go in If-None-Exist, not in a URL.
    criteria = f"patient.identifier={FNR}|{patient.national_id}&diagnosis-code=C34.1&diagnosis-date={diagnosed}"
    conditional = client_for(live_server, systems["hospital"], extra_headers={"If-None-Exist": criteria})
    created, is_new = conditional.resources("EpisodeOfCare").get_or_create(
        conditional.resource("EpisodeOfCare", **episode)
    )
    again, again_new = conditional.resources("EpisodeOfCare").get_or_create(
        conditional.resource("EpisodeOfCare", **episode)
    )
    assert (is_new, again_new) == (True, False) and created.id == again.id
    dump(created)

    # 2. The first Task: the hospital's point, due now.
    task = hospital.resources("Task").search(**{"based-on": f"CarePlan/{created.id}", "status": "ready"}).first()
    assert task is not None and task["owner"]["reference"].endswith(str(orgs["haukeland"].public_id))
    dump(task)

    # 3. The patient's answers from another form system.
    questionnaire = questionnaires.for_patient(patient)
    response = hospital.resource(
        "QuestionnaireResponse",
        questionnaire=questionnaire.canonical,
        status="completed",
        subject={"reference": f"Patient/{patient.public_id}"},
        extension=[{"url": POINT_EXTENSION, "valueReference": {"reference": f"Task/{task.id}"}}],
        item=questionnaire_items(questionnaire, patient_answers(questionnaire)),
    )
    response.save()
    assert response.id and response["status"] == "completed"
    dump(response)

    # 4. Complete the Task: the point is completed and handed over.
    task["status"] = "completed"
    task.save()
    assert task["status"] == "completed"
    assert CollaborationPoint.objects.get(public_id=task.id).outcome == "completed"
    outbox.deliver_due()  # the outbox worker's run

    # 5. The municipality finds the Communication and acknowledges it.
    municipality = client_for(live_server, systems["municipality"])
    askoy = f"Organization/{orgs['askoy'].public_id}"
    messages = municipality.resources("Communication").search(recipient=askoy, status="in-progress").fetch_all()
    assert len(messages) == 1
    message = messages[0]
    dump(message)
    acknowledgement = municipality.resource(
        "Communication",
        status="completed",
        inResponseTo=[{"reference": f"Communication/{message.id}"}],
        sender={"reference": askoy},
        recipient=[message["sender"]],
    )
    acknowledgement.save()
    assert acknowledgement.id == f"{message.id}-ack"
    assert HandoverMessage.objects.get(public_id=message.id).acknowledged_by_name.startswith("Gerica")
    assert municipality.resources("Communication").search(recipient=askoy, status="completed").count() == 1

    # 6. The municipality's worklist: its Tasks, with the patients.
    tasks = municipality.resources("Task").search(owner=askoy).include("Task", "patient").fetch_all()
    assert {t["code"]["coding"][0]["code"] for t in tasks} == {"sp2", "sp3"}
    for found in tasks:
        dump(found)
