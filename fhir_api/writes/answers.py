"""QuestionnaireResponse create: the patient's answers from another form system (Helsenorge, a
municipality's own forms), saved and sent through the same services as the patient's answers
from home, page by page with the same checks.

The collaboration point is named by the extension
https://heimveg.no/fhir/StructureDefinition/collaboration-point (a Task reference) or by
basedOn Task/<id>; `source` RelatedPerson/<id> makes them a relative's answers. The caller's
organisation must be responsible for the point."""

from django.db import transaction
from django.utils.translation import gettext as _

from assessment import questionnaires
from assessment import services as assessment
from assessment.models import QuestionnaireResponse
from fhir_api import errors
from fhir_api.resources import common
from fhir_api.writes.common import reference_id, rule_error, validated
from lib.validators import is_uuid
from pathway import services as pathway
from pathway.models import CollaborationPoint, PathwayEvent

POINT_EXTENSION = "https://heimveg.no/fhir/StructureDefinition/collaboration-point"
DOCUMENTATION = (
    "The patient's (or a relative's) completed answers from another form system, for one collaboration "
    "point. A renderer such as Helsenorge's Refero makes the items; the host (the form system around it) "
    "adds what only it knows before it posts: status completed (Refero's own in-progress is refused: drafts "
    "stay in the form system); the collaboration point, as extension " + POINT_EXTENSION + " (valueReference "
    "Task/id) or basedOn Task/id; subject Patient/id of the point's patient (optional; when given it must "
    "match); source RelatedPerson/id for a relative's answers. questionnaire is the canonical URL|version "
    "of one of Heimveg's Questionnaires, the source or one published per language (<url>-nb, -nn, -en), "
    "whose Yes/No and 0–10 codings are read back as the source's answers. An item without an answer is "
    "not answered (never stored as no). Checked and saved page by page as the patient's answers from home; "
    "the caller's organisation must be responsible for the point. Sent answers cannot be replaced (409). "
    "See docs/fhir-forms.md."
)
# The host contract in the OpenAPI document: what a form system must add to a renderer's response.
SCHEMA = {
    "type": "object",
    "required": ["resourceType", "questionnaire", "status"],
    "anyOf": [{"required": ["extension"]}, {"required": ["basedOn"]}],
    "properties": {
        "resourceType": {"type": "string", "enum": ["QuestionnaireResponse"]},
        "questionnaire": {
            "type": "string",
            "description": "Canonical URL|version of a Heimveg Questionnaire (source or per language).",
        },
        "status": {
            "type": "string",
            "enum": ["completed"],
            "description": "Set by the host: only completed answers are taken.",
        },
        "extension": {
            "type": "array",
            "description": "The collaboration point: {url: " + POINT_EXTENSION + ", valueReference: "
            "{reference: Task/<id>}}.",
            "items": {"type": "object"},
        },
        "basedOn": {
            "type": "array",
            "description": "Or the collaboration point as basedOn Task/<id>.",
            "items": {"type": "object"},
        },
        "subject": {
            "type": "object",
            "description": "Patient/<id> of the point's patient; optional, refused when it is another patient.",
        },
        "source": {"type": "object", "description": "RelatedPerson/<id> for a relative's answers."},
        "item": {"type": "array", "items": {"type": "object"}},
    },
}


def _point_id(resource):
    for extension in resource.extension or []:
        if extension.url == POINT_EXTENSION and extension.valueReference:
            found = reference_id(extension.valueReference, "Task")
            if found:
                return found
    for based_on in resource.basedOn or []:
        found = reference_id(based_on, "Task")
        if found:
            return found
    raise errors.unprocessable(
        _("Name the collaboration point the answers are for: the extension %(url)s with a Task reference.")
        % {"url": POINT_EXTENSION},
        expression="QuestionnaireResponse.extension",
    )


def _questionnaire(resource):
    form = questionnaires.find(resource.questionnaire or "")
    if form is not None:
        return form
    raise errors.unprocessable(
        _("Heimveg has no questionnaire %(url)s. Use the canonical URL of one of its Questionnaires.")
        % {"url": (resource.questionnaire or "")[:200]},
        expression="QuestionnaireResponse.questionnaire",
    )


def _value(answer, item):
    for key in ("valueBoolean", "valueInteger", "valueString"):
        value = getattr(answer, key, None)
        if value is not None:
            return value
    if answer.valueCoding is not None:
        coding = answer.valueCoding
        if item is None:
            return coding.code
        # Yes/No and the 0–10 scale of a Questionnaire published per language are codings.
        return questionnaires.source_value(item, coding.code or "", coding.system)
    if answer.valueDecimal is not None:
        return answer.valueDecimal
    return None


def flatten(items, form, found=None) -> dict:
    """linkId -> answer value (as the source questionnaire `form` holds it), from nested items
    (pages are groups). An item without an answer is no answer: nothing is stored for it."""
    found = {} if found is None else found
    for item in items or []:
        if item.answer:
            found[item.linkId] = _value(item.answer[0], form.items.get(item.linkId))
        flatten(item.item, form, found)
        for answer in item.answer or []:
            flatten(answer.item, form, found)
    return found


def _point(context, resource):
    point_id = _point_id(resource)
    point = (
        CollaborationPoint.objects.select_related("enrolment__patient", "responsible_organisation")
        .filter(public_id=point_id if is_uuid(point_id) else None)
        .first()
    )
    if point is None:
        raise errors.unprocessable(_("There is no Task with the id %(id)s.") % {"id": point_id[:64]})
    point.enrolment.patient = common.open_patient(
        context, point.enrolment.patient, "questionnaire_response", action=None
    )
    subject = reference_id(resource.subject, "Patient")
    if subject and subject != str(point.enrolment.patient.public_id):
        raise errors.unprocessable(_("The subject is not the patient of this collaboration point."))
    return point


def _relative(resource, point):
    relative_id = reference_id(resource.source, "RelatedPerson")
    if not relative_id:
        return None
    relative = point.enrolment.patient.relatives.filter(public_id=relative_id if is_uuid(relative_id) else None).first()
    if relative is None:
        raise errors.unprocessable(_("The source is not a relative of this patient."))
    return relative


def create(context, body):
    resource = validated(body, "QuestionnaireResponse")
    if resource.status != "completed":
        raise errors.unprocessable(
            _("Send completed answers (status completed); drafts stay in the form system."),
            expression="QuestionnaireResponse.status",
        )
    form = _questionnaire(resource)
    point = _point(context, resource)
    relative = _relative(resource, point)
    answers = flatten(resource.item, form)
    unknown_ids = sorted(set(answers) - set(form.items))
    if unknown_ids:
        raise errors.unprocessable(
            _("These linkIds are not in the questionnaire: %(ids)s.") % {"ids": ", ".join(unknown_ids)[:200]}
        )
    try:
        with transaction.atomic():
            pathway.require_point_open(pathway.lock_point(point))
            pathway.require_responsible(context.actor, point)
            response = assessment.home_response(point, form, relative=relative)
            if response.status == QuestionnaireResponse.Status.COMPLETED:
                raise errors.conflict(_("These answers have been sent and can no longer be changed."))
            for index, page in enumerate(form.pages):
                link_ids = {item.link_id for item in page.items}
                problems = assessment.save_page(
                    response,
                    index,
                    {k: v for k, v in answers.items() if k in link_ids},
                    audit_as=context.actor,
                    request=context.request,
                )
                if problems:
                    raise errors.unprocessable(
                        " ".join(f"{link_id}: {message}" for link_id, message in problems.items()),
                        expression="QuestionnaireResponse.item",
                    )
            response.refresh_from_db()
            assessment.submit(
                response,
                audit_as=context.actor,
                request=context.request,
                language=questionnaires.language_of(resource.questionnaire or ""),
            )
            pathway.note_on_timeline(
                context.actor,
                point,
                PathwayEvent.Kind.ANSWERS_RECEIVED,
                data={"relative": relative is not None, "via": "fhir"},
            )
    except pathway.PathwayRuleError as error:
        raise rule_error(error) from None
    return 201, QuestionnaireResponse.objects.select_related("point__enrolment__patient", "relative", "author").get(
        pk=response.pk
    )
