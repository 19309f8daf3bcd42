"""The patient's session in the portal: bound to one invitation after the code was accepted,
for a limited time, and ended when the invitation is revoked, locked or expires."""

import datetime

from django.conf import settings
from django.utils import timezone

from portal import services
from portal.models import Invitation

SESSION_KEY = "portal"


def begin(request, invitation):
    request.session.cycle_key()  # a new session id once the patient has proved who they are
    until = timezone.now() + datetime.timedelta(hours=settings.PORTAL_SESSION_HOURS)
    request.session[SESSION_KEY] = {"invitation": str(invitation.public_id), "until": until.isoformat()}


def end(request):
    request.session.pop(SESSION_KEY, None)


def current(request):
    """The invitation this browser is signed in with, or None."""
    data = request.session.get(SESSION_KEY)
    if not data:
        return None
    if datetime.datetime.fromisoformat(data["until"]) <= timezone.now():
        end(request)
        return None
    invitation = (
        Invitation.objects.select_related(
            "point__enrolment__patient__municipality",
            "point__enrolment__contact_person",
            "point__responsible_organisation",
            "response",
            "relative",
        )
        .filter(public_id=data["invitation"])
        .first()
    )
    if invitation is None or services.state(invitation) != "used":
        end(request)
        return None
    return invitation
