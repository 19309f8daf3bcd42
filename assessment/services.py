"""Every change to answers, assessments and follow-up actions goes through one function here: the
rule, the change, the timeline event (through the pathway) and the audit entry, in one transaction.

Who sees what: the patient's own answers are for the professionals of the point's responsible
organisation and the patient's GP only (`may_see_patient_answers`); the professional's record
(summary, follow-up actions) is for everyone with a care relation, because it is handed over.
"""

import datetime
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from assessment import questionnaires, scoring
from assessment.models import Assessment, FollowUp, QuestionnaireResponse
from audit.models import AuditEntry
from pathway import services as pathway
from pathway.models import CollaborationPoint
from pathway.services import PathwayConflict, PathwayRuleError
from patients.access import record

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.actor import Actor
    from directory.models import Organisation
    from patients.models import Patient, Relative

Action = AuditEntry.Action
Source = QuestionnaireResponse.Source


def may_see_patient_answers(actor: "Actor", point: CollaborationPoint) -> bool:
    organisation = actor.organisation
    if organisation.covers(point.responsible_organisation):
        return True
    gp_office = point.enrolment.patient.gp_office
    return actor.role == Role.GP and gp_office is not None and organisation.covers(gp_office)


def _lock(assessment: Assessment) -> CollaborationPoint:
    """Lock the assessment's point (and its enrolment, first) and read the point and the
    assessment afresh: of two concurrent saves or completions the second sees the first's."""
    point = pathway.lock_point(assessment.point)
    assessment.refresh_from_db(fields=["summary", "place", "held_on", "completed_at", "completed_by"])
    return point


def _require_changeable(actor: "Actor", point: CollaborationPoint) -> None:
    pathway.require_open(point.enrolment)
    pathway.require_responsible(actor, point)


def validate_answers(
    questionnaire: questionnaires.Questionnaire, answers: dict, link_ids: Collection[str] | None = None
) -> dict[str, str]:
    """Check each given answer against its item; returns {linkId: message} for those that fail."""
    errors = {}
    for link_id, value in answers.items():
        item = questionnaire.items.get(link_id)
        if item is None or (link_ids is not None and link_id not in link_ids):
            continue
        if item.type == "integer":
            if not isinstance(value, int) or isinstance(value, bool):
                errors[link_id] = _("Choose a number.")
            elif (item.min_value is not None and value < item.min_value) or (
                item.max_value is not None and value > item.max_value
            ):
                errors[link_id] = _("Choose a number from %(min)s to %(max)s.") % {
                    "min": item.min_value,
                    "max": item.max_value,
                }
        elif item.type == "choice" and value not in {o.code for o in item.options}:
            errors[link_id] = _("Choose one of the answers.")
        elif item.type == "boolean" and not isinstance(value, bool):
            errors[link_id] = _("Answer yes or no.")
        elif item.type in ("text", "string") and len(str(value)) > 4000:
            errors[link_id] = _("The answer is too long: at most 4000 characters.")
    return errors


def missing_required(questionnaire: questionnaires.Questionnaire, answers: dict, link_ids: Iterable[str]) -> list[str]:
    return [
        link_id
        for link_id in link_ids
        if (item := questionnaire.items[link_id]).required
        and item.enabled(answers)
        and answers.get(link_id) in (None, "")
    ]


def score(response: QuestionnaireResponse) -> scoring.Result:
    patient = response.point.enrolment.patient
    return scoring.score(
        response.questionnaire,
        response.answers,
        has_minor_children=patient.relatives.filter(is_child=True).exists(),
        thresholds=scoring.Thresholds.from_settings(),
    )


def _store_scores(response: QuestionnaireResponse) -> None:
    result = score(response)
    response.distress_score = result.distress_score
    response.areas = [a.code for a in result.areas]
    response.help_areas = [a.code for a in result.help_wanted]


# --- The patient's own answers, from home (called by the portal) -------------------------------


def home_response(
    point: CollaborationPoint, questionnaire: questionnaires.Questionnaire, *, relative: "Relative | None" = None
) -> QuestionnaireResponse:
    """The patient's (or relative's) answers for a point: the draft if there is one."""
    source = Source.RELATIVE if relative else Source.PATIENT
    response, _created = QuestionnaireResponse.objects.get_or_create(
        point=point,
        source=source,
        relative=relative,
        defaults={"questionnaire_id": questionnaire.id, "questionnaire_version": questionnaire.version},
    )
    return response


@transaction.atomic
def save_page(
    response: QuestionnaireResponse,
    page_index: int,
    page_answers: dict,
    *,
    audit_as: object,
    request: "HttpRequest | None" = None,
) -> dict[str, str]:
    """Save one page of answers as the respondent goes; returns errors by linkId (nothing saved
    if there are any). `audit_as` is the actor to log the change for (the portal's respondent)."""
    response = QuestionnaireResponse.objects.select_for_update().get(pk=response.pk)
    if response.status == QuestionnaireResponse.Status.COMPLETED:
        raise PathwayRuleError(_("These answers have been sent and can no longer be changed."))
    questionnaire = response.questionnaire
    page = questionnaire.pages[page_index]
    link_ids = [item.link_id for item in page.items if item.answerable]
    merged = {k: v for k, v in response.answers.items() if k not in link_ids}
    merged.update({k: v for k, v in page_answers.items() if k in link_ids and v not in (None, "")})
    errors = validate_answers(questionnaire, merged, link_ids)
    for link_id in missing_required(questionnaire, merged, link_ids):
        errors.setdefault(link_id, _("Answer this question to go on."))
    if errors:
        return errors
    response.answers = questionnaire.clean(merged)
    response.current_page = min(page_index + 1, len(questionnaire.pages))
    response.save(update_fields=["answers", "current_page", "updated_at"])
    record(
        audit_as,
        response.point.enrolment.patient,
        Action.UPDATE,
        object_type="questionnaire_response",
        detail=f"page {page_index + 1}",
        request=request,
    )
    return {}


@transaction.atomic
def submit(
    response: QuestionnaireResponse,
    *,
    audit_as: object,
    request: "HttpRequest | None" = None,
    language: str = "",
) -> None:
    """Send the answers (all required questions answered), in `language` where the caller knows
    which language the questions were shown in."""
    questionnaire = response.questionnaire
    missing = missing_required(questionnaire, response.answers, list(questionnaire.items))
    if missing:
        raise PathwayRuleError(_("Some required questions are not answered yet."))
    response.status = QuestionnaireResponse.Status.COMPLETED
    response.submitted_at = timezone.now()
    response.language = language
    _store_scores(response)
    response.save()
    record(
        audit_as,
        response.point.enrolment.patient,
        Action.UPDATE,
        object_type="questionnaire_response",
        detail="submitted",
        request=request,
    )


# --- The professional's record -----------------------------------------------------------------


def patient_response(point: CollaborationPoint) -> QuestionnaireResponse | None:
    return point.responses.filter(source=Source.PATIENT, status=QuestionnaireResponse.Status.COMPLETED).first()


def previous_result(
    point: CollaborationPoint,
) -> tuple[QuestionnaireResponse, scoring.Result] | tuple[None, None]:
    """The result of the point held before this one: the nearest earlier point of the same
    pathway (a lower sequence), or else of the patient's earlier pathway, with answers sent;
    the professional's completed record before the patient's own. Never a later point, whenever
    its answers were sent (SP2's answers must not be SP1's "previous")."""
    enrolment = point.enrolment
    before = Q(point__enrolment=enrolment, point__sequence__lt=point.sequence) | Q(
        point__enrolment__patient=enrolment.patient, point__enrolment__created_at__lt=enrolment.created_at
    )
    earlier = (
        QuestionnaireResponse.objects.filter(
            before,
            status=QuestionnaireResponse.Status.COMPLETED,
            source__in=[Source.PROFESSIONAL, Source.PATIENT],
        )
        .select_related("point__enrolment__patient")
        # The latest pathway, its latest point; "professional" sorts before "patient".
        .order_by("-point__enrolment__created_at", "-point__enrolment_id", "-point__sequence", "-source")
        .first()
    )
    return (earlier, score(earlier)) if earlier else (None, None)


def load_started(points: Collection[CollaborationPoint], patient: "Patient | None" = None) -> None:
    """Sets `assessment_started` on each of `points` (the pathway page's points to act on), in one
    query: whether a clinician has started its assessment."""
    started = set(Assessment.objects.filter(point__in=points).values_list("point_id", flat=True))
    for point in points:
        point.assessment_started = point.pk in started


@transaction.atomic
def start_assessment(actor: "Actor", point: CollaborationPoint, *, request: "HttpRequest | None" = None) -> Assessment:
    """The professional's record, starting from the patient's own answers when there are some.
    Under the point's lock, so that two starts at once make one record (the second opens it)."""
    pathway.lock_point(point)
    existing = Assessment.objects.filter(point=point).first()
    if existing:
        return existing
    pathway.require_point_open(point)
    pathway.require_responsible(actor, point)
    own = patient_response(point)
    questionnaire = own.questionnaire if own else questionnaires.for_patient(point.enrolment.patient)
    response = QuestionnaireResponse.objects.create(
        point=point,
        source=Source.PROFESSIONAL,
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        answers=dict(own.answers) if own else {},
        author=actor.user,
    )
    assessment = Assessment.objects.create(point=point, response=response, organisation=actor.organisation)
    record(actor, point.enrolment.patient, Action.CREATE, object_type="assessment", detail=point.key, request=request)
    return assessment


@transaction.atomic
def save_assessment(
    actor: "Actor",
    assessment: Assessment,
    answers: dict,
    summary: str,
    *,
    place: str | None = None,
    held_on: datetime.date | None = None,
    autosave: bool = False,
    request: "HttpRequest | None" = None,
) -> dict[str, str]:
    """Save the professional's answers, summary, and where and when the conversation took place
    (a draft; `place` and `held_on` are left as they are when None). Returns errors by linkId.

    An `autosave` (the page saving as the professional types, switches tabs or is warned of the
    idle timeout) saves the same draft under the same rules, and never completes anything; one
    that changes nothing writes nothing, not even to the audit log."""
    point = _lock(assessment)
    _require_changeable(actor, point)
    if assessment.is_completed:
        raise PathwayConflict(_("The assessment is completed and can no longer be changed."))
    response = assessment.response
    questionnaire = response.questionnaire
    errors = validate_answers(questionnaire, answers)
    if errors:
        return errors
    cleaned = questionnaire.clean(answers)
    draft: dict[str, object] = {"summary": summary.strip()}
    if place is not None:
        draft["place"] = place.strip()
    if held_on is not None:
        draft["held_on"] = held_on
    unchanged = response.answers == cleaned and all(getattr(assessment, k) == v for k, v in draft.items())
    if autosave and unchanged:
        return {}
    response.answers = cleaned
    response.author = actor.user
    _store_scores(response)
    response.save()
    for name, value in draft.items():
        setattr(assessment, name, value)
    assessment.save(update_fields=list(draft))
    detail = f"{point.key} autosave" if autosave else point.key
    record(actor, point.enrolment.patient, Action.UPDATE, object_type="assessment", detail=detail, request=request)
    return {}


@transaction.atomic
def complete_assessment(
    actor: "Actor",
    assessment: Assessment,
    *,
    on_date: datetime.date | None = None,
    place: str = "",
    reason: str = "",
    handover: pathway.HandoverChoice | None = None,
    today: datetime.date | None = None,
    request: "HttpRequest | None" = None,
) -> Assessment:
    """Completing the assessment completes the collaboration point, which hands it over with the
    professional's `handover` choices (a pathway.services.HandoverChoice). Without `on_date` and
    `place`, the draft's date and place are used."""
    point = _lock(assessment)
    _require_changeable(actor, point)
    if assessment.is_completed:
        raise PathwayConflict(_("The assessment is already completed."))
    if not assessment.summary.strip():
        raise PathwayRuleError(_("Write a short summary of the conversation before completing."), field="summary")
    # Where and when, as given now or else as the draft has them.
    place = place.strip() or assessment.place
    on_date = on_date or assessment.held_on
    response = assessment.response
    response.status = QuestionnaireResponse.Status.COMPLETED
    response.submitted_at = timezone.now()
    _store_scores(response)
    response.save()
    assessment.completed_at, assessment.completed_by = timezone.now(), actor.user
    assessment.save(update_fields=["completed_at", "completed_by"])
    pathway.close_point(
        actor,
        point,
        CollaborationPoint.Outcome.COMPLETED,
        on_date=on_date,
        place=place,
        reason=reason,
        handover=handover,
        today=today,
        request=request,
    )
    return assessment


@transaction.atomic
def add_follow_up(
    actor: "Actor",
    assessment: Assessment,
    *,
    need: str,
    action: str,
    area: str = "",
    responsible_organisation: "Organisation | None" = None,
    responsible_service: str = "",
    status: str = FollowUp.Status.PLANNED,
    request: "HttpRequest | None" = None,
) -> FollowUp:
    point = _lock(assessment)
    _require_changeable(actor, point)
    if assessment.is_completed:  # the completed record is read-only; only the status of its actions moves
        raise PathwayRuleError(_("The assessment is completed; its follow-up actions can no longer be added to."))
    if not need.strip() or not action.strip():
        raise PathwayRuleError(_("Write both the need and the action."), field="action")
    if responsible_organisation is None and not responsible_service.strip():
        raise PathwayRuleError(
            _("Say who is responsible: choose a service or write its name."), field="responsible_service"
        )
    follow_up = FollowUp.objects.create(
        assessment=assessment,
        need=need.strip(),
        action=action.strip(),
        area=area,
        responsible_organisation=responsible_organisation,
        responsible_service=responsible_service.strip(),
        status=status,
    )
    record(actor, point.enrolment.patient, Action.CREATE, object_type="follow_up", request=request)
    return follow_up


@transaction.atomic
def set_follow_up_status(
    actor: "Actor", follow_up: FollowUp, status: str, *, request: "HttpRequest | None" = None
) -> None:
    point = pathway.lock_point(follow_up.assessment.point)
    _require_changeable(actor, point)
    if status not in FollowUp.Status.values:
        raise PathwayRuleError(_("Choose a status."), field="status")
    follow_up.status = status
    follow_up.save(update_fields=["status", "updated_at"])
    record(actor, point.enrolment.patient, Action.UPDATE, object_type="follow_up", detail=status, request=request)
