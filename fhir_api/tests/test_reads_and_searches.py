"""Read and search for every resource type, with the access the web pages give, paging and
_include. Every answer is validated against the R4B models by the test client."""

import pytest

from assessment.tests import factories
from audit.models import AuditEntry
from directory.models import ContactPoint
from fhir_api.mapping.common import DNR, FNR, MUNICIPALITY_EXTENSION, MUNICIPALITY_NUMBER, ORG_NUMBER
from handover import outbox
from pathway.models import CollaborationPoint
from patients.models import Relative


def test_patient_read_has_the_hl7_norway_identifier_and_municipality_number(fhir_as, patient):
    resource = fhir_as("hospital").get(f"Patient/{patient.public_id}").json
    assert resource["identifier"][0] == {"use": "official", "system": FNR, "value": patient.national_id}
    address = resource["address"][0]
    # On Address.district: the context HL7 Norway's no-basis-municipalitycode gives it.
    assert "extension" not in address and address["district"] == "Askøy"
    extension = address["_district"]["extension"][0]
    assert extension["url"] == MUNICIPALITY_EXTENSION
    assert extension["valueCoding"]["system"] == MUNICIPALITY_NUMBER
    assert extension["valueCoding"]["code"] == "4627"
    assert resource["id"] == str(patient.public_id)


def test_patient_search_by_identifier_finds_only_patients_with_a_care_relation(fhir_as, patient):
    query = {"identifier": f"{FNR}|{patient.national_id}"}
    found = fhir_as("municipality").search("Patient", query)
    assert found.json["total"] == 1 and found.ids() == [str(patient.public_id)]
    assert all(patient.national_id not in link["url"] for link in found.json["link"])
    assert fhir_as("outsider").search("Patient", query).json["total"] == 0
    assert fhir_as("hospital").search("Patient", {"identifier": f"{DNR}|{patient.national_id}"}).json["total"] == 0


def test_a_posted_search_keeps_its_parameters_out_of_the_bundles_links(fhir_as, patient):
    found = fhir_as("hospital").search("Patient", {"name": patient.family_name, "_count": 1})
    assert found.json["total"] >= 1
    assert found.json["link"] == [{"relation": "self", "url": found.json["link"][0]["url"]}]
    assert all(patient.family_name not in link["url"] for link in found.json["link"])


def test_a_national_id_in_a_url_is_refused(fhir_as, patient):
    response = fhir_as("hospital").get("Patient", {"identifier": f"{FNR}|{patient.national_id}"})
    assert response.status_code == 400
    assert "Patient/_search" in response.diagnostics
    assert response.json["issue"][0]["code"] == "security"


@pytest.mark.parametrize(
    "param,value",
    [("name", "family"), ("family", "family"), ("given", "given"), ("birthdate", "birthdate")],
)
def test_names_and_birth_dates_in_a_url_are_refused_and_found_by_a_posted_search(fhir_as, patient, param, value):
    value = {
        "family": patient.family_name,
        "given": patient.given_name,
        "birthdate": patient.date_of_birth.isoformat(),
    }[value]
    api = fhir_as("hospital")
    refused = api.get("Patient", {param: value})
    assert refused.status_code == 400
    assert refused.json["issue"][0]["code"] == "security"
    assert "POST Patient/_search" in refused.diagnostics and value not in refused.diagnostics
    # Refused before any search: nothing listed, nothing audited as shown.
    assert not AuditEntry.objects.filter(patient_public_id=patient.public_id).exists()
    found = api.search("Patient", {param: value})
    assert found.status_code == 200 and str(patient.public_id) in found.ids()
    assert all(value not in link["url"] for link in found.json["link"])
    assert fhir_as("outsider").search("Patient", {param: value}).json["total"] == 0


def test_family_and_given_match_only_their_own_part_of_the_name(fhir_as, patient):
    api = fhir_as("hospital")
    assert str(patient.public_id) not in api.search("Patient", {"family": patient.given_name}).ids()
    assert str(patient.public_id) not in api.search("Patient", {"given": patient.family_name}).ids()


def test_a_search_without_personal_data_still_works_in_a_url(fhir_as, patient):
    response = fhir_as("hospital").get("Patient", {"_id": str(patient.public_id)})
    assert response.status_code == 200 and response.ids() == [str(patient.public_id)]


def test_the_outsider_cannot_read_the_patient(fhir_as, patient):
    response = fhir_as("outsider").get(f"Patient/{patient.public_id}")
    assert response.status_code == 403
    assert response.json["issue"][0]["code"] == "forbidden"


def test_related_person(fhir_as, patient):
    relative = Relative.objects.create(patient=patient, name="Kari", relation="child", is_child=True)
    api = fhir_as("hospital")
    assert api.get(f"RelatedPerson/{relative.public_id}").json["patient"]["reference"] == f"Patient/{patient.public_id}"
    assert api.get("RelatedPerson", {"patient": f"Patient/{patient.public_id}"}).ids() == [str(relative.public_id)]


def test_organization_by_org_number_and_municipality_number(fhir_as, orgs):
    api = fhir_as("municipality")
    askoy = api.get("Organization", {"identifier": f"{MUNICIPALITY_NUMBER}|4627"})
    assert askoy.ids() == [str(orgs["askoy"].public_id)]
    trust = api.get("Organization", {"identifier": f"{ORG_NUMBER}|983974724"}).json["entry"][0]["resource"]
    assert {"system": ORG_NUMBER, "value": "983974724", "use": "official"} in trust["identifier"]


def test_healthcare_service_for_contact_points(fhir_as, orgs):
    point = ContactPoint.objects.create(organisation=orgs["askoy"], name="Kreftkoordinator", phone="56150000")
    api = fhir_as("hospital")
    resource = api.get(f"HealthcareService/{point.public_id}").json
    assert resource["providedBy"]["reference"] == f"Organization/{orgs['askoy'].public_id}"
    assert (
        str(point.public_id)
        in api.get("HealthcareService", {"organization": f"Organization/{orgs['askoy'].public_id}"}).ids()
    )


def test_plan_definitions_and_questionnaires_are_served(fhir_as):
    api = fhir_as("hospital")
    national = api.get("PlanDefinition/national-2022").json
    assert [a["id"] for a in national["action"]] == ["sp1", "sp2", "sp3"]
    assert api.get("PlanDefinition").json["total"] >= 2
    questionnaires = api.get("Questionnaire").json
    # The three source files, and each published in nb, nn and en (docs/fhir-forms.md).
    assert questionnaires["total"] == 3 + 3 * 3
    url = questionnaires["entry"][0]["resource"]["url"]
    assert api.get("Questionnaire", {"url": url}).json["total"] == 1


def test_episode_of_care_care_plan_and_tasks(fhir_as, enrolment, patient):
    api = fhir_as("hospital")
    episode = api.get(f"EpisodeOfCare/{enrolment.public_id}").json
    assert episode["status"] == "active"
    assert episode["contained"][0]["code"]["coding"][0]["code"] == "C50.9"
    assert api.get("EpisodeOfCare", {"patient": f"Patient/{patient.public_id}", "status": "active"}).json["total"] == 1
    assert (
        api.get("EpisodeOfCare", {"patient": f"Patient/{patient.public_id}", "status": "finished"}).json["total"] == 0
    )
    plan = api.get(f"CarePlan/{enrolment.public_id}").json
    assert len(plan["activity"]) == 3
    sp1 = enrolment.points.get(key="sp1")
    task = api.get(f"Task/{sp1.public_id}").json
    assert task["status"] == "ready"
    assert task["owner"]["reference"] == f"Organization/{sp1.responsible_organisation.public_id}"
    assert task["restriction"]["period"] == {
        "start": sp1.window_opens.isoformat(),
        "end": sp1.window_closes.isoformat(),
    }


def test_the_worklist_search_tasks_by_owner_status_and_period_with_the_patient_included(fhir_as, enrolment, orgs):
    api = fhir_as("municipality")
    sp2 = enrolment.points.get(key="sp2")
    query = {
        "owner": f"Organization/{orgs['askoy'].public_id}",
        "status": "requested",
        "period": [f"ge{sp2.window_opens.isoformat()}", f"le{sp2.window_closes.isoformat()}"],
        "_include": "Task:patient",
    }
    response = api.get("Task", query)
    assert response.json["total"] == 1
    assert response.ids("Task") == [str(sp2.public_id)]
    assert response.ids("Patient") == [str(enrolment.patient.public_id)]
    included = [e for e in response.json["entry"] if e["resource"]["resourceType"] == "Patient"]
    assert included[0]["search"]["mode"] == "include"
    assert api.get("Task", {**query, "status": "ready"}).json["total"] == 0


def test_count_paging_has_next_links_that_walk_all_results(fhir_as, enrolment):
    api = fhir_as("hospital")
    first = api.get("Task", {"_count": 2})
    assert first.json["total"] == 3 and len(first.ids()) == 2
    next_url = next(link["url"] for link in first.json["link"] if link["relation"] == "next")
    second = api.get(next_url.split("/fhir/", 1)[1])
    assert len(second.ids()) == 1
    assert not [link for link in second.json["link"] if link["relation"] == "next"]
    assert set(first.ids() + second.ids()) == {str(p.public_id) for p in CollaborationPoint.objects.all()}


def test_questionnaire_responses_by_patient_and_questionnaire(fhir_as, enrolment, patient):
    sp1 = enrolment.points.get(key="sp1")
    response = factories.completed_patient_response(sp1)
    api = fhir_as("hospital")
    url = response.questionnaire.url
    found = api.get("QuestionnaireResponse", {"patient": f"Patient/{patient.public_id}", "questionnaire": url})
    assert found.ids() == [str(response.public_id)]
    assert api.get(f"QuestionnaireResponse/{response.public_id}").json["status"] == "completed"
    # The patient's own answers are for the responsible organisation and the GP, not the municipality.
    assert (
        fhir_as("municipality").get("QuestionnaireResponse", {"patient": f"Patient/{patient.public_id}"}).json["total"]
        == 0
    )


@pytest.fixture
def handed_over(enrolment, actor_of, personas):
    from pathway import services

    services.close_point(actor_of(personas["nurse"]), enrolment.points.get(key="sp1"), "completed")
    outbox.deliver_due()
    return enrolment.handover_messages.get(recipient__municipality_number="4627")


def test_communications_by_recipient_and_status(fhir_as, handed_over, orgs):
    api = fhir_as("municipality")
    query = {"recipient": f"Organization/{orgs['askoy'].public_id}", "status": "in-progress"}
    assert api.get("Communication", query).ids() == [str(handed_over.public_id)]
    resource = api.get(f"Communication/{handed_over.public_id}").json
    assert resource["sender"]["reference"] == f"Organization/{orgs['haukeland'].public_id}"
    assert fhir_as("outsider").get("Communication", {"status": "in-progress"}).json["total"] == 0


def test_audit_events_are_for_a_system_in_the_admin_role(fhir_as, patient):
    fhir_as("municipality").get(f"Patient/{patient.public_id}")
    assert fhir_as("municipality").get("AuditEvent").status_code == 403
    events = fhir_as("auditor").get("AuditEvent", {"patient": f"Patient/{patient.public_id}"})
    assert events.json["total"] >= 1
    agent = events.json["entry"][0]["resource"]["agent"][0]
    assert agent["name"] == "Gerica"
    event_id = events.ids()[0]
    assert fhir_as("auditor").get(f"AuditEvent/{event_id}").json["id"] == event_id


def test_a_search_is_one_audit_event_found_per_patient_it_showed(fhir_as, patient):
    assert str(patient.public_id) in fhir_as("municipality").get("Patient").ids()
    events = fhir_as("auditor").get("AuditEvent", {"patient": f"Patient/{patient.public_id}"}).json["entry"]
    listed = [e["resource"] for e in events if e["resource"]["subtype"][0]["code"] == "list"]
    assert len(listed) == 1
    assert f"Patient/{patient.public_id}" in [entity["what"]["reference"] for entity in listed[0]["entity"]]


def test_care_plan_search_reads_the_points_of_a_page_in_one_query(fhir_as, enrolment, django_assert_max_num_queries):
    api = fhir_as("hospital")
    with django_assert_max_num_queries(20):
        plans = api.get("CarePlan", {"patient": f"Patient/{enrolment.patient.public_id}"})
    assert len(plans.json["entry"][0]["resource"]["activity"]) == 3


def test_an_enrolment_with_an_empty_diagnosis_name_does_not_break_a_page_of_episodes(fhir_as, enrolment):
    # The demo once wrote enrolments with no diagnosis name: the whole page answered 500.
    type(enrolment).objects.filter(pk=enrolment.pk).update(icd10_name="", diagnosis_specific_pathway="")
    response = fhir_as("hospital").get("EpisodeOfCare")
    assert response.status_code == 200
    assert response.ids() == [str(enrolment.public_id)]
    coding = response.json["entry"][0]["resource"]["contained"][0]["code"]["coding"][0]
    assert coding == {"system": "http://hl7.org/fhir/sid/icd-10", "code": enrolment.icd10_code}
