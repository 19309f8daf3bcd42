"""Questionnaire (the JSON files) and QuestionnaireResponse (read, search, create)."""

from django.db.models import Q

from accounts.models import Role
from assessment import questionnaires
from assessment.models import QuestionnaireResponse
from assessment.services import may_see_patient_answers
from fhir_api import errors, search
from fhir_api.mapping import assessment as mapping
from fhir_api.resources import common
from fhir_api.resources.base import ResourceType, SearchParam, parse_uuid, register, unknown
from fhir_api.writes import answers

Source = QuestionnaireResponse.Source


def _forms():
    """The source questionnaires and each one published per language (nb, nn, en)."""
    forms = [*questionnaires.all_questionnaires().values(), *questionnaires.all_published()]
    return sorted(forms, key=lambda q: q.id)


def read_questionnaire(context, value):
    found = next((q for q in _forms() if q.id == value), None)
    if found is None:
        raise unknown("Questionnaire", value)
    return found


def _url(items, values, context):
    def matches(form, value):
        url, _bar, version = value.partition("|")
        return form.url == url and (not version or form.version == version)

    return [q for q in items if any(matches(q, v) for v in values)]


register(
    ResourceType(
        name="Questionnaire",
        documentation="The needs-assessment questionnaires: the FHIR files Heimveg's own forms are built from "
        "(texts in bokmål with nn and en translation extensions), and each of them published per language "
        "for other form systems such as Helsenorge's (id <id>-nb, <id>-nn, <id>-en: the texts in place, one "
        "page per step, the 0–10 scale as a slider, yes/no as radio buttons; derivedFrom names the source).",
        to_resource=mapping.questionnaire,
        read=read_questionnaire,
        search=lambda context: _forms(),
        params=(SearchParam("url", "uri", "The canonical URL (optionally |version).", _url),),
    )
)

RESPONSE_RELATED = (
    "point__enrolment__patient__municipality",
    "point__enrolment__patient__gp_office",
    "point__enrolment__definition",
    "point__responsible_organisation",
    "relative",
    "author",
)


def _answers_q(actor):
    """Whose answers the caller may see: the professional's record with a care relation; the
    patient's and relatives' own answers only for the point's responsible organisation and the GP
    (assessment.services.may_see_patient_answers)."""
    covered = actor.organisation.covered()
    q = Q(source=Source.PROFESSIONAL) | Q(point__responsible_organisation__in=covered)
    if actor.role == Role.GP:
        q |= Q(point__enrolment__patient__gp_office__in=covered)
    return q


def read_response(context, value):
    response = (
        QuestionnaireResponse.objects.select_related(*RESPONSE_RELATED)
        .filter(public_id=parse_uuid(value, "QuestionnaireResponse"))
        .first()
    )
    if response is None:
        raise unknown("QuestionnaireResponse", value)
    patient = common.open_patient(context, response.point.enrolment.patient, "questionnaire_response")
    response.point.enrolment.patient = patient
    if response.source != Source.PROFESSIONAL and not may_see_patient_answers(context.actor, response.point):
        raise errors.forbidden("The patient's own answers are for the responsible organisation and the GP only.")
    return response


def search_responses(context):
    return (
        QuestionnaireResponse.objects.filter(
            point__enrolment__patient__in=common.visible_patients(context),
            status=QuestionnaireResponse.Status.COMPLETED,
        )
        .filter(_answers_q(context.actor))
        .select_related(*RESPONSE_RELATED)
        .order_by("pk")
    )


def _questionnaire(items, values, context):
    def make_q(value):
        url, _bar, version = value.partition("|")
        ids = [getattr(q, "source", q).id for q in _forms() if q.url == url and (not version or q.version == version)]
        return Q(questionnaire_id__in=ids)

    return items.filter(search.any_of(values, make_q))


def _status(items, values, context):
    return items.filter(status__in=[search.token(v)[1] for v in values])


register(
    ResourceType(
        name="QuestionnaireResponse",
        documentation="Answers to a needs-assessment questionnaire: the patient's own (from home or another "
        "form system) and the professional's. Only sent (completed) answers are found.",
        to_resource=mapping.questionnaire_response,
        read=read_response,
        search=search_responses,
        audit_search=lambda context, objects, included: common.audit_list(
            context, "QuestionnaireResponse", [r.point.enrolment.patient.public_id for r in objects]
        ),
        params=(
            SearchParam("_id", "token", "The response's id.", common.id_param("public_id", "QuestionnaireResponse")),
            SearchParam(
                "patient",
                "reference",
                "The patient (Patient/id).",
                common.reference_param("point__enrolment__patient__public_id", "Patient"),
            ),
            SearchParam(
                "questionnaire", "reference", "The questionnaire's canonical URL (optionally |version).", _questionnaire
            ),
            SearchParam("status", "token", "completed (only sent answers are served).", _status),
        ),
        create=answers.create,
        create_documentation=answers.DOCUMENTATION,
        create_schema=answers.SCHEMA,
    )
)
