"""View decorators: signed in, acting for an organisation, in one of the given roles."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render


def actor_required(*roles):
    """The request must have an acting membership (in one of `roles`, if given)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if request.actor is None:
                return render(request, "accounts/no_membership.html", status=403)
            if roles and request.actor.role not in roles:
                raise PermissionDenied("role")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
