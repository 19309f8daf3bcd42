"""A QuestionnaireResponse as FHIR R4: what a journal system or the GP can read in.

`questionnaire_response` is a pure mapping of our model to a FHIR resource (a dict); `validate`
checks it against the fhir.resources R4B model, so an answer that does not fit is caught here and
not by the receiver. The items mirror the questionnaire: one group per page, holding the answered
questions of that page, with texts in bokmål (the questionnaires' primary language).
"""

from assessment.models import QuestionnaireResponse
from lib.nin import FHIR_SYSTEMS

Source = QuestionnaireResponse.Source


def _value(item, value):
    if item.type == "boolean":
        return {"valueBoolean": bool(value)}
    if item.type == "integer":
        return {"valueInteger": int(value)}
    if item.type == "choice":
        option = next((o for o in item.options if o.code == value), None)
        if option is None:
            return None
        coding = {"code": option.code, "display": option.display.nb}
        if option.system:
            coding = {"system": option.system, **coding}
        return {"valueCoding": coding}
    return {"valueString": str(value)}


def _items(questionnaire, answers):
    groups = []
    for page in questionnaire.pages:
        children = []
        for item in page.items:
            if not item.answerable or item.link_id not in answers:
                continue
            value = _value(item, answers[item.link_id])
            if value is not None:
                children.append({"linkId": item.link_id, "text": item.text.nb, "answer": [value]})
        if children:
            groups.append({"linkId": page.link_id, "text": page.text.nb, "item": children})
    return groups


def _patient_reference(patient):
    return {
        "reference": f"Patient/{patient.public_id}",
        "type": "Patient",
        "identifier": {"system": FHIR_SYSTEMS[patient.national_id_kind], "value": patient.national_id},
        "display": patient.full_name,
    }


def _person(response, patient):
    """Who wrote the answers down (author) and whose answers they are (source)."""
    if response.source == Source.RELATIVE:
        relative = {"type": "RelatedPerson", "display": response.relative.name if response.relative else ""}
        return relative, relative
    if response.source == Source.PROFESSIONAL:
        user = response.author
        name = (user.get_full_name() or user.get_username()) if user else ""
        return {"type": "Practitioner", "display": name}, _patient_reference(patient)
    return _patient_reference(patient), _patient_reference(patient)


def questionnaire_response(response: QuestionnaireResponse) -> dict:
    questionnaire = response.questionnaire
    patient = response.point.enrolment.patient
    author, source = _person(response, patient)
    authored = response.submitted_at or response.updated_at
    resource = {
        "resourceType": "QuestionnaireResponse",
        "id": str(response.public_id),
        **({"language": response.language} if response.language else {}),
        "questionnaire": f"{questionnaire.url}|{response.questionnaire_version}",
        "status": response.status,
        "subject": _patient_reference(patient),
        "authored": authored.isoformat(),
        "author": {k: v for k, v in author.items() if v},
        "source": {k: v for k, v in source.items() if v},
    }
    items = _items(questionnaire, questionnaire.clean(response.answers))
    if items:
        resource["item"] = items
    return resource


def validate(resource: dict) -> dict:
    """The resource if fhir.resources accepts it as an R4 QuestionnaireResponse; raises otherwise."""
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse as FhirQuestionnaireResponse

    FhirQuestionnaireResponse.model_validate(resource)
    return resource
