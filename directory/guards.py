"""Who may change an organisation's directory entries, without the directory importing the
accounts app above it (docs/architecture.md: inner layers never import outer ones).

The accounts app registers its decorator for organisation admins in AccountsConfig.ready:

    guards.register_organisation_admin(actor_required(Role.ORG_ADMIN))

Until one is registered, every guarded view refuses (403): a missing registration never opens
the admin pages.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied

_organisation_admin = None


def register_organisation_admin(decorator):
    """`decorator` guards a view: signed in, acting as an admin of an organisation."""
    global _organisation_admin
    _organisation_admin = decorator


def organisation_admin_required(view):
    """The view runs for an acting organisation admin only (`request.actor.organisation`)."""
    guarded = {}

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if _organisation_admin is None:
            raise PermissionDenied("no organisation admin guard registered")
        if guarded.get("by") is not _organisation_admin:
            guarded.update(by=_organisation_admin, view=_organisation_admin(view))
        return guarded["view"](request, *args, **kwargs)

    return wrapper
