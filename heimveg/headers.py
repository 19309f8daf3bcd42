"""HTTP response headers that keep patient data out of caches.

A shared ward PC's browser cache, a proxy's cache and the back/forward cache must not hold a page
with patient data once its user has signed out. The rule is deliberately broad, so that a new view
cannot forget it: every response to a request that carries a session (a signed-in staff user, a
user half-way through sign-in, a patient in the portal), and every response on a path that serves
patient data to machines or to the patient (/fhir/, /oauth/, the portal under /p/), is sent with
`Cache-Control: no-store`. Static files are left cacheable: whitenoise answers them before the
session is read, and their paths are skipped here too (for the development server).
"""

from django.conf import settings

# Paths whose answers are never cached, whoever asks.
NO_STORE_PREFIXES = ("/fhir/", "/oauth/", "/p/", "/admin/", "/accounts/")
NO_STORE = "no-store"


def _static_prefix():
    url = settings.STATIC_URL or "/static/"
    return url if url.startswith("/") else "/" + url


def _holds_session(request):
    """True when the request belongs to someone signed in, or half-way through signing in (the
    second-factor step shows the authenticator key), or to a patient's portal session."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    session = getattr(request, "session", None)
    if session is None:
        return False
    # An empty session (an anonymous visitor) is not loaded from the database just to ask.
    return not session.is_empty()


def needs_no_store(request):
    path = request.path
    if path.startswith(_static_prefix()):
        return False
    if path.startswith(NO_STORE_PREFIXES):
        return True
    return _holds_session(request)


class NoStoreMiddleware:
    """Sends `Cache-Control: no-store` on every response that may hold patient data (see above).

    It sits right after SecurityMiddleware, outside everything that can answer a request (the
    machine paths' JSON errors included), and replaces whatever caching a view asked for: a
    response with patient data is never stored, not even `private`ly."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if needs_no_store(request):
            response["Cache-Control"] = NO_STORE
            # HTTP/1.0 caches do not know Cache-Control.
            response["Pragma"] = "no-cache"
        return response
