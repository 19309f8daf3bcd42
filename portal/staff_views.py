from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import actor_required
from pathway.models import CollaborationPoint
from pathway.services import PathwayRuleError
from patients import access
from patients.access import CARE_ROLES
from portal import pathway_requests, services
from portal.forms import InvitationForm, RequestAnswerForm


@actor_required(*CARE_ROLES)
@require_POST
def send(request, public_id):
    """Send the patient (or a relative) an invitation to answer before the conversation."""
    point = get_object_or_404(CollaborationPoint.objects.select_related("enrolment"), public_id=public_id)
    patient = access.open_patient(request.actor, point.enrolment.patient.public_id, None, request=request)
    point.enrolment.patient = patient
    form = InvitationForm(request.POST, patient=patient, prefix=f"invite-{point.key}")
    if form.is_valid():
        respondent = form.cleaned_data["respondent"]
        relative = None if respondent == "patient" else patient.relatives.get(public_id=respondent)
        try:
            services.send_invitation(
                request.actor, point, link_channel=form.cleaned_data["link_channel"], relative=relative, request=request
            )
        except PathwayRuleError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The invitation is sent."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect("pathway:enrolment", public_id=point.enrolment.public_id)


@actor_required(*CARE_ROLES)
def pathway_request(request, public_id):
    """A request for the pathway from a person signed in with ID-porten, for the municipality it
    was sent to (any other organisation is refused): who, how to reach them, and the answer."""
    row = pathway_requests.visible_to(request.actor, public_id)
    form = RequestAnswerForm(request.POST or None)
    problem = ""
    if request.method == "POST" and form.is_valid():
        try:
            pathway_requests.answer(
                request.actor,
                public_id,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except pathway_requests.RequestRefused as error:
            problem = " ".join(error.messages)
            row = pathway_requests.visible_to(request.actor, public_id)
        else:
            messages.success(request, _("The answer is saved. The person sees it on their page."))
            return redirect("pathway:worklist")
    pathway_requests.audit_read(request.actor, row, request=request)
    return render(request, "portal/pathway_request.html", {"row": row, "form": form, "problem": problem})
