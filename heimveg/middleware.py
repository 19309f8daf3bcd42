"""Language: Norwegian bokmål unless the user chose another language (cookie). The browser's
Accept-Language is deliberately ignored, so a shared ward PC with an English browser still shows
bokmål until someone picks a language."""

import logging
import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

logger = logging.getLogger(__name__)


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


# Paths whose callers are machines (load balancers, monitoring, record systems): their errors are
# JSON, never Django's HTML error page.
JSON_ERROR_PREFIXES = ("/readyz", "/healthz", "/oauth/token/", "/fhir/")
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def _operation_outcome(message, code, status):
    from fhir_api.errors import operation_outcome

    outcome = operation_outcome(message, code=code, severity="error")
    return HttpResponse(
        outcome.model_dump_json(by_alias=True, exclude_none=True),
        status=status,
        content_type="application/fhir+json; charset=utf-8",
    )


def json_error(request, exception=None):
    """The JSON answer to an unhandled error on a machine path: 503 (try again) when the database
    is unavailable, 500 otherwise. OAuth's in RFC 6749's shape, FHIR's an OperationOutcome."""
    unavailable = exception is None or isinstance(exception, DATABASE_UNAVAILABLE)
    status = 503 if unavailable else 500
    path = request.path
    if path.startswith("/oauth/token/"):
        body = {"error": "temporarily_unavailable" if unavailable else "server_error"}
        response = JsonResponse(body, status=status)
        response["Cache-Control"] = "no-store"
    elif path.startswith("/fhir/"):
        message = "Heimveg is temporarily unavailable; try again shortly." if unavailable else "Internal error."
        response = _operation_outcome(message, "transient" if unavailable else "exception", status)
    else:
        error = "database unavailable" if unavailable else "error"
        response = JsonResponse({"status": "fail", "error": error}, status=status)
    if unavailable:
        response["Retry-After"] = "5"
    return response


def json_client_error(request, response):
    """A 4xx that Django answered with an HTML page (a 404 for an unknown path, a 405 for a method
    the view does not take) as JSON, with the same status and headers (Allow)."""
    status = response.status_code
    path = request.path
    if path.startswith("/oauth/token/"):
        answer = JsonResponse({"error": "invalid_request"}, status=status)
        answer["Cache-Control"] = "no-store"
    elif path.startswith("/fhir/"):
        code = "not-found" if status == 404 else "not-supported" if status == 405 else "invalid"
        answer = _operation_outcome(response.reason_phrase, code, status)
    else:
        answer = JsonResponse({"status": "fail", "error": response.reason_phrase.lower()}, status=status)
    for header in ("Allow", "Retry-After"):
        if header in response:
            answer[header] = response[header]
    return answer


@receiver(got_request_exception)
def _remember_exception(sender, request=None, **kwargs):
    """Django turns an exception in an inner middleware into an HTML 500 before the outer ones
    see it; keep the exception on the request so JsonErrorMiddleware can tell a database outage."""
    if request is not None:
        request._heimveg_exception = sys.exc_info()[1]


class JsonErrorMiddleware:
    """Turns an unhandled error on /readyz, /healthz, /oauth/token/ and /fhir/ into JSON (see
    `json_error`). Placed near the top, so errors raised by inner middleware are caught too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code >= 400 and request.path.startswith(JSON_ERROR_PREFIXES):
            content_type = response.get("Content-Type", "")
            if "json" not in content_type:
                if response.status_code < 500:  # Django's own 404/405 pages, say
                    return json_client_error(request, response)
                exception = getattr(request, "_heimveg_exception", None)
                return json_error(request, exception if exception is not None else RuntimeError())
        return response

    def process_exception(self, request, exception):
        if not request.path.startswith(JSON_ERROR_PREFIXES):
            return None
        logger.error(
            "%s on %s answered as JSON", type(exception).__name__, request.path.split("?")[0][:60], exc_info=exception
        )
        return json_error(request, exception)
