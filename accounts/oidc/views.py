"""The provider sign-in's pages: start (PAR, then the provider), the one callback, Heimveg's
public keys (JWKS), the sign-out at the provider and the page it returns to."""

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from accounts.oidc import flow, keys, logout, providers, purposes, refusals, sessions


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


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """Sign out of Heimveg, then of the provider (RP-initiated logout with id_token_hint), which
    sends the browser back to accounts:oidc_signed_out."""
    url, purpose = logout.end(request)
    if url:
        return logout.leaving_page(request, url)
    return redirect(purposes.after_sign_out(purpose))


class SignOutView(auth_views.LogoutView):
    """Heimveg's sign-out button: after a provider sign-in it signs out at the provider too."""

    def post(self, request, *args, **kwargs):
        url, _purpose = logout.provider_sign_out(request)
        response = super().post(request, *args, **kwargs)
        return logout.leaving_page(request, url) if url else response


def signed_out(request: HttpRequest) -> HttpResponse:
    """Where the provider sends the browser after its sign-out. A purpose with a page of its own
    (`purposes.register_after_sign_out`, the portal's for citizens) goes on there; staff see
    Heimveg's signed-out page with a link to the sign-in page."""
    purpose = request.GET.get("state", "").partition(".")[0]
    if purpose not in (purposes.STAFF, purposes.CITIZEN):
        purpose = purposes.STAFF
    own_page = purposes.registered_after_sign_out(purpose)
    if own_page:
        return redirect(own_page)
    return render(request, "accounts/oidc_signed_out.html", {"next_url": purposes.after_sign_out(purpose)})
