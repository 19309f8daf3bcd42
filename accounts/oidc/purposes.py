"""What a verified provider sign-in is for. Each provider has a purpose: "staff" (HelseID, an
organisation's own provider; accounts registers its handler, accounts.oidc.staff) or "citizen"
(ID-porten; the portal registers its handler in its AppConfig.ready). The handler is called only
after every check of the protocol passed (state, PKCE, iss, the ID token's signature, issuer,
audience, expiry and nonce, the security level):

    on_verified(request, provider, claims) -> HttpResponse

Until a purpose's handler is registered, its providers' callbacks show a "not available" page.

After a sign-out at the provider, the browser comes back to accounts:oidc_signed_out, which goes
on to the purpose's own signed-out page, `register_after_sign_out(purpose, path)` (the portal's
for "citizen"); without one (staff) it shows Heimveg's signed-out page, linking to the sign-in.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from accounts.oidc.providers import Provider

STAFF = "staff"
CITIZEN = "citizen"

Handler = Callable[[HttpRequest, "Provider", dict[str, Any]], HttpResponse]

_handlers: dict[str, Handler] = {}
_after_sign_out: dict[str, str] = {}


def register(purpose: str, on_verified: Handler) -> None:
    _handlers[purpose] = on_verified


def handler(purpose: str) -> Handler | None:
    """The handler registered for `purpose`, or None."""
    return _handlers.get(purpose)


def register_after_sign_out(purpose: str, path: str) -> None:
    """Where a person of `purpose` goes on from the signed-out page (a path on this site)."""
    _after_sign_out[purpose] = path


def registered_after_sign_out(purpose: str) -> str | None:
    """The path registered for `purpose`, or None."""
    return _after_sign_out.get(purpose)


def after_sign_out(purpose: str) -> str:
    from django.urls import reverse

    return _after_sign_out.get(purpose) or reverse("accounts:login")
