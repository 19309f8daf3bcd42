"""The portal's panels on inner apps' pages (pathway.panels), registered in PortalConfig.ready: the
invitation box of a collaboration point, its status and the send form; and on the municipality's
worklist, the requests for the pathway to answer."""

from directory.models import Organisation
from portal import pathway_requests, services
from portal.forms import InvitationForm

# Requests listed on the worklist at most (oldest first; the count says how many there are).
REQUESTS_SHOWN = 20


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


def requests_to_answer(request, actor):
    """The open requests to the acting municipality (none for other organisations, and nothing
    when there are none). The worklist audits the patients among them with its own list; the
    requests themselves get one entry."""
    if actor.organisation.kind != Organisation.Kind.MUNICIPALITY:
        return None
    rows = pathway_requests.open_for(actor.organisation)
    shown = list(rows[:REQUESTS_SHOWN])
    if not shown:
        return None
    pathway_requests.audit_list(actor, shown, request=request)
    return {
        "requests": shown,
        "count": rows.count() if len(shown) == REQUESTS_SHOWN else len(shown),
        "patients": [row.patient.public_id for row in shown if row.patient_id],
    }
