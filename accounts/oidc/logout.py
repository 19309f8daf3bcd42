"""Signing out after a provider sign-in (RP-initiated logout): the provider's sign-out address,
with the ID token as id_token_hint, is taken from the session before the session is ended; then
a page moves the browser on to the provider.

Why a page and not a redirect: the sign-out buttons are forms that POST to Heimveg, and the
Content-Security-Policy's `form-action 'self'` also covers the redirects after a form's
submission, so a 302 to the provider would be blocked by the browser. The page answers 200 and
goes on by `<meta http-equiv="refresh" content="0; url=…">`, with a link for a browser that does
not follow it (docs/sign-in.md)."""

from django.contrib.auth import logout as django_logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.oidc import flow, providers, purposes, sessions
from lib.links import absolute_reverse

LEAVING_TEMPLATE = "accounts/oidc_leaving.html"


def provider_sign_out(request: HttpRequest) -> tuple[str | None, str]:
    """The provider's sign-out address for this session (None: signed in without a provider, or
    it has none) and the purpose of the sign-in. Read it before the session is ended."""
    signed_in = sessions.signed_in_with(request)
    provider = providers.get(signed_in["provider"]) if signed_in else None
    if signed_in is None or provider is None:
        return None, purposes.STAFF
    url = flow.end_session_url(provider, signed_in["id_token"], absolute_reverse("accounts:oidc_signed_out"))
    return url, provider.purpose


def end(request: HttpRequest) -> tuple[str | None, str]:
    """End this browser's session (Django's logout: the session is flushed, the ID token with
    it) and return the provider's sign-out address, taken first, and the sign-in's purpose."""
    url, purpose = provider_sign_out(request)
    django_logout(request)
    return url, purpose


def leaving_page(request: HttpRequest, url: str, template: str = LEAVING_TEMPLATE) -> HttpResponse:
    """The page that moves the signed-out browser on to the provider's sign-out address `url`:
    a refresh after 0 seconds, and a link. Neither cached nor sent on as a referrer."""
    response = render(request, template, {"provider_url": url})
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
