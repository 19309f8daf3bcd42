"""What the patient's page "Who has looked at my information" shows for each audit entry.

The entries come from `audit.services.trail_for_patient`, whatever their shape (one entry per
patient, or one list entry naming many patients): only who, for whom, what, when and the
emergency flag are read, never the patient column. Each entry is told in the patient's words:

- a person at an organisation: their name, role and organisation (pasientjournalloven § 18
  gives the patient the right to know who has had access);
- a system calling the FHIR API: the system's name and the organisation it works for;
- the patient themselves in the portal (with the code or ID-porten): "You"; a relative answering
  in the portal: "A relative";
  a wrong code entered with the link: "Someone with your invitation link" (it may not be the patient);
- work Heimveg does by itself (reminders, deliveries): "Heimveg (automatic)";
- a list page: "saw you in a list"; emergency access: flagged, with the reason given.
"""

import dataclasses

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import Role
from audit.models import AuditEntry

Action = AuditEntry.Action
PORTAL_ROLES = {"patient", "relative"}
# Longest stated reason shown (an old entry may hold a very long one).
REASON_CHARS = 1000


@dataclasses.dataclass(frozen=True)
class Row:
    when: object
    who: str
    role: str
    organisation: str
    what: str
    own: bool = False
    emergency: bool = False
    reason: str = ""


def _what(entry, own):
    action = entry.action
    if action == Action.DENIED and entry.user_id is None and entry.role in PORTAL_ROLES:
        if entry.object_type == "id-porten":
            return _("Was refused a sign-in with ID-porten")
        if entry.detail.startswith("wrong code"):
            return _("Entered a wrong code")
        return _("Was refused a new code (too many asked for)")
    if own:
        if entry.object_type == "invitation":
            return _("Signed in with the code")
        if entry.object_type == "id-porten":
            return _("Signed in with ID-porten")
        if action == Action.VIEW_AUDIT_TRAIL:
            return _("Looked at who has seen your information")
        if action in (Action.CREATE, Action.UPDATE):
            return _("Saved answers")
        return _("Looked at your pages")
    return {
        Action.VIEW: _("Looked at your information"),
        Action.LIST: _("Saw you in a list"),
        Action.CREATE: _("Added information"),
        Action.UPDATE: _("Changed information"),
        Action.DELETE: _("Deleted information"),
        Action.DENIED: _("Was refused access"),
        Action.EMERGENCY_ACCESS: _("Opened emergency access"),
        Action.VIEW_AUDIT_TRAIL: _("Looked at who has seen your information"),
    }.get(action, entry.get_action_display())


def _role(value):
    if value in Role.values:
        return str(Role(value).label)
    return ""


def row(entry, *, viewer_role="patient"):
    """One entry as the patient reads it."""
    organisation = entry.organisation.name if entry.organisation_id else ""
    portal = entry.user_id is None and entry.role in PORTAL_ROLES
    # A refused code may have been tried by anyone holding the link: not "you".
    own = portal and entry.role == viewer_role and entry.action != Action.DENIED
    if portal and entry.action == Action.DENIED:
        who, role = _("Someone with your invitation link"), ""
    elif own:
        who, role = pgettext("who looked", "You"), ""
    elif portal:
        who, role = _("A relative, in the patient portal"), ""
    elif entry.client:
        who, role = _("The system %(name)s") % {"name": entry.client}, _("System (FHIR API)")
    elif entry.user_id is not None:
        user = entry.user
        who, role = user.get_full_name() or entry.username, _role(entry.role)
    else:
        who, role = _("Heimveg (automatic)"), ""
    reason = entry.reason or ""
    if len(reason) > REASON_CHARS:
        reason = reason[: REASON_CHARS - 1] + "…"
    return Row(
        when=entry.occurred_at,
        who=who,
        role=role,
        organisation=organisation,
        what=_what(entry, own),
        own=own,
        emergency=entry.emergency or entry.action == Action.EMERGENCY_ACCESS,
        reason=reason,
    )
