"""The invitation box on a collaboration point of the enrolment page: status and the send form."""

from django import template

from portal import services
from portal.forms import InvitationForm

register = template.Library()


@register.inclusion_tag("portal/invitation_box.html")
def invitation_box(point, patient, can_act):
    """The page loads the boxes of all its points at once (services.load_boxes) before it renders."""
    if not hasattr(point, "latest_invitation"):
        services.load_boxes([point], patient)
    answered = point.patient_answers
    return {
        "point": point,
        "latest": point.latest_invitation,
        "answered": answered,
        "form": InvitationForm(patient=patient, prefix=f"invite-{point.key}") if can_act and not answered else None,
        # A mobile number is enough: without e-mail, link and code go as two separate SMS.
        "has_contact": bool(patient.mobile_phone),
    }
