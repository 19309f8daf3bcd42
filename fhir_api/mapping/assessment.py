"""Questionnaire (the JSON files are already FHIR) and QuestionnaireResponse (built by
assessment.fhir, with the plan it belongs to)."""

from assessment import fhir as assessment_fhir
from fhir_api.mapping.common import build, ref


def questionnaire(form):
    return build("Questionnaire", {k: v for k, v in form.resource.items() if k != "resourceType"})


def questionnaire_response(response):
    data = assessment_fhir.questionnaire_response(response)
    data.pop("resourceType")
    point = response.point
    data["basedOn"] = [ref("CarePlan", point.enrolment.public_id)]
    data["extension"] = [
        {
            "url": "http://hl7.org/fhir/StructureDefinition/workflow-episodeOfCare",
            "valueReference": ref("EpisodeOfCare", point.enrolment.public_id),
        },
        {
            "url": "https://heimveg.no/fhir/StructureDefinition/collaboration-point",
            "valueReference": ref("Task", point.public_id, point.display_title),
        },
    ]
    return build("QuestionnaireResponse", data)
