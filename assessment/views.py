"""The professional's side of the needs assessment: the assessment page of a collaboration point
(the patient's own answers first, then the professional's record and the follow-up actions), the
printable journal note, and a set of answers as FHIR JSON.

Every view opens the patient through patients.access, which refuses without a care relation and
logs the view; the patient's own answers are shown only when `services.may_see_patient_answers`
says so. Changes go through assessment.services, which log them; a page that comes back with
errors shows the patient's data again, so that is logged as a view.

Nothing typed is lost: the draft autosaves (assessment/static/assessment/draft.js posts it to
`autosave` as the professional types, leaves the tab or is warned of the idle timeout), and a
follow-up change posts the unsaved draft along and, from htmx, answers with the follow-up section
alone, leaving the draft's form untouched (without JavaScript the page comes back with everything).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import actor_required
from assessment import fhir, presentation, scoring, services
from assessment.forms import (
    SERVICE_SUGGESTIONS,
    AssessmentForm,
    FollowUpForm,
    FollowUpStatusForm,
    initial_from_answers,
    responsible_organisations,
)
from assessment.models import Assessment, FollowUp, QuestionnaireResponse
from audit.models import AuditEntry
from pathway import confirmation
from pathway import services as pathway
from pathway.services import PathwayConflict, PathwayRuleError
from pathway.views import open_point
from patients import access
from patients.access import CARE_ROLES

Action = AuditEntry.Action
Source = QuestionnaireResponse.Source
Status = QuestionnaireResponse.Status


def _language():
    return translation.get_language() or "nb"


def _open_point(request, public_id, action, what=""):
    """The point, with its patient opened for the actor (403 without a care relation)."""
    return open_point(request, public_id, action, object_type="assessment", what=what)


def _log_view(request, point):
    access.record(
        request.actor, point.enrolment.patient, Action.VIEW, object_type="assessment", detail=point.key, request=request
    )


def _assessment(point):
    """The point's assessment, sharing the opened point so that services audit with its access
    decision (the emergency flag). Its record (the professional's response) shares it too: scoring
    the record reads the patient's relatives, which would otherwise fetch the point, its enrolment
    and its patient again (three queries on every page with a record)."""
    assessment = Assessment.objects.select_related("response", "completed_by", "organisation").filter(point=point)
    assessment = assessment.first()
    if assessment is not None:
        assessment.point = point
        if assessment.response.point_id == point.pk:
            assessment.response.point = point
    return assessment


def _apply_rule_error(form, error):
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.messages)


def _page_url(point, anchor=""):
    return reverse("assessment:point", kwargs={"public_id": point.public_id}) + anchor


# --- What the page and the note show -----------------------------------------------------------


def _own_answers(point, language):
    """The patient's own answers, scored and compared with the previous point's result."""
    own = services.patient_response(point)
    if own is None:
        return {"own": None}
    result = services.score(own)
    previous_response, previous = services.previous_result(point)
    questionnaires = [own.questionnaire] + ([previous_response.questionnaire] if previous_response else [])
    return {
        "own": own,
        "own_summary": presentation.summarise(own.questionnaire, own.answers, result, language),
        "comparison": presentation.compare(result, previous, questionnaires, language),
        "previous_response": previous_response,
    }


def _record_summary(assessment, language):
    response = assessment.response
    return presentation.summarise(response.questionnaire, response.answers, services.score(response), language)


def _shared_context(request, point, assessment):
    """What the page and the note both show: the patient's answers (when allowed), the record."""
    actor, language = request.actor, _language()
    patient = point.enrolment.patient
    may_see = services.may_see_patient_answers(actor, point)
    responsible = pathway.is_responsible(actor, point)
    context = {
        "point": point,
        "enrolment": point.enrolment,
        "patient": patient,
        "assessment": assessment,
        "may_see_answers": may_see,
        "responsible": responsible,
        "threshold": scoring.Thresholds.from_settings().distress,
    }
    if may_see:
        context.update(_own_answers(point, language))
    own_summary = context.get("own_summary")
    context["children_as_relatives"] = (
        own_summary.result.children_as_relatives if own_summary else patient.relatives.filter(is_child=True).exists()
    )
    # A draft is the responsible organisation's working copy; the completed record is handed over.
    context["record_visible"] = assessment is not None and (assessment.is_completed or responsible)
    if context["record_visible"]:
        context["record"] = _record_summary(assessment, language)
        context["follow_ups"] = list(assessment.follow_ups.select_related("responsible_organisation"))
    return context


DRAFT_FORM_ID = "hv-assessment-form"  # the draft's <form>; the follow-up fields belong to it too


def _draft_form(request, point, assessment, data=None):
    """The draft's form: posted, or filled from the stored draft."""
    response = assessment.response
    initial = None
    if data is None:
        initial = {
            **initial_from_answers(response.questionnaire, response.answers),
            "summary": assessment.summary,
            "on_date": assessment.held_on,
            "place": assessment.place or point.place,
        }
    return AssessmentForm(
        data,
        initial=initial,
        questionnaire=response.questionnaire,
        language=_language(),
        point=point,
        sender=request.actor.organisation,
    )


def _follow_up_context(context, point, assessment, *, follow_up_form=None):
    """The follow-up section (assessment/follow_up_section.html): the actions, a status form on each
    while the pathway is open, and the form to add one while the record is a draft. While it is a
    draft, every field belongs to the draft's form, so that a change posts the unsaved draft along
    and, without JavaScript, the page that comes back still holds everything typed."""
    editing = context["editing"]
    form_id = DRAFT_FORM_ID if editing else ""
    context["draft_form_id"] = form_id
    if editing:
        areas = [(area.code, area.text) for area in context["record"].areas]
        context["follow_up_form"] = follow_up_form or FollowUpForm(
            areas=areas, organisations=responsible_organisations(point), form_id=form_id
        )
        context["service_suggestions"] = SERVICE_SUGGESTIONS
    if context["changeable"] and context.get("follow_ups"):
        for follow_up in context["follow_ups"]:
            follow_up.status_form = FollowUpStatusForm(follow_up=follow_up, form_id=form_id)
    return context


def _page_context(request, point, assessment, *, form=None, follow_up_form=None):
    context = _shared_context(request, point, assessment)
    changeable = context["responsible"] and point.enrolment.is_open
    editing = changeable and assessment is not None and not assessment.is_completed
    context.update(
        {
            "can_start": changeable and assessment is None and not point.outcome,
            "changeable": changeable,
            "editing": editing,
            "status": point.status(timezone.localdate()),
        }
    )
    if editing:
        context["form"] = form or _draft_form(request, point, assessment)
    _follow_up_context(context, point, assessment, follow_up_form=follow_up_form)
    posted = [f for f in (form, follow_up_form) if f is not None and f.errors]
    context["error_form"] = posted[0] if posted else None
    return context


def _render_page(request, point, assessment, *, form=None, follow_up_form=None):
    context = _page_context(request, point, assessment, form=form, follow_up_form=follow_up_form)
    return render(request, "assessment/point.html", context)


# --- The assessment page -----------------------------------------------------------------------


@actor_required(*CARE_ROLES)
def point_page(request, public_id):
    """GET: the page. POST with step=start|save|complete: start, save the draft, or complete."""
    point = _open_point(request, public_id, Action.VIEW if request.method == "GET" else None)
    assessment = _assessment(point)
    if request.method != "POST":
        return _render_page(request, point, assessment)
    step = request.POST.get("step")
    if step == "start":
        try:
            services.start_assessment(request.actor, point, request=request)
        except PathwayRuleError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The assessment is started."))
        return redirect(_page_url(point))
    if assessment is None or step not in ("save", "complete"):
        return redirect(_page_url(point))
    form = _draft_form(request, point, assessment, request.POST)
    if step == "complete" and form.is_valid():
        return _complete(request, point, assessment, form)
    if form.is_valid() and _save(request, assessment, form):
        return redirect(_page_url(point, "#record"))
    _log_view(request, point)
    return _render_page(request, point, _assessment(point), form=form)


def _complete(request, point, assessment, form):
    """ "Complete the assessment": the draft is saved as typed, then the page shows what will
    happen (the messages, to whom, with what) and completes on the second POST, which carries the
    token of what was shown (pathway.confirmation). A reason is asked there when the completion
    is outside the window or before the patient's answer to the offer."""
    actor, data = request.actor, form.cleaned_data
    try:
        errors = _save_draft(request, assessment, form)
    except PathwayConflict as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_page_url(point))
    if errors:
        form.add_answer_errors(errors)
        _log_view(request, point)
        return _render_page(request, point, _assessment(point), form=form)

    def refused(error):
        _apply_rule_error(form, error)
        _log_view(request, point)
        return _render_page(request, point, _assessment(point), form=form)

    return confirmation.handle(
        request,
        kind=f"assessment:{point.pk}",
        call=lambda: services.complete_assessment(
            actor,
            assessment,
            on_date=data["on_date"],
            place=data["place"],
            reason=request.POST.get("reason", ""),
            handover=form.handover_choice(),
            request=request,
        ),
        patient=point.enrolment.patient,
        title=_("Complete the assessment: %(title)s") % {"title": point.display_title},
        back_url=_page_url(point),
        done_url=_page_url(point),
        success=_("The assessment is completed, and so is the collaboration point."),
        confirm_label=_("Complete and send"),
        reason_field="reason",
        on_rule_error=refused,
    )


def _save(request, assessment, form):
    """Save the draft; False with the errors on the form otherwise. A conflict (someone else
    completed the point or ended the pathway just now) is True too: the message goes with the page
    reloaded in its current state, since the form no longer applies."""
    try:
        errors = _save_draft(request, assessment, form)
    except PathwayConflict as error:
        messages.error(request, " ".join(error.messages))
        return True
    except PathwayRuleError as error:
        _apply_rule_error(form, error)
        return False
    if errors:
        form.add_answer_errors(errors)
        return False
    messages.success(request, _("The draft is saved."))
    return True


def _save_draft(request, assessment, form, *, autosave=False):
    """The draft as typed: answers, summary, place and date. Returns the answers' errors."""
    data = form.cleaned_data
    return services.save_assessment(
        request.actor,
        assessment,
        form.answers(),
        data["summary"],
        place=data["place"],
        held_on=data["on_date"],
        autosave=autosave,
        request=request,
    )


# --- Autosave and follow-up actions ------------------------------------------------------------


def _saved_status():
    return _("Draft saved %(time)s") % {"time": timezone.localtime().strftime("%H:%M")}


def _save_posted_draft(request, point, assessment):
    """Save the draft posted along with a follow-up change or by the page's autosave, as "Save
    draft" does but quietly (an autosave: nothing written when nothing changed). Returns the bound
    form (None when no draft was posted or it cannot be changed), whether it is saved, and a
    short status for the page."""
    if assessment.is_completed or "summary" not in request.POST:
        return None, False, ""
    form = _draft_form(request, point, assessment, request.POST)
    if not form.is_valid():
        return form, False, _("Not saved automatically: a field needs correcting. Use “Save draft” to see which.")
    try:
        errors = _save_draft(request, assessment, form, autosave=True)
    except PathwayRuleError as error:  # completed or ended meanwhile, or no longer responsible
        return form, False, " ".join(error.messages)
    if errors:
        form.add_answer_errors(errors)
        return form, False, _("Not saved automatically: an answer needs correcting. Use “Save draft” to see which.")
    return form, True, _saved_status()


@actor_required(*CARE_ROLES)
@require_POST
def autosave(request, public_id):
    """The draft saved as the professional types, leaves the tab or is warned of the idle timeout
    (assessment/static/assessment/draft.js): the same save as "Save draft", audited and under the
    point's lock, and never a completion, whatever else is posted. JSON for the page's status line."""
    point = _open_point(request, public_id, None)
    assessment = _assessment(point)
    if assessment is None:
        raise Http404
    if assessment.is_completed:
        return JsonResponse({"saved": False, "status": _("The assessment is completed and can no longer be changed.")})
    _form, saved, status = _save_posted_draft(request, point, assessment)
    return JsonResponse({"saved": saved, "status": status})


def _follow_ups_changed(request, point, draft, follow_up_form=None, message="", error=False):
    """The answer to a follow-up change. From htmx: the follow-up section alone, with the message
    and the draft's status in their live regions, leaving the draft's form as the user has it.
    Without JavaScript: the page again when something needs correcting (everything posted kept),
    else back to the page."""
    draft_form, saved, draft_status = draft
    assessment = _assessment(point)
    if request.htmx:
        _log_view(request, point)
        context = _shared_context(request, point, assessment)
        changeable = context["responsible"] and point.enrolment.is_open
        context.update({"changeable": changeable, "editing": changeable and assessment and not assessment.is_completed})
        _follow_up_context(context, point, assessment, follow_up_form=follow_up_form)
        context.update({"message": message, "message_is_error": error, "draft_status": draft_status})
        return render(request, "assessment/follow_ups_changed.html", context)
    if error and follow_up_form is None:
        messages.error(request, message)
    elif not error:
        messages.success(request, message)
    if follow_up_form is None and (draft_form is None or saved):
        return redirect(_page_url(point, "#follow-ups"))
    _log_view(request, point)
    return _render_page(request, point, assessment, form=draft_form, follow_up_form=follow_up_form)


@actor_required(*CARE_ROLES)
@require_POST
def add_follow_up(request, public_id):
    point = _open_point(request, public_id, None)
    assessment = _assessment(point)
    if assessment is None:
        raise Http404
    draft = _save_posted_draft(request, point, assessment)
    assessment = _assessment(point)
    areas = [(area.code, area.text) for area in _record_summary(assessment, _language()).areas]
    form_id = "" if assessment.is_completed else DRAFT_FORM_ID
    form = FollowUpForm(request.POST, areas=areas, organisations=responsible_organisations(point), form_id=form_id)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_follow_up(
                request.actor,
                assessment,
                need=data["need"],
                action=data["action"],
                area=data.get("area", ""),
                responsible_organisation=data["responsible_organisation"],
                responsible_service=data["responsible_service"],
                status=data["status"],
                request=request,
            )
        except PathwayRuleError as error:
            _apply_rule_error(form, error)
        else:
            return _follow_ups_changed(request, point, draft, message=_("The follow-up action is added."))
    message = _("The follow-up action is not added: see the fields marked.")
    return _follow_ups_changed(request, point, draft, follow_up_form=form, message=message, error=True)


@actor_required(*CARE_ROLES)
@require_POST
def follow_up_status(request, public_id):
    follow_up = get_object_or_404(FollowUp.objects.select_related("assessment__point"), public_id=public_id)
    point = _open_point(request, follow_up.assessment.point.public_id, None)
    follow_up.assessment.point = point
    draft = _save_posted_draft(request, point, follow_up.assessment)
    form = FollowUpStatusForm(request.POST, follow_up=follow_up)
    if not form.is_valid():
        return _follow_ups_changed(request, point, draft, message=_("Choose a status."), error=True)
    try:
        services.set_follow_up_status(request.actor, follow_up, form.cleaned_data["status"], request=request)
    except PathwayRuleError as error:
        return _follow_ups_changed(request, point, draft, message=" ".join(error.messages), error=True)
    return _follow_ups_changed(request, point, draft, message=_("The status is changed."))


# --- The journal note and FHIR -----------------------------------------------------------------


@actor_required(*CARE_ROLES)
def note(request, public_id):
    """A one-page summary for the journal: print it or save it as PDF from the browser."""
    point = _open_point(request, public_id, Action.VIEW, what="journal note")
    assessment = _assessment(point)
    context = _shared_context(request, point, assessment)
    if not context["record_visible"]:
        raise Http404
    context["next_point"] = (
        point.enrolment.points.filter(sequence__gt=point.sequence, window_opens__isnull=False)
        .order_by("sequence")
        .first()
    )
    return render(request, "assessment/note.html", context)


@actor_required(*CARE_ROLES)
def response_fhir(request, public_id):
    """A set of answers as a FHIR R4 QuestionnaireResponse. The professional's completed record
    goes to everyone with a care relation (it is handed over); the patient's and relatives' own
    answers only to those `may_see_patient_answers` allows; drafts to nobody but their writer's
    organisation."""
    response = get_object_or_404(
        QuestionnaireResponse.objects.select_related("point", "relative", "author"), public_id=public_id
    )
    point = _open_point(request, response.point.public_id, None)
    response.point = point
    actor, patient = request.actor, point.enrolment.patient
    if response.source == Source.PROFESSIONAL:
        if response.status != Status.COMPLETED and not pathway.is_responsible(actor, point):
            raise Http404
    else:
        if response.status != Status.COMPLETED:
            raise Http404
        if not services.may_see_patient_answers(actor, point):
            access.record(actor, patient, Action.DENIED, object_type="questionnaire_response", request=request)
            raise PermissionDenied("the patient's own answers")
    access.record(
        actor, patient, Action.VIEW, object_type="questionnaire_response", detail=f"{point.key} fhir", request=request
    )
    resource = fhir.validate(fhir.questionnaire_response(response))
    return JsonResponse(
        resource, content_type="application/fhir+json; charset=utf-8", json_dumps_params={"ensure_ascii": False}
    )
