"""The invitation box on a collaboration point of the enrolment page: status and the send form."""

from django import template

from assessment.models import QuestionnaireResponse
from portal.forms import InvitationForm
from portal.models import Invitation

register = template.Library()


@register.inclusion_tag("portal/invitation_box.html")
def invitation_box(point, patient, can_act):
    latest = Invitation.objects.filter(point=point, relative__isnull=True).order_by("-created_at").first()
    answered = point.responses.filter(
        source=QuestionnaireResponse.Source.PATIENT, status=QuestionnaireResponse.Status.COMPLETED
    ).first()
    return {
        "point": point,
        "latest": latest,
        "answered": answered,
        "form": InvitationForm(patient=patient, prefix=f"invite-{point.key}") if can_act and not answered else None,
        "has_contact": bool(patient.mobile_phone and patient.email),
    }
