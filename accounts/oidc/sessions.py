"""What a provider sign-in leaves in the session: which provider, and the ID token for the
sign-out's id_token_hint (RP-initiated logout). The session is kept on the server."""

from typing import Any

from django.http import HttpRequest

from accounts.oidc.providers import Provider

SESSION_KEY = "heimveg_oidc_sign_in"


def remember(request: HttpRequest, provider: Provider, id_token: str) -> None:
    request.session[SESSION_KEY] = {"provider": provider.key, "id_token": id_token}


def signed_in_with(request: HttpRequest) -> dict[str, Any] | None:
    """{"provider": key, "id_token": …} when this session was signed in through a provider."""
    session = getattr(request, "session", None)
    found = session.get(SESSION_KEY) if session is not None else None
    return found if isinstance(found, dict) else None


def next_url(request: HttpRequest, default: str = "") -> str:
    """The page the sign-in was started from (`next` of accounts:oidc_start, already checked to be
    on this site), for the purpose's handler to redirect to."""
    return getattr(request, "heimveg_oidc_next", "") or default
