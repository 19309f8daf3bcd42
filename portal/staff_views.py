from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import actor_required
from pathway.models import CollaborationPoint
from pathway.services import PathwayRuleError
from patients import access
from patients.access import CARE_ROLES
from portal import services
from portal.forms import InvitationForm


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
