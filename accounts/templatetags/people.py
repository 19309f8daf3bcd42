"""`{{ entry|who }}` and `{{ user|person }}`: people as pages show them (accounts.people), for the
pages of any app at or above accounts (the audit trail's table, the pathway's timeline)."""

from django import template

from accounts import people

register = template.Library()


@register.filter
def person(user):
    """A user's full name (their username only if they have none)."""
    return people.person_name(user) if user else ""


@register.filter
def who(entry):
    """Who wrote an audit entry or timeline entry, by name and role."""
    return people.who(entry)
