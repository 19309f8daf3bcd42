"""Pathway pages: enrol, the enrolment with its points and timeline, and the worklists.
Every page that shows or changes a patient opens the patient through patients.access."""

from types import SimpleNamespace

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from accounts.decorators import actor_required
from audit import services as audit
from audit.models import AuditEntry
from directory.models import Organisation
from lib.paging import SIDE_LIST_SIZE, CappedPaginator, side_list
from pathway import confirmation, definitions, icd10, panels, services, worklists
from pathway.forms import (
    AssignForm,
    BookForm,
    CloseForm,
    ContactPersonForm,
    CorrectionForm,
    EnrolmentForm,
    EventForm,
    OfferForm,
    WithdrawForm,
    WorklistFilterForm,
    colleagues,
    handover_candidates,
)
from pathway.models import CollaborationPoint, Enrolment
from patients import access
from patients.access import CARE_ROLES
from patients.models import Registration

Action = AuditEntry.Action
Kind = Organisation.Kind
PAGE_SIZE = 25


def _section(request, queryset, param, counted=False):
    """A paged side list of the worklist, with its own page parameter: one query and no count,
    unless `counted` (a list whose length is itself worth knowing)."""
    if counted:
        page = CappedPaginator(queryset, SIDE_LIST_SIZE).get_page(request.GET.get(param))
        page.count_label = page.paginator.count_label
    else:
        page = side_list(queryset, request.GET.get(param), SIDE_LIST_SIZE)
    query = request.GET.copy()
    query.pop(param, None)
    page.param, page.query = param, query.urlencode()
    return page


def _apply_rule_error(form, error):
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.messages)


@actor_required(*CARE_ROLES)
def enrol(request, public_id):
    patient = access.open_patient(
        request.actor,
        public_id,
        None if request.method == "POST" else Action.VIEW,
        request=request,
        object_type="enrolment",
        detail="enrolment form",
    )
    form = EnrolmentForm(request.POST or None, organisation=request.actor.organisation, patient=patient)
    existing = None
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = services.enrol(request.actor, patient, request=request, **form.cleaned_data)
        except services.PathwayRuleError as error:
            existing = error.existing
            _apply_rule_error(form, error)
        else:
            messages.success(request, _("The patient is enrolled in the pathway."))
            return redirect("pathway:enrolment", public_id=enrolment.public_id)
    if request.method == "POST":  # the form comes back with the patient's name: that is a view
        access.record(
            request.actor, patient, Action.VIEW, object_type="enrolment", detail="enrolment form", request=request
        )
    return render(
        request,
        "pathway/enrol.html",
        {
            "patient": patient,
            "form": form,
            "existing": existing,
            "icd10_codes": icd10.pathway_codes(),
        },
    )


@actor_required(*CARE_ROLES)
def enrol_registration(request, public_id):
    """Enrol from the organisation's own registration (patients.models.Registration): the right a
    registration gives, also when the person was registered before and the organisation has no care
    relation with the record. The page shows only what the organisation entered; the enrolment
    follows pathway.services.enrol's rules and locks, and the enrolling organisation then has the
    care relation the pathway gives."""
    registration = get_object_or_404(
        Registration.objects.select_related("patient"), public_id=public_id, organisation=request.actor.organisation
    )
    entered = registration.entered
    shown = SimpleNamespace(
        full_name=f"{entered.get('given_name', '')} {entered.get('family_name', '')}".strip(),
        is_child=False,
        access=None,
    )
    form = EnrolmentForm(request.POST or None, organisation=request.actor.organisation, patient=registration.patient)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = services.enrol(request.actor, registration.patient, request=request, **form.cleaned_data)
        except services.PathwayRuleError as error:
            _apply_rule_error(form, error)
        else:
            messages.success(request, _("The patient is enrolled in the pathway."))
            return redirect("pathway:enrolment", public_id=enrolment.public_id)
    return render(
        request,
        "pathway/enrol.html",
        {
            "patient": shown,
            "form": form,
            "existing": None,
            "icd10_codes": icd10.pathway_codes(),
            "cancel_url": reverse("patients:registration", kwargs={"public_id": registration.public_id}),
        },
    )


def _open_enrolment(request, public_id, action=Action.VIEW, detail="enrolment", own_records=False):
    enrolment = get_object_or_404(
        Enrolment.objects.select_related(
            "definition",
            "enrolling_organisation",
            "contact_person",
            "previous_contact_person",
            "previous_contact_municipality",
        ),
        public_id=public_id,
    )
    patient = access.open_patient(
        request.actor,
        enrolment.patient.public_id,
        action,
        request=request,
        object_type="enrolment",
        detail=detail,
        own_records=own_records,
    )
    enrolment.patient = patient
    return enrolment


def open_point(request, public_id, action, *, object_type, what=""):
    """The point, with its patient opened for the actor through patients.access (403 without a
    care relation; `action` logged, unless None, with the point's key and `what`). For the pages
    about one point in other apps (the assessment, the correction of a completion)."""
    point = get_object_or_404(
        CollaborationPoint.objects.select_related(
            "enrolment__patient", "enrolment__enrolling_organisation", "responsible_organisation", "outcome_by"
        ),
        public_id=public_id,
    )
    point.enrolment.patient = access.open_patient(
        request.actor,
        point.enrolment.patient.public_id,
        action,
        request=request,
        object_type=object_type,
        detail=f"{point.key} {what}".strip(),
    )
    return point


@actor_required(*CARE_ROLES)
def enrolment_detail(request, public_id):
    enrolment = _open_enrolment(request, public_id, own_records=True)
    if enrolment.patient.access.own_records_only:
        # A municipality the patient moved away from reads its own timeline entries, nothing else.
        own = enrolment.events.filter(organisation__in=request.actor.organisation.covered())
        return render(
            request,
            "pathway/enrolment_own_records.html",
            {
                "enrolment": enrolment,
                "patient": enrolment.patient,
                "events": own.select_related("point", "organisation"),
            },
        )
    today = timezone.localdate()
    organisation = request.actor.organisation
    points = list(enrolment.points.select_related("responsible_organisation__county", "assigned_to"))
    for point in points:
        point.current_status = point.status(today)
        point.can_act = enrolment.is_open and not point.outcome and services.is_responsible(request.actor, point)
    actionable = [point for point in points if point.can_act]
    choose_contact_person = (
        services.can_choose_contact_person(request.actor, enrolment) and enrolment.offer == "accepted"
    )
    # The colleagues the forms choose from are fetched once for the page, not once per form.
    people = list(colleagues(organisation)) if actionable or choose_contact_person else None
    _add_point_forms(enrolment, actionable, organisation, people)
    offer_holder = services.offer_holder(enrolment) if enrolment.is_open else None
    may_record_offer = services.may_record_offer(request.actor, enrolment, offer_holder)
    return render(
        request,
        "pathway/enrolment_detail.html",
        {
            "enrolment": enrolment,
            "patient": enrolment.patient,
            "points": points,
            "events": enrolment.events.select_related("point", "organisation"),
            "offer_form": OfferForm() if may_record_offer else None,
            "offer_holder": offer_holder,
            "offer_needs_reason": may_record_offer and services.offer_change_needs_reason(enrolment),
            "correction_form": CorrectionForm(),
            "withdraw_form": WithdrawForm(),
            "event_form": EventForm(events=events) if (events := _event_choices(enrolment)) else None,
            "contact_person_form": ContactPersonForm(
                organisation=organisation, people=people, initial={"contact_person": enrolment.contact_person_id}
            )
            if choose_contact_person
            else None,
        },
    )


def _add_point_forms(enrolment, points, organisation, people):
    """The forms of the points the acting organisation can act on. What they choose from and what
    their invitation boxes show are fetched for all the points at once: the page makes as many
    queries for three points as for one."""
    if not points:
        return
    for point in points:
        point.enrolment = enrolment
    candidates = list(handover_candidates(points[0], organisation))  # the same for every point of the enrolment
    panels.load_points(points, enrolment.patient)  # the invitation box (portal), the assessment's state
    now = timezone.now()
    for point in points:  # one prefix per point keeps ids unique with several forms on the page
        # Nothing that changes the patient's record is preselected: no outcome, no date.
        point.book_form = BookForm(prefix=point.key)
        point.close_form = CloseForm(prefix=point.key, candidates=candidates)
        point.assign_form = AssignForm(
            prefix=point.key, organisation=organisation, people=people, initial={"assigned_to": point.assigned_to_id}
        )
        point.steps = _steps(_current_step(point, now))


STEPS = (
    ("plan", _lazy("Plan: book a time and assign")),
    ("prepare", _lazy("Prepare: invite the patient")),
    ("conversation", _lazy("Hold the conversation")),
    ("complete", _lazy("Complete")),
)


def _current_step(point, now):
    """The step of the guided workflow a point the user's organisation holds is at: plan until
    the conversation is booked, prepare until the patient is invited (or has answered), the
    conversation until its time has come or its assessment is started, then complete."""
    if point.booked_for is None:
        return "plan"
    if point.latest_invitation is None and point.patient_answers is None:
        return "prepare"
    if point.booked_for > now and not point.assessment_started:
        return "conversation"
    return "complete"


def _steps(current):
    keys = [key for key, _label in STEPS]
    reached = keys.index(current)
    return [
        SimpleNamespace(key=key, label=label, number=n, current=key == current, done=n - 1 < reached)
        for n, (key, label) in enumerate(STEPS, start=1)
    ]


def _event_choices(enrolment):
    language = translation.get_language() or "nb"
    return [(e.key, e.title.get(language, e.key)) for e in services.enrolment_definition(enrolment).events]


def _post_action(request, enrolment, form, call):
    """Run a service call for a valid form; rule errors and form errors become messages."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except services.PathwayRuleError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Saved."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("pathway:enrolment", public_id=enrolment.public_id)


def _form_errors(request, form):
    for errors in form.errors.values():
        messages.error(request, " ".join(errors))


def _enrolment_url(enrolment):
    return reverse("pathway:enrolment", kwargs={"public_id": enrolment.public_id})


@actor_required(*CARE_ROLES)
@require_POST
def record_offer(request, public_id):
    """The patient's answer. A change after a collaboration point was held is confirmed first
    (pathway.confirmation) and needs a reason."""
    enrolment = _open_enrolment(request, public_id, None)
    form = OfferForm(request.POST)
    if not services.offer_change_needs_reason(enrolment) or not form.is_valid():
        return _post_action(
            request,
            enrolment,
            form,
            lambda data: services.record_offer(
                request.actor, enrolment, data["offer"], reason=data["reason"], request=request
            ),
        )
    data = form.cleaned_data
    return confirmation.handle(
        request,
        kind=f"offer:{enrolment.pk}",
        call=lambda: services.record_offer(
            request.actor, enrolment, data["offer"], reason=form.cleaned_data["reason"], request=request
        ),
        patient=enrolment.patient,
        title=_("Change the patient's answer to the offer"),
        back_url=_enrolment_url(enrolment),
        done_url=_enrolment_url(enrolment),
        success=_("The patient's answer is changed."),
        confirm_label=_("Change the answer"),
        reason_field="reason",
        reason_label=_("Why the answer changes"),
    )


def _point(request, public_id):
    point = get_object_or_404(
        CollaborationPoint.objects.select_related("enrolment", "responsible_organisation"), public_id=public_id
    )
    point.enrolment = _open_enrolment(request, point.enrolment.public_id, None)
    return point


@actor_required(*CARE_ROLES)
@require_POST
def book_point(request, public_id):
    point = _point(request, public_id)
    return _post_action(
        request,
        point.enrolment,
        BookForm(request.POST, prefix=point.key),
        lambda data: services.book_point(
            request.actor, point, data["booked_for"], reason=data["reason"], request=request
        ),
    )


CLOSING_TITLES = {
    CollaborationPoint.Outcome.COMPLETED: (_lazy("Complete %(title)s"), _lazy("Complete the point and send")),
    CollaborationPoint.Outcome.NOT_WANTED: (
        _lazy("Record that the patient does not want %(title)s"),
        _lazy("Record: not wanted"),
    ),
    CollaborationPoint.Outcome.CANCELLED: (_lazy("Cancel %(title)s"), _lazy("Cancel the point")),
}


@actor_required(*CARE_ROLES)
@require_POST
def close_point(request, public_id):
    """Completed, not wanted or cancelled: shown first (what happens, which messages go to whom),
    done on the second POST with the token of what was shown (pathway.confirmation)."""
    point = _point(request, public_id)
    enrolment = point.enrolment
    form = CloseForm(request.POST, prefix=point.key, point=point, sender=request.actor.organisation)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(_enrolment_url(enrolment))
    data = form.cleaned_data
    title, confirm_label = CLOSING_TITLES[data["outcome"]]
    return confirmation.handle(
        request,
        kind=f"close:{point.pk}:{data['outcome']}",
        call=lambda: services.close_point(
            request.actor,
            point,
            data["outcome"],
            on_date=data["on_date"],
            place=data["place"],
            reason=data["reason"],
            handover=form.handover_choice(),
            request=request,
        ),
        patient=enrolment.patient,
        title=title % {"title": point.display_title},
        back_url=_enrolment_url(enrolment),
        done_url=_enrolment_url(enrolment),
        success=_("Saved."),
        confirm_label=confirm_label,
        reason_field=form.add_prefix("reason"),
    )


@actor_required(*CARE_ROLES)
@require_POST
def record_correction(request, public_id):
    enrolment = _open_enrolment(request, public_id, None)
    return _post_action(
        request,
        enrolment,
        CorrectionForm(request.POST),
        lambda data: services.record_correction(request.actor, enrolment, data["note"], request=request),
    )


@actor_required(*CARE_ROLES)
def worklist(request):
    """What the acting organisation should do next, by kind of organisation."""
    actor, today = request.actor, timezone.localdate()
    org = actor.organisation
    filters = WorklistFilterForm(request.GET or None)
    criteria = {"status": "", "point_key": "", "week": None, "sort": "window"}
    if filters.is_valid():
        data = filters.cleaned_data
        criteria = {
            "status": data["status"],
            "point_key": data["point"],
            "week": data["week"],
            "sort": data["sort"] or "window",
        }
    # The filter form lists every definition's points, so its cached fragment is keyed on them too.
    context = {"filters": filters, "today": today, "definitions": definitions.fingerprint()}
    if org.kind == Kind.GP_OFFICE:
        page = CappedPaginator(worklists.gp_patients(org), PAGE_SIZE).get_page(request.GET.get("page"))
        for enrolment in page.object_list:
            enrolment.point_list = [(p, p.status(today)) for p in enrolment.points.all()]
        context["gp_page"] = page
        shown = [e.patient.public_id for e in page.object_list]
    else:
        points = worklists.open_points(org, today, **criteria)
        page = CappedPaginator(points, PAGE_SIZE).get_page(request.GET.get("page"))
        context["points_page"] = page
        for point in page.object_list:
            point.current_status = point.status(today)
        shown = [p.enrolment.patient.public_id for p in page.object_list]
        if org.kind in (Kind.HOSPITAL, Kind.HEALTH_TRUST):
            context["not_offered"] = _section(
                request, worklists.not_yet_offered(org, today), "offer_page", counted=True
            )
            shown += [e.patient.public_id for e in context["not_offered"]]
        if org.kind == Kind.MUNICIPALITY:
            context["bereavements"] = _section(request, worklists.bereavement_follow_ups(org), "bereaved_page")
            context["moved_in"] = _section(request, worklists.recently_moved_in(org, today), "moved_page")
            for rows in (context["bereavements"], context["moved_in"]):
                shown += [row.enrolment.patient.public_id for row in rows]
            context["contact_wanted"] = _section(request, worklists.contact_person_wanted(org), "contact_page")
            shown += [e.patient.public_id for e in context["contact_wanted"]]
    query = request.GET.copy()
    for param in ("page", "offer_page", "bereaved_page", "handed_page", "moved_page", "contact_page"):
        query.pop(param, None)
    context["query"] = query.urlencode()
    # Other apps' panels (pathway.panels: the handover's count and "handed over lately"), filled
    # here so that the patients they show are audited with the page's own.
    for slot in (panels.worklist_alerts, panels.worklist_sections):
        context[slot.name.removeprefix("pathway.")] = filled = slot.fill(request=request, actor=actor)
        for panel in filled:
            shown += panel.values["patients"]
    response = render(request, "pathway/worklist.html", context)
    audit.record_many(actor, Action.LIST, list(dict.fromkeys(shown)), detail="worklist", request=request)
    return response


@actor_required(*CARE_ROLES)
@require_POST
def assign_point(request, public_id):
    point = _point(request, public_id)
    form = AssignForm(request.POST, prefix=point.key, organisation=request.actor.organisation)
    if form.add_prefix("assigned_to") not in request.POST:  # an empty POST asks for nothing, not "nobody"
        messages.error(request, _("Choose who the point is assigned to."))
        return redirect(_enrolment_url(point.enrolment))
    if form.is_valid() and form.cleaned_data["assigned_to"] == point.assigned_to:
        messages.info(request, _("Nothing changed: the point is already assigned so."))
        return redirect(_enrolment_url(point.enrolment))
    return _post_action(
        request,
        point.enrolment,
        form,
        lambda data: services.assign_point(request.actor, point, data["assigned_to"], request=request),
    )


@actor_required(*CARE_ROLES)
@require_POST
def set_contact_person(request, public_id):
    enrolment = _open_enrolment(request, public_id, None)
    form = ContactPersonForm(request.POST, organisation=request.actor.organisation)
    if "contact_person" not in request.POST:  # an empty POST asks for nothing, not "not chosen"
        messages.error(request, _("Choose the contact person."))
        return redirect(_enrolment_url(enrolment))
    if form.is_valid() and form.cleaned_data["contact_person"] == enrolment.contact_person:
        messages.info(request, _("Nothing changed: that is already the contact person."))
        return redirect(_enrolment_url(enrolment))
    return _post_action(
        request,
        enrolment,
        form,
        lambda data: services.set_contact_person(request.actor, enrolment, data["contact_person"], request=request),
    )


@actor_required(*CARE_ROLES)
@require_POST
def withdraw(request, public_id):
    """Shown first (which points are cancelled), done on the second POST (pathway.confirmation)."""
    enrolment = _open_enrolment(request, public_id, None)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(_enrolment_url(enrolment))
    return confirmation.handle(
        request,
        kind=f"withdraw:{enrolment.pk}",
        call=lambda: services.withdraw(request.actor, enrolment, reason=form.cleaned_data["reason"], request=request),
        patient=enrolment.patient,
        title=_("The patient withdraws from the pathway"),
        back_url=_enrolment_url(enrolment),
        done_url=_enrolment_url(enrolment),
        success=_("The withdrawal is recorded. The pathway has ended."),
        confirm_label=_("Record the withdrawal"),
    )


@actor_required(*CARE_ROLES)
@require_POST
def record_event(request, public_id):
    enrolment = _open_enrolment(request, public_id, None)
    form = EventForm(request.POST, events=_event_choices(enrolment))
    return _post_action(
        request,
        enrolment,
        form,
        lambda data: services.record_event(request.actor, enrolment, data["event"], data["on_date"], request=request),
    )
