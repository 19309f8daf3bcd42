"""The patient's session in the portal.

Two steps, both kept in the browser's session and never in a URL:

- The link from the message is exchanged on first use: its invitation is held in the session
  (`hold_link`) and the browser is sent on to token-free pages (the code, a new link), so the
  token shows up in one request line only, never in a later URL, Referer or history entry.
- After the code was accepted, the session is bound to one invitation for a limited time
  (`begin`), and ended when the invitation is revoked, locked or expires.

Holding a link, used or not, never touches a session bound to an invitation: only the patient's
own sign-out, the session's time, or the invitation's end close it.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from portal import services
from portal.models import Invitation

SESSION_KEY = "portal"
LINK_KEY = "portal_link"
# How long an opened link is held for the code step before the link must be opened again.
LINK_HOLD = datetime.timedelta(hours=1)


def hold_link(request, invitation):
    """The link's token was presented: keep its invitation in the session for the next steps."""
    if not request.session.get(SESSION_KEY):
        request.session.cycle_key()  # never carry a session id chosen before the link was opened
    until = timezone.now() + LINK_HOLD
    request.session[LINK_KEY] = {"invitation": str(invitation.public_id), "until": until.isoformat()}


def held_link(request):
    """The invitation whose link this browser opened last (in any state), or None."""
    data = request.session.get(LINK_KEY)
    if not data:
        return None
    if datetime.datetime.fromisoformat(data["until"]) <= timezone.now():
        request.session.pop(LINK_KEY, None)
        return None
    return (
        Invitation.objects.select_related("point__enrolment__patient", "point__responsible_organisation", "response")
        .filter(public_id=data["invitation"])
        .first()
    )


def begin(request, invitation):
    request.session.cycle_key()  # a new session id once the patient has proved who they are
    until = timezone.now() + datetime.timedelta(hours=settings.PORTAL_SESSION_HOURS)
    request.session.pop(LINK_KEY, None)
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
