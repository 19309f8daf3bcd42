"""What happens after a provider has verified a person, by purpose ("staff", "citizen").

An outer app registers its handler for a purpose in its AppConfig.ready; the callback view calls
it only after every protocol check passed. `on_verified(request, provider, claims)` returns the
response (provider has `key` and `kind`; claims are the ID token's verified claims)."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

OnVerified = Callable[[HttpRequest, Any, dict[str, Any]], HttpResponse]

_handlers: dict[str, OnVerified] = {}


def register(purpose: str, on_verified: OnVerified) -> None:
    _handlers[purpose] = on_verified


def handler(purpose: str) -> OnVerified:
    """The registered handler; KeyError when no app registered the purpose."""
    return _handlers[purpose]
