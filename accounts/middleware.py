"""Attach the acting membership to the request, require a second factor for staff, and sign
staff out after a while without activity."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.actor import actor_for
from accounts.oidc import sessions as provider_sessions

# Paths a signed-in user may reach before the second factor is verified.
# Only the sign-in steps themselves under /accounts/: the account and member pages need the factor.
TWO_FACTOR_EXEMPT_PREFIXES = (
    "/accounts/sign-in/",
    "/accounts/sign-out/",
    "/accounts/two-factor/",
    "/accounts/invitation/",
    "/accounts/oidc/",
    "/accounts/keep-alive/",
    "/static/",
    "/i18n/",
    "/healthz",
    "/readyz",
    "/p/",
)


class ActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.memberships = []
        request.actor = actor_for(request)
        if self._needs_second_factor(request):
            return redirect(f"{reverse('accounts:two_factor')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _needs_second_factor(request):
        user = request.user
        if not settings.REQUIRE_TWO_FACTOR or not user.is_authenticated:
            return False
        if user.is_verified():
            return False
        if provider_sessions.signed_in_with(request):
            return False  # signed in through a provider, which did the strong authentication
        return not request.path.startswith(TWO_FACTOR_EXEMPT_PREFIXES)


IDLE_SESSION_KEY = "heimveg_last_activity"
IDLE_CHECK_HEADER = "X-Heimveg-Idle-Check"


class IdleTimeoutMiddleware:
    """Sign a staff user out after HEIMVEG_IDLE_TIMEOUT_MINUTES without a request, server-side:
    the session holds the time of the last request; a request after the timeout ends the session
    with a message and goes to the sign-in page. The page warns a few minutes before
    (accounts/static/accounts/idle.js), and "Stay signed in" is a request like any other
    (accounts:keep_alive). The patient's portal session has its own limits (portal/session.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            timeout = settings.HEIMVEG_IDLE_TIMEOUT_MINUTES * 60
            last = request.session.get(IDLE_SESSION_KEY)
            if last is not None and now - last > timeout:
                logout(request)
                messages.info(
                    request,
                    _("You were signed out after %(minutes)s minutes without activity. Sign in again.")
                    % {"minutes": settings.HEIMVEG_IDLE_TIMEOUT_MINUTES},
                )
                target = request.get_full_path() if request.method == "GET" else ""
                url = reverse("accounts:login")
                return redirect(f"{url}?{urlencode({'next': target})}" if target else url)
            # The page's own check (idle.js asking how long is left) is not activity.
            passive = request.headers.get(IDLE_CHECK_HEADER) == "1"
            if not passive and (last is None or now - last >= 15):  # one write per 15 s is precise enough
                request.session[IDLE_SESSION_KEY] = last = now
            request.heimveg_idle = {
                "timeout": timeout,
                "warning": max(0, min(timeout - 30, settings.HEIMVEG_IDLE_WARNING_MINUTES * 60)),
                "remaining": max(0, int(timeout - (now - (last or now)))),
            }
        return self.get_response(request)
