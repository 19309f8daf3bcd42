"""The client's address, for sign-in throttling, the sign-in list and axes.

Behind `HEIMVEG_TRUSTED_PROXIES` = N reverse proxies, each appends the address it received the
request from to X-Forwarded-For, so the client is the N-th entry from the right; entries further
left were written by the client and are ignored. With N = 0 (the default, no proxy) the header is
ignored altogether and the connection's address (REMOTE_ADDR) is the client. A request that came
through fewer proxies than configured falls back to the leftmost entry the proxies could have
written, never to one the client chose beyond them."""

import ipaddress

from django.conf import settings


def _valid(address):
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request):
    remote = _valid(request.META.get("REMOTE_ADDR", "") or "")
    proxies = getattr(settings, "HEIMVEG_TRUSTED_PROXIES", 0)
    if proxies <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    candidate = forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]
    return _valid(candidate) or remote
