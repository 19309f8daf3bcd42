"""The patient's session in the portal.

Two steps, both kept in the browser's session and never in a URL:

- The link from the message is exchanged on first use: its invitation is held in the session
  (`hold_link`) and the browser is sent on to token-free pages (the code, a new link), so the
  token shows up in one request line only, never in a later URL, Referer or history entry.
- After the code was accepted, the session is bound to one invitation for a limited time
  (`begin`), and ended when the invitation is revoked, locked or expires.

Holding a link, used or not, never touches a session bound to an invitation: only the patient's
own sign-out, the session's time, or the invitation's end close it.

A person who signed in with ID-porten (portal.citizens) gets a session bound to their national id
instead (`begin_person`), with the same time limit and a new session id. The number is kept in the
session (stored in the database, as the patients' table keeps it), and the person behind it (a
patient, a relative, or neither) is looked up again on every request (`person`), so a patient
registered after the sign-in shows at once. Such a session may then choose one of the person's own
invitations to answer (`choose_invitation`), without its link and code; the invitation pages take
it as `current` for as long as the person session lasts.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from portal import persons, services
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


def begin_person(request, national_id):
    """ID-porten has verified the person: a new session id, bound to their national id."""
    request.session.cycle_key()
    until = timezone.now() + datetime.timedelta(hours=settings.PORTAL_SESSION_HOURS)
    request.session.pop(LINK_KEY, None)
    request.session[SESSION_KEY] = {"person": national_id, "until": until.isoformat()}


def _data(request):
    """The session's data while its time lasts (ended and None after)."""
    data = request.session.get(SESSION_KEY)
    if not data:
        return None
    if datetime.datetime.fromisoformat(data["until"]) <= timezone.now():
        end(request)
        return None
    return data


def person_national_id(request):
    """The national id of the person signed in with ID-porten, or None (no session, or one
    opened with an invitation's link and code)."""
    data = _data(request)
    return data.get("person") if data else None


def choose_invitation(request, invitation):
    """A person session answers one of the person's own invitations (the caller checked it is
    theirs); the session's time is not extended."""
    data = dict(request.session[SESSION_KEY])
    data["invitation"] = str(invitation.public_id)
    request.session[SESSION_KEY] = data


def end(request):
    request.session.pop(SESSION_KEY, None)


def current(request):
    """The invitation this browser is signed in with, or None. A person session's chosen
    invitation counts while it is open (valid or used) and still the person's own."""
    data = _data(request)
    if not data or "invitation" not in data:
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
    if data.get("person"):
        if services.state(invitation) not in ("valid", "used") or not persons.owns(data["person"], invitation):
            request.session[SESSION_KEY] = {key: value for key, value in data.items() if key != "invitation"}
            return None
        return invitation
    if invitation is None or services.state(invitation) != "used":
        end(request)
        return None
    return invitation
