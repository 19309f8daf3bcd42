"""Attach the acting membership to the request, and require a second factor for staff."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from accounts.actor import actor_for

# Paths a signed-in user may reach before the second factor is verified.
TWO_FACTOR_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz", "/readyz", "/p/")


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
        return not request.path.startswith(TWO_FACTOR_EXEMPT_PREFIXES)
