"""The FHIR endpoints: one dispatcher over the resource table (fhir_api.resources), the
CapabilityStatement and the OpenAPI document generated from that same table.

Every answer is application/fhir+json; every error is an OperationOutcome with a message in the
requester's language (Accept-Language: nb, nn or en; English when none fits) and never a stack trace.
"""

import json
import logging
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from fhir_api import auth, capability, errors, openapi, search
from fhir_api.mapping.common import build
from fhir_api.resources import REGISTRY
from fhir_api.resources.base import Context
from pathway.services import PathwayConflict, PathwayRuleError

logger = logging.getLogger(__name__)
CONTENT_TYPE = "application/fhir+json; charset=utf-8"
JSON_TYPES = (
    "application/fhir+json",
    "application/json",
    "application/json-patch+json",
    "application/merge-patch+json",
)


def respond(resource, status=200, headers=None):
    body = (
        resource if isinstance(resource, (str, bytes)) else resource.model_dump_json(by_alias=True, exclude_none=True)
    )
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPE)
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def _language(request):
    supported = {"nb": "nb", "nn": "nn", "en": "en", "no": "nb"}
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in translation.trans_real.parse_accept_lang_header(header):
        base = code.lower().split("-")[0]
        if base in supported:
            return supported[base]
    return "en"


def fhir_view(view):
    """Language, errors as OperationOutcome, and a catch-all that hides internals."""

    @csrf_exempt
    def wrapper(request, *args, **kwargs):
        language = _language(request)
        with translation.override(language):
            response = _answer(view, request, *args, **kwargs)
        response["Content-Language"] = language
        return response

    wrapper.__name__ = view.__name__
    return wrapper


def _answer(view, request, *args, **kwargs):
    """The view's answer, or its error as an OperationOutcome."""
    try:
        _check_size(request)
        return view(request, *args, **kwargs)
    except RequestDataTooBig:  # Django's own DATA_UPLOAD_MAX_MEMORY_SIZE, if it is the lower limit
        return _answer_too_large()
    except errors.FhirError as error:
        outcome = errors.operation_outcome(error.diagnostics, code=error.code, expression=error.expression)
        return respond(outcome, error.status, error.headers)
    except Http404:
        return respond(errors.operation_outcome(_("Not found."), code="not-found"), 404)
    except PermissionDenied:
        message = _("Your organisation has no care relation to this patient, or your role does not allow this.")
        return respond(errors.operation_outcome(message, code="forbidden"), 403)
    except PathwayRuleError as error:
        message = " ".join(str(m) for m in error.messages)
        if isinstance(error, PathwayConflict):
            return respond(errors.operation_outcome(message, code="conflict"), 409)
        return respond(errors.operation_outcome(message, code="business-rule"), 422)
    except (OperationalError, InterfaceError) as error:
        # The database is unavailable (a restart, a failover): transient, the client retries.
        logger.warning("FHIR request: database unavailable (%s)", type(error).__name__)
        message = _("Heimveg is temporarily unavailable. Try again shortly.")
        return respond(errors.operation_outcome(message, code="transient"), 503, {"Retry-After": "5"})
    except Exception:  # the last resort: a bug is logged and answered 500 (a server error), never a 4xx
        logger.exception("FHIR request failed: %s %s", request.method, request.path.split("?")[0][:60])
        message = _("Something went wrong in Heimveg. The error has been logged; try again later.")
        return respond(errors.operation_outcome(message, code="exception", severity="fatal"), 500)


def _too_large():
    return errors.FhirError(
        413,
        _("The request body is too large: Heimveg takes at most %(limit)s bytes in a FHIR request.")
        % {"limit": settings.FHIR_MAX_BODY_BYTES},
        code="too-long",
    )


def _answer_too_large():
    error = _too_large()
    return respond(errors.operation_outcome(error.diagnostics, code=error.code), error.status)


def _check_size(request):
    """Refuse a body over FHIR_MAX_BODY_BYTES by its Content-Length, before anything reads it
    (a WSGI server hands Django no more than Content-Length bytes)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise errors.bad_request(_("The Content-Length header is not a number."), code="structure") from None
    if length > settings.FHIR_MAX_BODY_BYTES:
        raise _too_large()


def _too_deep(value, limit):
    """Whether objects and arrays nest deeper than `limit` (iterative: no recursion to exhaust)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _require_json(request):
    """Bodies are JSON (but a POST search's); checked before anything reads the body (the token
    check would parse a form)."""
    content_type = request.content_type or ""
    if request.path.endswith("/_search"):
        return
    if request.method in ("POST", "PUT", "PATCH") and content_type and content_type not in JSON_TYPES:
        raise errors.FhirError(415, _("Send the resource as application/fhir+json."), code="not-supported")


def _body(request):
    limit = settings.FHIR_MAX_JSON_DEPTH
    too_deep = errors.bad_request(
        _("The request body nests objects and arrays more than %(limit)s deep.") % {"limit": limit},
        code="structure",
    )
    try:
        body = json.loads(request.body.decode("utf-8") or "null")
    except (UnicodeDecodeError, ValueError):
        raise errors.bad_request(_("The request body is not valid JSON."), code="structure") from None
    except RecursionError:  # deeper than the parser's own stack allows
        raise too_deep from None
    if _too_deep(body, limit):
        raise too_deep
    return body


def _resource_type(name):
    found = REGISTRY.get(name)
    if found is None:
        raise errors.not_found(_("Heimveg does not serve the resource type %(type)s.") % {"type": name[:64]})
    return found


def _context(request, writing=False):
    _require_json(request)
    request.fhir_actor = auth.authenticate(request)  # names the system on an audited refusal (audit.refusals)
    return Context(actor=request.fhir_actor, request=request, today=timezone.localdate(), writing=writing)


def _base(request):
    return request.build_absolute_uri("/fhir/").rstrip("/")


def _not_allowed(method, type_name):
    return errors.FhirError(
        405,
        _("%(method)s is not supported on %(type)s.") % {"method": method, "type": type_name[:64]},
        code="not-supported",
    )


@fhir_view
def metadata(request):
    if request.method != "GET":
        raise _not_allowed(request.method, "metadata")
    return respond(capability.capability_statement(_base(request)))


@fhir_view
def openapi_document(request):
    return HttpResponse(json.dumps(openapi.document(_base(request))), content_type="application/json; charset=utf-8")


@fhir_view
def type_endpoint(request, type_name):
    context = _context(request, writing=request.method != "GET")  # 401 before anything else
    resource_type = _resource_type(type_name)
    if request.method == "GET":
        return _search(context, request, resource_type)
    if request.method == "POST":
        if resource_type.create is None:
            raise _not_allowed("POST", type_name)
        return _create(context, request, resource_type)
    raise _not_allowed(request.method, type_name)


@fhir_view
def instance_endpoint(request, type_name, resource_id):
    context = _context(request, writing=request.method != "GET")
    resource_type = _resource_type(type_name)
    if request.method == "GET":
        return respond(resource_type.to_resource(resource_type.read(context, resource_id)))
    if request.method in ("PUT", "PATCH"):
        if resource_type.update is None:
            raise _not_allowed(request.method, type_name)
        body = _body(request)
        current = resource_type.read(context, resource_id)
        updated = resource_type.update(context, current, body, patch=request.method == "PATCH")
        return respond(resource_type.to_resource(updated))
    raise _not_allowed(request.method, type_name)


@fhir_view
def search_endpoint(request, type_name):
    """POST <Type>/_search: the parameters in a form-encoded body, so none is in a URL."""
    if request.method != "POST":
        raise _not_allowed(request.method, f"{type_name}/_search")
    if request.content_type != "application/x-www-form-urlencoded":
        raise errors.FhirError(
            415, _("Send the search parameters form-encoded (application/x-www-form-urlencoded)."), code="not-supported"
        )
    context = _context(request)
    resource_type = _resource_type(type_name)
    if request.GET:
        raise errors.bad_request(_("Put every search parameter in the body of a POST search."))
    return _search(context, request, resource_type, form=request.POST)


def _search_items(context, resource_type, pairs, *, in_url=False):
    """The access-scoped items matching the search parameters in `pairs`. An unknown parameter is
    refused (400) unless the client asks for lenient handling (Prefer: handling=lenient)."""
    lenient = "handling=lenient" in context.request.headers.get("Prefer", "").replace(" ", "")
    if resource_type.search is None:
        raise _not_allowed("GET", resource_type.name)
    params = resource_type.param_map
    items = resource_type.search(context)
    for name, value in pairs:
        if name in search.RESULT_PARAMS:
            continue
        param = params.get(name)
        if param is None and lenient:
            continue
        if param is None:
            raise errors.bad_request(
                _("Unknown search parameter %(name)s for %(type)s. Known: %(known)s.")
                % {"name": name[:64], "type": resource_type.name, "known": ", ".join(params) or "-"},
                code="not-supported",
            )
        if param.sensitive and in_url:
            raise errors.bad_request(
                _(
                    "%(name)s carries personal data (a national identity number, a name or a date of birth) "
                    "and must not be in a URL. Search with POST %(type)s/_search (form-encoded body), or give "
                    "conditional-create criteria in the If-None-Exist header."
                )
                % {"name": name, "type": resource_type.name},
                code="security",
            )
        values = [v for v in value.split(",") if v]
        if not values:
            raise errors.bad_request(_("The search parameter %(name)s has no value.") % {"name": name})
        items = param.apply(items, values, context)
    return items


def _search(context, request, resource_type, form=None):
    """GET <Type>?... or POST <Type>/_search with the parameters in a form-encoded body (`form`)."""
    query = request.GET if form is None else form
    pairs = [(k, v) for k in query for v in query.getlist(k)]
    includes = query.getlist("_include")
    known_includes = {i.name: i for i in resource_type.includes}
    for name in includes:
        if name not in known_includes:
            raise errors.bad_request(
                _("Unknown _include %(name)s. Supported: %(known)s.")
                % {"name": name[:64], "known": ", ".join(known_includes) or "-"},
                code="not-supported",
            )
    count, offset = search.count_and_offset(query)
    items = _search_items(context, resource_type, pairs, in_url=form is None)
    total = len(items) if isinstance(items, list) else items.count()
    page = list(items[offset : offset + count])
    # Each _include's objects, collected once for the audit entry and the bundle.
    included = {name: list(known_includes[name].collect(page)) for name in dict.fromkeys(includes)}
    if resource_type.audit_search and page:
        everything = [item for items in included.values() for item in items]
        resource_type.audit_search(context, page, list({id(i): i for i in everything}.values()))
    return respond(
        _bundle(
            request, resource_type, page, total, count, offset, pairs, known_includes, included, posted=form is not None
        )
    )


def _bundle(request, resource_type, page, total, count, offset, pairs, known_includes, included, *, posted):
    base = _base(request)
    url = f"{base}/{resource_type.name}"
    if posted:
        # Links are URLs: the parameters of a POSTed search (a national identity number, a name, a
        # date of birth) stay out of them. No paging links; POST again with _offset for the next page.
        links = [{"relation": "self", "url": f"{url}/_search"}]
        total_pages_linked = False
    else:
        links = [{"relation": "self", "url": search.page_url(url, pairs, offset, count)}]
        total_pages_linked = True
    if total_pages_linked and count and offset + count < total:
        links.append({"relation": "next", "url": search.page_url(url, pairs, offset + count, count)})
    if total_pages_linked and offset > 0:
        links.append({"relation": "previous", "url": search.page_url(url, pairs, max(offset - count, 0), count)})
    entries = []
    for item in page:
        resource = resource_type.to_resource(item)
        entries.append(
            {"fullUrl": f"{base}/{resource_type.name}/{resource.id}", "resource": resource, "search": {"mode": "match"}}
        )
    seen = set()
    for name, items in included.items():
        target = REGISTRY[known_includes[name].target]
        for item in items:
            resource = target.to_resource(item)
            if resource.id in seen:
                continue
            seen.add(resource.id)
            entries.append(
                {"fullUrl": f"{base}/{target.name}/{resource.id}", "resource": resource, "search": {"mode": "include"}}
            )
    bundle = build(
        "Bundle",
        {
            "type": "searchset",
            "total": total,
            "link": links,
            "entry": [
                {**e, "resource": e["resource"].model_dump(mode="json", by_alias=True, exclude_none=True)}
                for e in entries
            ],
        },
    )
    return bundle


def _conditional_matches(context, resource_type, request):
    """The If-None-Exist header's matches (the query string of the POST is read too, as fhirpy's
    get_or_create sends it, but a national identity number is refused there)."""
    header = request.headers.get("If-None-Exist")
    criteria = header or request.META.get("QUERY_STRING", "")
    if not criteria or not resource_type.conditional_create:
        return None
    pairs = parse_qsl(criteria.lstrip("?"), keep_blank_values=True)
    if not pairs:
        return None
    items = _search_items(context, resource_type, pairs, in_url=not header)
    return list(items[:2])


def _existing(context, resource_type, matches):
    """The answer to a conditional create that one resource matches: that resource (200)."""
    if len(matches) > 1:
        raise errors.precondition_failed(
            _("More than one %(type)s matches the If-None-Exist criteria.") % {"type": resource_type.name}
        )
    context.writing = False
    existing = resource_type.read(context, str(matches[0].public_id))
    return respond(resource_type.to_resource(existing), 200)


def _create(context, request, resource_type):
    body = _body(request)
    matches = _conditional_matches(context, resource_type, request)
    if matches:
        return _existing(context, resource_type, matches)
    try:
        status, created = resource_type.create(context, body)
    except errors.FhirError as error:
        # A conditional create that lost a race to an identical one: the winner's resource now
        # matches the criteria (it was committed before the loser's create could see it).
        if error.status != 409 or matches is None:
            raise
        matches = _conditional_matches(context, resource_type, request)
        if not matches:
            raise
        return _existing(context, resource_type, matches)
    resource = resource_type.to_resource(created)
    location = f"{_base(request)}/{resource_type.name}/{resource.id}"
    return respond(resource, status, {"Location": location})


@fhir_view
def not_found(request, rest=""):
    raise errors.not_found(_("Heimveg does not serve %(path)s.") % {"path": request.path[:100]})
