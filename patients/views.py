"""Patient pages. Every patient read goes through patients.access (decision + audit entry)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import actor_required
from accounts.models import Role
from audit import services as audit
from lib import nin
from patients import access, deaths, emergency, services
from patients.forms import (
    EmergencyAccessForm,
    NationalIdLookupForm,
    PatientForm,
    PatientSearchForm,
    RelativeForm,
    ReviewForm,
)
from patients.models import EmergencyAccess, Patient, Registration

CARE_ROLES = access.CARE_ROLES
PAGE_SIZE = 25
SEARCH_LIMIT = 50


def _search(queryset, text):
    try:
        digits = nin.normalise(text)  # the one parser: ASCII digits, or not a number at all
    except nin.InvalidNationalId:
        digits = ""
    if digits:
        return queryset.filter(national_id__startswith=digits) if len(digits) >= 6 else queryset.none()
    q = Q()
    for word in text.split():
        q &= Q(given_name__icontains=word) | Q(family_name__icontains=word)
    return queryset.filter(q)


@actor_required(*CARE_ROLES)
def patient_list(request):
    """Patients the acting organisation has a care relation with. Searching is a POST, so names
    and numbers never end up in a URL or an access log."""
    actor = request.actor
    patients = (
        access.visible_patients(actor, own_records=True)
        .select_related("municipality__county", "gp_office")
        .order_by("family_name", "given_name", "id")
    )
    search_form = PatientSearchForm(request.POST or None)
    page = None
    if request.method == "POST" and search_form.is_valid() and search_form.cleaned_data["q"].strip():
        shown = list(_search(patients, search_form.cleaned_data["q"].strip())[:SEARCH_LIMIT])
        detail = "search"
    else:
        page = Paginator(patients, PAGE_SIZE).get_page(request.GET.get("page"))
        shown = list(page.object_list)
        detail = f"page {page.number}"
    audit.record_many(actor, audit.Action.LIST, [p.public_id for p in shown], detail=detail, request=request)
    # Patients who moved away are listed for the entries the organisation wrote, and marked.
    full = set(access.visible_patients(actor).filter(pk__in=[p.pk for p in shown]).values_list("pk", flat=True))
    for patient in shown:
        patient.own_records_only = patient.pk not in full
    access.flag_emergency(actor, shown)
    return render(
        request,
        "patients/patient_list.html",
        {
            "patients": shown,
            "page": page,
            "search_form": search_form,
            "searched": page is None,
        },
    )


@actor_required(*CARE_ROLES)
def patient_create(request):
    """Register a person. The answer is the same whether or not the number is registered already
    (no existence oracle): a redirect to the registration, which shows what was entered."""
    form = PatientForm(request.POST or None, actor=request.actor)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            emergency.throttle(request.actor, "registration", request=request)
            registration = services.register_patient(request.actor, form, request=request)
        except emergency.Throttled as error:
            form.add_error(None, str(error))
            status = 429
        except services.PatientRuleError as error:
            form.add_error(error.field, error.messages)
        else:
            messages.success(request, _("The registration is saved."))
            return redirect("patients:registration", public_id=registration.public_id)
    return render(request, "patients/patient_form.html", {"form": form, "creating": True}, status=status)


def _own_registration(request, public_id):
    return get_object_or_404(
        Registration.objects.select_related("patient", "user"),
        public_id=public_id,
        organisation=request.actor.organisation,
    )


@actor_required(*CARE_ROLES)
def registration_detail(request, public_id):
    """What the organisation entered when it registered a person: the same page whether the person
    was new or registered before. It opens nothing of the patient's record."""
    registration = _own_registration(request, public_id)
    # What was entered is patient data too (a national id, a name): its reading is audited.
    audit.record(
        request.actor,
        audit.Action.VIEW,
        patient_public_id=registration.patient.public_id,
        object_type="registration",
        request=request,
    )
    return render(
        request, "patients/registration.html", {"registration": registration, "entered": registration.entered}
    )


@actor_required(*CARE_ROLES)
def registration_record(request, public_id):
    """From a registration to the patient's record: through the care relation (or an emergency
    access) as always; without one, the registration is all the organisation has."""
    registration = _own_registration(request, public_id)
    if access.decide(request.actor, registration.patient).full:
        return redirect("patients:detail", public_id=registration.patient.public_id)
    audit.record(
        request.actor,
        audit.Action.DENIED,
        patient_public_id=registration.patient.public_id,
        object_type="registration",
        detail="record from registration",
        request=request,
    )
    return render(
        request,
        "patients/registration.html",
        {"registration": registration, "entered": registration.entered, "no_relation": True},
        status=403,
    )


@actor_required(*CARE_ROLES)
def patient_detail(request, public_id):
    patient = access.open_patient(request.actor, public_id, audit.Action.VIEW, request=request, own_records=True)
    if patient.access.own_records_only:
        return render(request, "patients/patient_own_records.html", {"patient": patient})
    return render(
        request,
        "patients/patient_detail.html",
        {
            "patient": patient,
            "relatives": patient.relatives.all(),
        },
    )


@actor_required(*CARE_ROLES)
def patient_edit(request, public_id):
    posted = request.method == "POST"
    patient = access.open_patient(
        request.actor, public_id, None if posted else audit.Action.VIEW, request=request, detail="edit form"
    )
    form = PatientForm(request.POST or None, instance=patient, actor=request.actor)
    if posted and form.is_valid() and services.records_death(form):
        return _confirm_death(request, patient, form)
    if posted and form.is_valid():
        try:
            services.update_patient(request.actor, form, request=request)
        except services.PatientRuleError as error:
            form.add_error(error.field, error.messages)
        else:
            return _after_edit(request, patient)
    if posted:  # the form comes back with the patient's data: that is a view
        access.record(request.actor, patient, audit.Action.VIEW, detail="edit form", request=request)
    return render(request, "patients/patient_form.html", {"form": form, "patient": patient, "creating": False})


def _confirm_death(request, patient, form):
    """A newly recorded death ends the patient's pathways and cancels their open points: the page
    shows that first (and the bereavement message to the municipality), and saves on the second
    POST with the token of what was shown (patients.deaths, which the pathway app fills)."""

    def refused(error):
        form.add_error(error.field if error.field in form.fields else None, error.messages)
        access.record(request.actor, patient, audit.Action.VIEW, detail="edit form", request=request)
        return render(request, "patients/patient_form.html", {"form": form, "patient": patient, "creating": False})

    return deaths.confirm(
        request,
        patient,
        save=lambda: services.update_patient(request.actor, form, request=request),
        refused=refused,
        title=_("Record the patient's death"),
        back_url=reverse("patients:edit", kwargs={"public_id": patient.public_id}),
        done_url=reverse("patients:detail", kwargs={"public_id": patient.public_id}),
        success=_("The changes are saved."),
        confirm_label=_("Record the death"),
    )


def _after_edit(request, patient):
    if not services.keeps_access_after_change(request.actor, patient):
        messages.info(
            request,
            _(
                "Saved. The patient no longer has a care relation with your organisation: from now on you "
                "can read only what your organisation wrote."
            ),
        )
        return redirect("patients:list")
    messages.success(request, _("The changes are saved."))
    return redirect("patients:detail", public_id=patient.public_id)


@actor_required(*CARE_ROLES)
def relative_edit(request, public_id, relative_id=None):
    posted = request.method == "POST"
    patient = access.open_patient(
        request.actor,
        public_id,
        None if posted else audit.Action.VIEW,
        request=request,
        object_type="relative",
        detail="relative form",
    )
    relative = get_object_or_404(patient.relatives, public_id=relative_id) if relative_id else None
    form = RelativeForm(request.POST or None, instance=relative)
    if posted and form.is_valid():
        services.save_relative(request.actor, patient, form, request=request)
        messages.success(request, _("The relative is saved."))
        return redirect("patients:detail", public_id=patient.public_id)
    if posted:
        access.record(
            request.actor, patient, audit.Action.VIEW, object_type="relative", detail="relative form", request=request
        )
    return render(request, "patients/relative_form.html", {"form": form, "patient": patient, "relative": relative})


@actor_required(*CARE_ROLES)
@require_POST
def relative_delete(request, public_id, relative_id):
    patient = access.open_patient(request.actor, public_id, None, request=request, object_type="relative")
    relative = get_object_or_404(patient.relatives, public_id=relative_id)
    services.delete_relative(request.actor, patient, relative, request=request)
    messages.success(request, _("The relative is removed."))
    return redirect("patients:detail", public_id=patient.public_id)


@actor_required(*CARE_ROLES)
def emergency_access(request):
    """Break the glass: open a patient without a care relation, with a written reason. The answer
    to the form is the same for a registered and an unknown number (a redirect to the access just
    written): every attempt is throttled, counted, audited and reviewed alike."""
    form = EmergencyAccessForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        actor = request.actor
        patient = Patient.objects.filter(national_id=form.cleaned_data["national_id"].number).first()
        if patient is not None and access.decide(actor, patient) == access.AccessDecision(True):
            return redirect("patients:detail", public_id=patient.public_id)  # a care relation already
        try:
            emergency.throttle(actor, "emergency_access", request=request)
        except emergency.Throttled as error:
            form.add_error(None, str(error))
            status = 429
        else:
            grant = access.grant_emergency_access(actor, patient, form.cleaned_data["reason"], request=request)
            return redirect("patients:emergency_grant", public_id=grant.public_id)
    return render(request, "patients/emergency_access.html", {"form": form}, status=status)


@actor_required(*CARE_ROLES)
def emergency_grant(request, public_id):
    """Where the emergency-access form leads: the patient's record, or, when no patient had the
    number given, a page that says so (the attempt is written and will be reviewed)."""
    grant = get_object_or_404(
        EmergencyAccess, public_id=public_id, user=request.user, organisation=request.actor.organisation
    )
    if grant.patient_id is not None:
        messages.warning(request, _("Emergency access is open and logged with your reason."))
        return redirect("patients:detail", public_id=grant.patient.public_id)
    return render(request, "patients/emergency_no_patient.html", {"grant": grant})


@actor_required(Role.ORG_ADMIN)
def review_queue(request):
    """The organisation admin reviews every emergency access and every registration of an already
    registered person by the organisation's users; those past the daily count are marked."""
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        kind = request.POST.get("kind")
        if kind not in emergency.MODELS:
            raise Http404
        try:
            emergency.review(request.actor, kind, request.POST.get("public_id"), form.cleaned_data["comment"])
        except emergency.AlreadyReviewed as error:
            messages.info(request, error.messages[0])
        except (ValueError, ValidationError):
            raise Http404 from None
        else:
            messages.success(request, _("Marked as reviewed."))
        return redirect("patients:review_queue")
    reviewed = request.GET.get("reviewed") == "1"
    return render(
        request,
        "patients/review_queue.html",
        {
            "items": emergency.queue(request.actor.organisation, reviewed=reviewed),
            "reviewed": reviewed,
            "form": ReviewForm(),
        },
    )


@actor_required(Role.ORG_ADMIN)
def audit_trail(request):
    """An organisation admin looks up who has seen a patient related to their organisation."""
    form = NationalIdLookupForm(request.POST or None)
    patient = entries = None
    if request.method == "POST" and form.is_valid():
        found = Patient.objects.filter(national_id=form.cleaned_data["national_id"].number).first()
        if found is None or not access.decide(request.actor, found, access.PURPOSE_AUDIT_TRAIL).allowed:
            form.add_error("national_id", _("No patient with this number has a care relation with your organisation."))
        else:
            patient = access.open_patient(
                request.actor,
                found.public_id,
                audit.Action.VIEW_AUDIT_TRAIL,
                request=request,
                purpose=access.PURPOSE_AUDIT_TRAIL,
            )
            entries = audit.trail_for_patient(patient.public_id)[:500]
    return render(request, "patients/audit_trail.html", {"form": form, "patient": patient, "entries": entries})
