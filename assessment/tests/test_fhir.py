"""The FHIR mapping of answers: every kind of answer, both kinds of national id, and who wrote them."""

import datetime

import pytest
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse as FhirQuestionnaireResponse

from assessment import fhir, questionnaires, services
from assessment.tests import factories
from lib import nin
from patients.models import Patient, Relative


def valid(resource):
    FhirQuestionnaireResponse.model_validate(resource)
    return resource


def answer_of(resource, link_id):
    for group in resource.get("item", []):
        for item in group["item"]:
            if item["linkId"] == link_id:
                return item["answer"][0]
    raise KeyError(link_id)


def test_the_patients_answers_map_to_typed_values_in_page_groups(sp2, patient):
    response = factories.completed_patient_response(sp2, distress=6)
    resource = valid(fhir.questionnaire_response(response))
    assert resource["resourceType"] == "QuestionnaireResponse" and resource["status"] == "completed"
    assert resource["authored"] == response.submitted_at.isoformat()
    assert answer_of(resource, "distress-score") == {"valueInteger": 6}
    assert answer_of(resource, "topic-work") == {"valueBoolean": True}
    assert answer_of(resource, "topic-work-help") == {"valueBoolean": True}
    assert answer_of(resource, "what-matters") == {"valueString": factories.WHAT_MATTERS}
    groups = [group["linkId"] for group in resource["item"]]
    assert groups[0] == "page-what-matters" and "page-topic-family" not in groups  # only answered items
    assert resource["item"][0]["text"] == "Hva er viktig for deg?"
    assert resource["source"] == resource["author"] == resource["subject"]


def test_a_d_number_and_a_choice_with_its_code_system(actor_of, personas, orgs):
    birth = datetime.date(2014, 3, 9)
    number = next(n for i in range(500, 999) if (n := nin.synthetic_number(birth, i, d_number=True)))
    child = Patient.objects.create(
        national_id=number,
        national_id_kind=nin.D_NUMBER,
        date_of_birth=birth,
        given_name="Ung",
        family_name="Pasient",
        municipality=orgs["askoy"],
        registered_by=orgs["haukeland"],
    )
    point = factories.enrol(actor_of(personas["nurse"]), child).points.get(key="sp1")
    response = factories.completed_patient_response(point)
    assert response.questionnaire_id == questionnaires.CHILD
    resource = valid(fhir.questionnaire_response(response))
    assert resource["subject"]["identifier"] == {"system": "urn:oid:2.16.578.1.12.4.1.4.2", "value": number}
    assert answer_of(resource, "answered-by") == {
        "valueCoding": {
            "system": "https://heimveg.no/fhir/CodeSystem/answered-by",
            "code": "child",
            "display": "Barnet eller ungdommen selv",
        }
    }


def test_a_relatives_answers_name_the_related_person(sp2, patient):
    relative = Relative.objects.create(patient=patient, name="Kari Pasient", relation="spouse")
    questionnaire = questionnaires.get(questionnaires.RELATIVE)
    response = services.home_response(sp2, questionnaire, relative=relative)
    response.answers = {"distress-score": 5}
    response.save()
    services.submit(response, audit_as=None)
    resource = valid(fhir.questionnaire_response(response))
    assert resource["author"] == resource["source"] == {"type": "RelatedPerson", "display": "Kari Pasient"}
    assert resource["questionnaire"] == f"{questionnaire.url}|{questionnaire.version}"


def test_a_draft_record_without_answers_is_still_valid(actor_of, personas, sp2):
    assessment = services.start_assessment(actor_of(personas["coordinator"]), sp2)
    resource = valid(fhir.questionnaire_response(assessment.response))
    assert resource["status"] == "in-progress" and "item" not in resource
    assert resource["author"] == {"type": "Practitioner", "display": "Coordinator"}
    assert resource["source"]["reference"] == f"Patient/{sp2.enrolment.patient.public_id}"


def test_an_invalid_resource_is_caught_before_it_leaves():
    with pytest.raises(ValueError):
        fhir.validate({"resourceType": "QuestionnaireResponse", "status": "completed", "authored": "yesterday"})
