"""Every refusal is audited, for every role (and for a signed-in user without any membership, such
as the superuser).

Code that refuses with a patient in hand writes its own DENIED entry (patients.access.open_patient
and the pages that check more than the care relation): `audit.services.record` marks the request
as audited (`note`). Every other refusal (a role that may not open a page, an organisation admin on
another organisation's object, the superuser outside the admin, a system through the FHIR API, a
signed-in user other than the superuser in the Django admin) reaches `RefusalAuditMiddleware` as a 403
answer, and the middleware writes one DENIED entry for it: the kind of page as `object_type`, and
as `detail` the method, the URL pattern (never the path, which may hold a token or an id, nor the
query string, which may hold a name or a national id searched for) and the refusal's reason.
Anonymous requests are not audited here (there is no one to name; sign-in failures are throttled
and logged by the accounts app).
"""

import contextvars
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied

from audit import services as audit

_audited = contextvars.ContextVar("heimveg_refusal_audited", default=False)


def note(action):
    """Called by audit.services.record for every entry: a DENIED entry means this request's
    refusal is audited already."""
    if action == audit.Action.DENIED:
        _audited.set(True)


def _actor(request):
    actor = getattr(request, "fhir_actor", None) or getattr(request, "actor", None)
    if actor is not None:
        return actor
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return SimpleNamespace(user=user, organisation=None, role="superuser" if user.is_superuser else "")


def _where(request):
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "", "unresolved"
    return (match.namespace or match.app_name or "page")[:32], f"{match.view_name} ({match.route})"


class RefusalAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _audited.set(False)
        try:
            response = self.get_response(request)
            if not _audited.get() and self._refused(request, response):
                self._record(request)
            return response
        finally:
            _audited.reset(token)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            request.refusal_reason = str(exception)[:60]

    @staticmethod
    def _refused(request, response):
        if response.status_code == 403:
            return True
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        # The Django admin (the superuser's alone) answers anyone else signed in with its login page.
        return bool(
            match is not None
            and match.namespace == "admin"
            and user is not None
            and user.is_authenticated
            and not user.is_superuser
        )

    @staticmethod
    def _record(request):
        actor = _actor(request)
        if actor is None:
            return
        object_type, where = _where(request)
        reason = getattr(request, "refusal_reason", "")
        detail = f"refused {request.method} {where}" + (f": {reason}" if reason else "")
        audit.record(actor, audit.Action.DENIED, object_type=object_type or "page", detail=detail, request=request)
