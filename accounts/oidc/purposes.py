"""What a verified provider sign-in is for. Each provider has a purpose: "staff" (HelseID, an
organisation's own provider; accounts registers its handler, accounts.oidc.staff) or "citizen"
(ID-porten; the portal registers its handler in its AppConfig.ready). The handler is called only
after every check of the protocol passed (state, PKCE, iss, the ID token's signature, issuer,
audience, expiry and nonce, the security level):

    on_verified(request, provider, claims) -> HttpResponse

Until a purpose's handler is registered, its providers' callbacks show a "not available" page.
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


def register(purpose: str, on_verified: Handler) -> None:
    _handlers[purpose] = on_verified


def handler(purpose: str) -> Handler | None:
    """The handler registered for `purpose`, or None."""
    return _handlers.get(purpose)
