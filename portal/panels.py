"""The portal's panel on the pathway page (pathway.panels), registered in PortalConfig.ready: the
invitation box of a collaboration point, its status and the send form."""

from portal import services
from portal.forms import InvitationForm


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
