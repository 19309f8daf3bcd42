"""The OAuth 2.0 token endpoint (/oauth/token/): django-oauth-toolkit's, behind a rate limit per
client id and per client address (lib.throttle, fixed windows in the database shared by every
process). Past either limit it answers 429 with an RFC 6749-shaped JSON error (`slow_down`) and a
Retry-After header, before any client secret is hashed and checked (the password hasher is the
endpoint's expensive part). The first refusal of a window is logged and audited, naming the
system by its public id when the client id is known; no secret, client id or address is logged."""

import base64
import binascii
import logging
from urllib.parse import unquote_plus

from django.conf import settings
from django.http import JsonResponse
from oauth2_provider import views

from audit import services as audit
from audit.models import AuditEntry
from lib import throttle

logger = logging.getLogger(__name__)

SCOPE_CLIENT = "oauth_token:client"
SCOPE_ADDRESS = "oauth_token:address"


def client_id_of(request):
    """The client id the caller names: HTTP Basic (RFC 6749 2.3.1, form-encoded) or the body."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header[:6].lower() == "basic ":
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            decoded = ""
        if ":" in decoded:
            return unquote_plus(decoded.split(":", 1)[0])[:200]
    return str(request.POST.get("client_id", ""))[:200]


def _limits():
    return (
        (SCOPE_CLIENT, settings.OAUTH_TOKEN_LIMIT_PER_CLIENT),
        (SCOPE_ADDRESS, settings.OAUTH_TOKEN_LIMIT_PER_ADDRESS),
    )


def _refused_scopes(request, client_id):
    """Counts this request per client id and per address; the scopes whose limit it exceeds."""
    window = settings.OAUTH_TOKEN_LIMIT_WINDOW
    keys = {SCOPE_CLIENT: client_id, SCOPE_ADDRESS: request.META.get("REMOTE_ADDR", "")}
    refused = []
    for scope, limit in _limits():
        key = keys[scope]
        if key and not throttle.hit(scope, key, limit=limit, window=window):
            refused.append((scope, limit))
    return refused


def _report(request, client_id, refused):
    """Log and audit the first refusal of each scope in its window (a flood writes one entry)."""
    from fhir_api.auth import actor_for_client
    from fhir_api.models import ApiClient

    window = settings.OAUTH_TOKEN_LIMIT_WINDOW
    keys = {SCOPE_CLIENT: client_id, SCOPE_ADDRESS: request.META.get("REMOTE_ADDR", "")}
    first = [scope for scope, limit in refused if throttle.count(scope, keys[scope], window=window) == limit + 1]
    if not first:
        return
    client = (
        ApiClient.objects.select_related("organisation", "service_user")
        .filter(application__client_id=client_id, revoked_at__isnull=True)
        .first()
        if client_id
        else None
    )
    actor = actor_for_client(client) if client is not None else None
    named = f"system {client.public_id}" if client is not None else "unknown client"
    per = " and ".join("client id" if s == SCOPE_CLIENT else "client address" for s in first)
    logger.warning("Token endpoint rate limit reached per %s (%s)", per, named)
    audit.record(
        actor,
        AuditEntry.Action.DENIED,
        object_type="oauth_token",
        detail=f"token endpoint rate limit per {per} ({named})",
        request=request,
    )


class TokenView(views.TokenView):
    def post(self, request, *args, **kwargs):
        client_id = client_id_of(request)
        refused = _refused_scopes(request, client_id)
        if refused:
            _report(request, client_id, refused)
            response = JsonResponse(
                {
                    "error": "slow_down",
                    "error_description": "Too many token requests; try again after Retry-After seconds.",
                },
                status=429,
            )
            response["Retry-After"] = str(throttle.retry_after(settings.OAUTH_TOKEN_LIMIT_WINDOW))
            response["Cache-Control"] = "no-store"
            return response
        return super().post(request, *args, **kwargs)
