"""The pages of a person signed in with ID-porten (portal.citizens): their page with their pathway,
their invitations and answers and their requests; their pathway; who has looked at their
information; starting an invitation without its link and code; and asking the municipality for
the pathway. A relative's side shows only the relative's own invitations and answers. Every page
is audited as the invitation pages are (on the patient's trail where a patient's data is shown)."""

import functools

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.views.decorators.http import require_POST

from audit import services as audit
from audit.models import AuditEntry
from patients.access import record
from portal import access_log as access_log_rows
from portal import pathway_requests, persons, services, session, views
from portal.forms import PathwayRequestForm
from portal.models import Invitation
from portal.views import answers_summary

Action = AuditEntry.Action


def person_required(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        national_id = session.person_national_id(request)
        if national_id is None:
            return render(request, "portal/signed_out.html", views.idporten(), status=403)
        request.person = persons.lookup(national_id)
        return view(request, *args, **kwargs)

    return wrapper


def _context(request, **extra):
    person = request.person
    return {
        "person": person,
        "person_session": True,
        "has_pathway": person.latest_enrolment is not None,
        **extra,
    }


def _own_invitation(request, public_id) -> Invitation:
    invitation = (
        Invitation.objects.select_related("point__enrolment__patient", "point__responsible_organisation", "response")
        .select_related("relative")
        .filter(public_id=public_id)
        .first()
    )
    if invitation is None or not persons.owns(request.person.national_id, invitation):
        raise Http404
    return invitation


def _audit_read(request, detail, *, action=Action.VIEW):
    """The person's look at their own page: on the patient's trail when they are one; a
    relative's look at their invitations goes on the trail of the patient they concern."""
    person = request.person
    if person.patient is not None:
        record(
            persons.PersonRespondent("patient"),
            person.patient,
            action,
            object_type="portal",
            detail=detail,
            request=request,
        )
    for patient in {relative.patient for relative in person.relatives}:
        record(
            persons.PersonRespondent("relative"), patient, action, object_type="portal", detail=detail, request=request
        )
    if person.patient is None and not person.relatives:
        audit.record(person.respondent, action, object_type="portal", detail=detail, request=request)


@person_required
def me(request):
    person = request.person
    invitations = persons.invitations(person.patient, person.relatives)
    _audit_read(request, "own page")
    return render(
        request,
        "portal/me.html",
        _context(
            request,
            enrolment=person.open_enrolment,
            to_answer=[i for i in invitations if persons.to_answer(i)],
            answered=[i for i in invitations if persons.answered(i)],
            requests=list(pathway_requests.for_person(person.national_id)),
            may_request=person.open_enrolment is None,
        ),
    )


@person_required
def pathway(request):
    enrolment = request.person.latest_enrolment
    if enrolment is None:
        return redirect("portal:me")
    overview = services.pathway_overview(enrolment, timezone.localdate())
    _audit_read(request, "my pathway")
    return render(request, "portal/my_pathway.html", _context(request, **overview))


@person_required
def who_looked(request):
    """#10's page "Who has looked at my information", for the patient only (a relative's session
    never shows the patient's trail)."""
    patient = request.person.patient
    if patient is None:
        return render(request, "portal/access_log_patient_only.html", _context(request), status=403)
    record(
        persons.PersonRespondent("patient"),
        patient,
        Action.VIEW_AUDIT_TRAIL,
        object_type="portal",
        detail="who looked",
        request=request,
    )
    entries = audit.trail_for_patient(patient.public_id).select_related("user", "organisation")
    entries = entries.order_by("-occurred_at", "-pk")
    page = Paginator(entries, settings.PORTAL_ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [access_log_rows.row(entry) for entry in page.object_list]
    context = _context(request, page=page, rows=rows, contact=patient.municipality)
    return render(request, "portal/access_log.html", context)


@require_POST
@person_required
def answer(request, public_id):
    """Open one of the person's own invitations to answer, without its link and code."""
    invitation = _own_invitation(request, public_id)
    if persons.answered(invitation):
        return redirect("portal:my_answers", public_id=invitation.public_id)
    if not persons.to_answer(invitation):
        return redirect("portal:me")
    session.choose_invitation(request, invitation)
    return redirect("portal:start")


@person_required
def answers(request, public_id):
    """The answers the person sent for one invitation (their own only)."""
    invitation = _own_invitation(request, public_id)
    if not persons.answered(invitation):
        raise Http404
    patient = invitation.point.enrolment.patient
    role = "relative" if invitation.relative_id else "patient"
    record(
        persons.PersonRespondent(role),
        patient,
        Action.VIEW,
        object_type="portal",
        detail="own answers",
        request=request,
    )
    response = invitation.response
    pages = answers_summary(response.questionnaire, response, translation.get_language())
    return render(request, "portal/my_answers.html", _context(request, invitation=invitation, pages=pages))


@person_required
def ask(request):
    """Ask the municipality for the pathway home."""
    person = request.person
    if person.open_enrolment is not None:
        return redirect("portal:me")
    initial = {"municipality": person.patient.municipality_id} if person.patient else {}
    if person.patient:
        initial.update(name=person.patient.full_name, phone=person.patient.mobile_phone, email=person.patient.email)
    form = PathwayRequestForm(request.POST or None, initial=initial)
    problem = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pathway_requests.create(
                person,
                municipality=data["municipality"],
                name=data["name"],
                message=data["message"],
                phone=data["phone"],
                email=data["email"],
                language=translation.get_language() or "nb",
                request=request,
            )
        except pathway_requests.RequestRefused as error:
            problem = " ".join(error.messages)
        else:
            return redirect("portal:me")
    return render(request, "portal/ask.html", _context(request, form=form, problem=problem))
