"""The pieces of the resource table, and the request context handlers get."""

import dataclasses
import uuid
from collections.abc import Callable

from django.utils.translation import gettext as _

from fhir_api import errors

REGISTRY: dict[str, "ResourceType"] = {}


@dataclasses.dataclass
class Context:
    actor: object
    request: object
    today: object
    writing: bool = False


@dataclasses.dataclass(frozen=True)
class SearchParam:
    name: str
    type: str  # FHIR search parameter type: token, reference, date, string, uri
    documentation: str
    # (items, values, context) -> items; `values` are the comma-separated alternatives of one use.
    apply: Callable
    # Carries personal data (a national identity number, a name, a date of birth): only in the body
    # of POST <Type>/_search or in the If-None-Exist header, never in a URL (which proxies and
    # servers log); in a URL it is refused with 400.
    sensitive: bool = False


@dataclasses.dataclass(frozen=True)
class Include:
    """`_include=<Type>:<param>`: the resources it adds for a page of results."""

    name: str  # e.g. "Task:patient"
    target: str  # resource type added
    collect: Callable  # (objects) -> objects of the target type


@dataclasses.dataclass
class ResourceType:
    name: str
    documentation: str
    to_resource: Callable  # (object) -> fhir.resources object
    read: Callable  # (context, id) -> object, access checked and audited
    search: Callable | None = None  # (context) -> queryset or list, access-scoped
    audit_search: Callable | None = None  # (context, objects, included) -> None
    params: tuple = ()
    includes: tuple = ()
    create: Callable | None = None  # (context, body) -> (status, object, resource)
    create_documentation: str = ""
    create_schema: dict | None = None  # the request body's JSON schema in the OpenAPI document, if more is required
    update: Callable | None = None  # (context, id, body, patch) -> object
    update_documentation: str = ""
    conditional_create: bool = False

    @property
    def param_map(self):
        return {p.name: p for p in self.params}

    @property
    def interactions(self):
        found = ["read"]
        if self.search:
            found.append("search-type")
        if self.create:
            found.append("create")
        if self.update:
            found.append("update")
            found.append("patch")
        return found


def register(resource_type: ResourceType) -> ResourceType:
    REGISTRY[resource_type.name] = resource_type
    return resource_type


def parse_uuid(value, resource_type):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise errors.not_found(
            _("There is no %(type)s with the id %(id)s.") % {"type": resource_type, "id": value[:64]}
        ) from None


def unknown(resource_type, value):
    return errors.not_found(_("There is no %(type)s with the id %(id)s.") % {"type": resource_type, "id": value[:64]})
