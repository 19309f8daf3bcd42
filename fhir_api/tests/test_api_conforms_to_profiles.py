"""The API's real answers keep the implementation guide's profiles: a pathway is enrolled, answered,
completed, handed over and acknowledged through the API, and every resource it then serves goes
through the profile rule checker (fhir_api.profile_rules) with the guide's shipped value sets.
A broken answer is caught by the rule of each kind."""

import copy

import pytest

from fhir_api.ig import profiles, terminology
from fhir_api.profile_rules import check
from fhir_api.tests.test_writes import acknowledgement, answers_for
from handover import outbox
from handover.models import HandoverMessage


@pytest.fixture
def served(fhir_as, enrolment):
    """Every resource type the guide profiles, as the API serves it after a pathway's first point."""
    hospital, municipality = fhir_as("hospital"), fhir_as("municipality")
    sp1 = enrolment.points.get(key="sp1")
    posted = hospital.post("QuestionnaireResponse", answers_for(sp1))
    assert posted.status_code == 201, posted.diagnostics
    done = hospital.patch(f"Task/{sp1.public_id}", [{"op": "replace", "path": "/status", "value": "completed"}])
    assert done.status_code == 200, done.diagnostics
    outbox.deliver_due()
    message = HandoverMessage.objects.get(point=sp1, recipient__municipality_number="4627")
    assert municipality.post("Communication", acknowledgement(message)).status_code == 201

    def everything(api, resource_type, params):
        bundle = api.get(resource_type, params).json
        return [entry["resource"] for entry in bundle.get("entry", [])]

    patient = {"patient": f"Patient/{enrolment.patient.public_id}"}
    found = {
        "EpisodeOfCare": everything(hospital, "EpisodeOfCare", patient),
        "CarePlan": everything(hospital, "CarePlan", patient),
        "Task": everything(hospital, "Task", patient),
        "Communication": everything(hospital, "Communication", patient)
        + [municipality.get(f"Communication/{message.public_id}-ack").json],
        "QuestionnaireResponse": everything(hospital, "QuestionnaireResponse", patient),
        "Patient": [hospital.get(f"Patient/{enrolment.patient.public_id}").json],
        "Organization": everything(hospital, "Organization", {"_count": 50}),
    }
    for resource_type, resources in found.items():
        assert resources, f"the API served no {resource_type}"
    return found


def _problems(resource):
    return check(resource, profiles.PROFILES_BY_TYPE[resource["resourceType"]].rules, terminology.expansions())


def test_every_resource_the_api_serves_keeps_its_profile(served):
    assert {r["status"] for r in served["Task"]} >= {"completed", "requested"}
    assert {r["status"] for r in served["Communication"]} >= {"completed"}
    problems = {r["resourceType"] + "/" + r["id"]: _problems(r) for rs in served.values() for r in rs}
    assert {key: [str(p) for p in found] for key, found in problems.items() if found} == {}


def _broken(resource, change):
    resource = copy.deepcopy(resource)
    change(resource)
    return [p.rule for p in _problems(resource)]


def test_a_broken_answer_is_caught_by_the_rule_of_each_kind(served):
    task = served["Task"][0]
    episode = served["EpisodeOfCare"][0]
    care_plan = served["CarePlan"][0]
    assert _broken(task, lambda t: t.update(intent="order")) == ["Task.intent fixed"]
    assert _broken(task, lambda t: t.pop("owner")) == ["Task.owner 1..1"]
    assert _broken(task, lambda t: t.update(status="on-hold")) == [
        f"Task.status bound to {terminology.value_set_url('task-status')}"
    ]
    assert _broken(task, lambda t: t["code"]["coding"][0].update(code="sp9")) == [
        f"Task.code bound to {terminology.value_set_url('collaboration-point')}"
    ]
    assert _broken(care_plan, lambda c: c["activity"][0]["detail"].update(kind="Appointment")) == [
        "CarePlan.activity.detail.kind fixed"
    ]
    assert _broken(episode, lambda e: e.update(extension=e["extension"][1:])) == [
        "EpisodeOfCare.extension:treatmentIntent 1..1"
    ]
    intent = next(x for x in episode["extension"] if x["url"].endswith("/treatment-intent"))
    assert _broken(episode, lambda e: e["extension"][episode["extension"].index(intent)].update(valueCode="x")) == [
        f"EpisodeOfCare.extension:treatmentIntent.valueCode bound to {terminology.value_set_url('treatment-intent')}"
    ]
    assert _broken(episode, lambda e: e["patient"].update(reference="Group/1")) == ["EpisodeOfCare.patient 1..1"]
