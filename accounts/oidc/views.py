"""The provider sign-in's pages: start (PAR, then the provider), the one callback, Heimveg's
public keys (JWKS), the sign-out at the provider and the page it returns to."""

from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from accounts.oidc import flow, keys, providers, purposes, refusals, sessions
from lib.links import absolute_reverse


def _safe_next(request: HttpRequest) -> str:
    target = request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return ""


@require_GET
def start(request: HttpRequest, provider: str) -> HttpResponse:
    found = providers.get(provider)
    if found is None:
        return refusals.refused(request, None, flow.UNAVAILABLE, detail="no such provider", status=404)
    try:
        url = flow.start(request, found, _safe_next(request))
    except flow.Refused as refusal:
        return refusals.refused(request, found, refusal.reason, refusal.detail, status=503)
    return redirect(url)


@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    started = flow.take_flow(request, request.GET.get("state", ""))
    if started is None:
        return refusals.refused(request, None, flow.STATE)
    provider = providers.get(started["provider"])
    if provider is None:
        return refusals.refused(request, None, flow.UNAVAILABLE, detail="provider removed", status=503)
    try:
        claims, id_token = flow.finish(request, provider, started)
    except flow.Refused as refusal:
        return refusals.refused(request, provider, refusal.reason, refusal.detail)
    on_verified = purposes.handler(provider.purpose)
    if on_verified is None:
        return refusals.refused(request, provider, refusals.NOT_AVAILABLE, status=503)
    request.heimveg_oidc_next = started["next"]  # type: ignore[attr-defined]
    response = on_verified(request, provider, claims)
    if response.status_code < 400:
        sessions.remember(request, provider, id_token)
    return response


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    """Heimveg's public keys for private_key_jwt, for the providers to fetch."""
    return JsonResponse(keys.public_jwks())


def _provider_sign_out(request: HttpRequest) -> tuple[str | None, str]:
    """The provider's sign-out address for this session (None: signed in without a provider, or
    it has none) and the purpose of the sign-in."""
    signed_in = sessions.signed_in_with(request)
    provider = providers.get(signed_in["provider"]) if signed_in else None
    if signed_in is None or provider is None:
        return None, purposes.STAFF
    url = flow.end_session_url(provider, signed_in["id_token"], absolute_reverse("accounts:oidc_signed_out"))
    return url, provider.purpose


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """Sign out of Heimveg, then of the provider (RP-initiated logout with id_token_hint), which
    sends the browser back to accounts:oidc_signed_out."""
    url, purpose = _provider_sign_out(request)
    logout(request)
    return redirect(url or purposes.after_sign_out(purpose))


class SignOutView(auth_views.LogoutView):
    """Heimveg's sign-out button: after a provider sign-in it signs out at the provider too."""

    def post(self, request, *args, **kwargs):
        url, _purpose = _provider_sign_out(request)
        response = super().post(request, *args, **kwargs)
        return redirect(url) if url else response


def signed_out(request: HttpRequest) -> HttpResponse:
    """Where the provider sends the browser after its sign-out; links on by the sign-in's purpose."""
    purpose = request.GET.get("state", "").partition(".")[0]
    if purpose not in (purposes.STAFF, purposes.CITIZEN):
        purpose = purposes.STAFF
    return render(request, "accounts/oidc_signed_out.html", {"next_url": purposes.after_sign_out(purpose)})
