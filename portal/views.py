"""The patient's pages: open the invitation, prove who you are with the code, answer one topic per
page (saved as you go), send, get a receipt, and see your own pathway. No staff login here: the
portal session is bound to one invitation (portal.session)."""

import functools

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from assessment import services as assessment
from assessment.forms import QuestionsForm, initial_from_answers
from assessment.models import QuestionnaireResponse
from audit import services as audit
from audit.models import AuditEntry
from pathway.services import PathwayRuleError
from patients.access import record
from portal import access_log as access_log_rows
from portal import citizens, services, session
from portal.forms import CodeForm

Action = AuditEntry.Action
Completed = QuestionnaireResponse.Status.COMPLETED


def _link_page(request, invitation, template, status=200, **context):
    return render(request, f"portal/{template}.html", {"invitation": invitation, **context}, status=status)


def _no_link(request):
    """No link held in this browser's session (never opened here, or held too long)."""
    return render(request, "portal/signed_out.html", idporten(), status=403)


def link(request, token):
    """The link from the message, exchanged on first use: its invitation is held in this browser's
    session and the browser goes on to a page without the token in its address. Nothing about the
    patient is shown before the code is given; a used link never touches an open session."""
    invitation = services.find(token)
    state = services.state(invitation)
    if state is None:
        return render(request, "portal/link_invalid.html", status=404)
    if state in ("expired", "revoked", "locked"):
        return _link_page(request, invitation, "link_closed", status=410, state=state)
    if state == "used" and session.current(request) == invitation:
        return redirect("portal:start")
    session.hold_link(request, invitation)
    return redirect("portal:invitation")


def invitation(request):
    """The opened link's page, without the token: ask for the code, or a new link if it was used."""
    invitation = session.held_link(request)
    state = services.state(invitation)
    if state is None:
        return _no_link(request)
    if state in ("expired", "revoked", "locked"):
        return _link_page(request, invitation, "link_closed", status=410, state=state)
    if state == "used":
        if session.current(request) == invitation:
            return redirect("portal:start")
        return _link_page(request, invitation, "link_used")
    if request.method == "POST":
        sent = services.send_code(invitation, request=request)
        if not sent and sent.wait_seconds:
            return _link_page(request, invitation, "link", status=429, problem=_too_many_codes(sent))
        return redirect("portal:code")
    return _link_page(request, invitation, "link")


def _too_many_codes(sent):
    minutes = max(1, (sent.wait_seconds + 59) // 60)
    return ngettext(
        "We have sent many codes in a short time, so we wait before we send another. "
        "Try again in %(minutes)s minute. The last code we sent still works while it is valid.",
        "We have sent many codes in a short time, so we wait before we send another. "
        "Try again in %(minutes)s minutes. The last code we sent still works while it is valid.",
        minutes,
    ) % {"minutes": minutes}


def code(request):
    invitation = session.held_link(request)
    if invitation is None:
        return _no_link(request)
    if services.state(invitation) != "valid":
        return redirect("portal:invitation")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = services.verify_code(invitation, form.cleaned_data["code"], request=request)
        if check.ok:
            session.begin(request, invitation)
            language = invitation.point.enrolment.patient.preferred_language or settings.LANGUAGE_CODE
            response = redirect("portal:start")
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
            return response
        if check.locked:
            return _link_page(request, invitation, "link_closed", status=410, state="locked")
        if check.wait_seconds:
            form.add_error(
                "code",
                _("Too many wrong codes. Wait %(seconds)s seconds and try again.") % {"seconds": check.wait_seconds},
            )
        elif check.expired:
            form.add_error("code", _("The code has expired. Ask for a new code below."))
        else:
            form.add_error(
                "code",
                _("The code is not right. You can try %(n)s more times.") % {"n": check.attempts_left},
            )
    return _link_page(request, invitation, "code", form=form)


@require_POST
def resend_code(request):
    invitation = session.held_link(request)
    if invitation is None:
        return _no_link(request)
    sent = services.send_code(invitation, request=request)
    if not sent and sent.wait_seconds:
        return _link_page(request, invitation, "code", status=429, form=CodeForm(), problem=_too_many_codes(sent))
    return redirect("portal:code")


@require_POST
def reissue(request):
    """A fresh link to the registered phone or e-mail, for someone whose session has ended. It
    leaves any session opened with the used link as it is."""
    invitation = session.held_link(request)
    if invitation is None:
        return _no_link(request)
    fresh = services.reissue(invitation)
    return _link_page(request, invitation, "link_reissued", sent=fresh is not None)


def respondent_required(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        invitation = session.current(request)
        if invitation is None:
            if session.person_national_id(request):
                return redirect("portal:me")
            return render(request, "portal/signed_out.html", idporten(), status=403)
        request.invitation = invitation
        request.respondent = services.Respondent(invitation)
        return view(request, *args, **kwargs)

    return wrapper


def _audit_view(request, detail):
    patient = request.invitation.point.enrolment.patient
    record(request.respondent, patient, Action.VIEW, object_type="portal", detail=detail, request=request)


def _context(request, **extra):
    invitation = request.invitation
    response = invitation.response
    questionnaire, language = response.questionnaire, translation.get_language()
    return {
        "invitation": invitation,
        "response": response,
        "questionnaire": questionnaire,
        "questionnaire_title": questionnaire.title.get(language),
        "questionnaire_description": questionnaire.description.get(language),
        "portal": True,
        # A person signed in with ID-porten answering one of their invitations: links back to
        # their own page, and a relative's invitation shows no pathway of the patient.
        "person_session": session.person_national_id(request) is not None,
        **extra,
    }


@respondent_required
def start(request):
    response = request.invitation.response
    if response.status == Completed:
        return redirect("portal:receipt")
    _audit_view(request, "start")
    return render(request, "portal/start.html", _context(request))


@respondent_required
def page(request, number):
    response = request.invitation.response
    if response.status == Completed:
        return redirect("portal:receipt")
    questionnaire = response.questionnaire
    if not 1 <= number <= len(questionnaire.pages):
        raise Http404
    current = questionnaire.pages[number - 1]
    form = QuestionsForm(
        request.POST or None,
        initial=initial_from_answers(questionnaire, response.answers, prefix=""),
        questionnaire=questionnaire,
        language=translation.get_language(),
        pages=[current],
        question_prefix="",
    )
    if request.method == "POST":
        form.is_valid()  # every question is optional to the form; the service checks the answers
        errors = assessment.save_page(
            response, number - 1, form.answers(), audit_as=request.respondent, request=request
        )
        if "back" in request.POST:
            return redirect("portal:page", number=max(1, number - 1))
        if not errors:
            if "later" in request.POST:
                return render(request, "portal/saved.html", _context(request))
            if number == len(questionnaire.pages):
                return redirect("portal:review")
            return redirect("portal:page", number=number + 1)
        form.add_answer_errors(errors)
    else:
        _audit_view(request, f"page {number}")
    return render(
        request,
        "portal/page.html",
        _context(
            request,
            form=form,
            page_title=current.text.get(translation.get_language()),
            number=number,
            total=len(questionnaire.pages),
        ),
    )


@respondent_required
def review(request):
    response = request.invitation.response
    if response.status == Completed:
        return redirect("portal:receipt")
    questionnaire = response.questionnaire
    language = translation.get_language()
    if request.method == "POST":
        try:
            assessment.submit(response, audit_as=request.respondent, request=request, language=language)
        except PathwayRuleError as error:
            return render(
                request,
                "portal/review.html",
                _context(
                    request, pages=answers_summary(questionnaire, response, language), problem=" ".join(error.messages)
                ),
            )
        services.note_received(request.invitation)
        return redirect("portal:receipt")
    _audit_view(request, "review")
    return render(
        request, "portal/review.html", _context(request, pages=answers_summary(questionnaire, response, language))
    )


def answers_summary(questionnaire, response, language):
    """The answers given, page by page, for the patient to check before sending."""
    pages = []
    for number, page in enumerate(questionnaire.pages, start=1):
        lines = []
        for item in page.items:
            value = response.answers.get(item.link_id)
            if value is None or not item.answerable:
                continue
            if item.type == "boolean":
                shown = _("Yes") if value else _("No")
            elif item.options:
                shown = next((o.display.get(language) for o in item.options if o.code == value), value)
            else:
                shown = value
            lines.append((item.text.get(language), shown))
        pages.append({"number": number, "title": page.text.get(language), "lines": lines})
    return pages


@respondent_required
def receipt(request):
    response = request.invitation.response
    if response.status != Completed:
        return redirect("portal:start")
    _audit_view(request, "receipt")
    return render(request, "portal/receipt.html", _context(request))


@respondent_required
def my_pathway(request):
    """The patient's own pathway: points behind and ahead, when, and the contact person."""
    if request.invitation.relative_id and session.person_national_id(request):
        return redirect("portal:me")  # ID-porten: a relative sees their own invitations only
    enrolment = request.invitation.point.enrolment
    overview = services.pathway_overview(enrolment, timezone.localdate())
    _audit_view(request, "my pathway")
    return render(request, "portal/my_pathway.html", _context(request, **overview))


@respondent_required
def access_log(request):
    """The page "Who has looked at my information": every audit entry that concerns the patient,
    newest first, paged. Only the patient's own session sees it (a relative answering for the
    patient does not); the look itself is audited as the patient's own access, before the list is
    read, so it shows at the top."""
    if request.invitation.relative_id:
        return render(request, "portal/access_log_patient_only.html", _context(request), status=403)
    patient = request.invitation.point.enrolment.patient
    record(
        request.respondent, patient, Action.VIEW_AUDIT_TRAIL, object_type="portal", detail="who looked", request=request
    )
    entries = audit.trail_for_patient(patient.public_id).select_related("user", "organisation")
    entries = entries.order_by("-occurred_at", "-pk")
    page = Paginator(entries, settings.PORTAL_ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [access_log_rows.row(entry) for entry in page.object_list]
    contact = request.invitation.point.responsible_organisation
    return render(request, "portal/access_log.html", _context(request, page=page, rows=rows, contact=contact))


@require_POST
def sign_out(request):
    """The portal's sign-out: after ID-porten also out of ID-porten (portal.citizens.sign_out)."""
    leaving = citizens.sign_out(request)
    if leaving is not None:
        return leaving
    session.end(request)
    return render(request, "portal/signed_out.html", {"signed_out": True, **idporten()})


def signed_out(request):
    """Where a citizen lands after ID-porten's sign-out (accounts:oidc_signed_out sends them)."""
    return render(request, "portal/signed_out.html", {"signed_out": True, **idporten()})


def idporten():
    """The button "Log in with ID-porten", when ID-porten is set up (portal.citizens)."""
    return {"idporten_url": citizens.idporten_start_url(reverse("portal:me"))}


def portal_home(request):
    if session.person_national_id(request) and session.current(request) is None:
        return redirect("portal:me")
    return redirect(reverse("portal:start"))
