"""Who did something, as pages show it: a person's name and role, never their username.

A timeline entry (PathwayEvent) keeps the user and, for the record, the username it had; entries
from the patient portal and the background worker have no user. `describe_events` gives each
entry `person` (a name, or "Patient (portal)", "Relative (portal)", "Heimveg (automatic)") and
`person_role` (the role the user holds in the entry's organisation), reading the memberships
of every user on the page in one query.

It reads users and memberships only, so it sits in accounts: the audit trail's tables (template
tags `people`) and the pathway's timeline name people alike.
"""

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Role

# What the portal and the worker write as the username of an entry without a user.
WITHOUT_USER = {
    "patient (portal)": _("Patient (portal)"),
    "relative (portal)": _("Relative (portal)"),
    "system": _("Heimveg (automatic)"),
}


def person_name(user, username=""):
    """A user's full name; their username only when no name is registered."""
    if user is None:
        label = WITHOUT_USER.get(username)
        return label if label is not None else (username or "–")
    return user.get_full_name() or user.get_username()


def describe_events(events):
    """The events as a list, each with `person` and `person_role` set."""
    events = list(events)
    prefetch_related_objects(events, "user")
    organisations = [event.organisation for event in events if event.organisation_id]
    prefetch_related_objects(organisations, "county")  # Organisation.label names a municipality's county
    pairs = {(event.user_id, event.organisation_id) for event in events if event.user_id}
    roles = {}
    if pairs:
        memberships = (
            Membership.objects.filter(user_id__in={user for user, _org in pairs})
            .order_by("-is_active", "created_at")
            .values_list("user_id", "organisation_id", "role")
        )
        labels = dict(Role.choices)
        for user_id, organisation_id, role in memberships:
            roles.setdefault((user_id, organisation_id), labels.get(role, role))
    for event in events:
        event.person = person_name(event.user, event.username)
        event.person_role = roles.get((event.user_id, event.organisation_id), "") if event.user_id else ""
    return events


def who(entry):
    """An audit or timeline entry's author as "name (role)": the role it stored, if any."""
    name = person_name(entry.user, entry.username)
    role = getattr(entry, "person_role", "") or dict(Role.choices).get(getattr(entry, "role", ""), "")
    return f"{name} ({role})" if role else str(name)
