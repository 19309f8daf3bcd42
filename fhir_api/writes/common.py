"""Reading what a client sent: the resource validated against the R4B model, references,
and the rule errors of the services turned into OperationOutcomes."""

import pydantic
from django.utils.translation import gettext as _

from fhir_api import errors
from fhir_api.mapping.common import build
from pathway.services import PathwayConflict


def validated(body, resource_type):
    """The body as a fhir.resources object of `resource_type`; 400 for another type, 422 when it
    is not a valid R4 resource."""
    if not isinstance(body, dict) or body.get("resourceType") != resource_type:
        raise errors.bad_request(_("Send a %(type)s resource (resourceType %(type)s).") % {"type": resource_type})
    data = {k: v for k, v in body.items() if k != "resourceType"}
    try:
        return build(resource_type, data)
    except pydantic.ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in problem['loc'])}: {problem['msg']}" for problem in error.errors()[:5]
        )
        raise errors.unprocessable(
            _("This is not a valid FHIR R4 %(type)s: %(problems)s") % {"type": resource_type, "problems": problems},
            code="structure",
        ) from None


def reference_id(reference, resource_type):
    """The id in a Reference's `reference` (Type/id or an absolute URL ending so), or None."""
    value = getattr(reference, "reference", None) if reference is not None else None
    if not value:
        return None
    parts = value.rstrip("/").split("/")
    if len(parts) < 2 or parts[-2] != resource_type:
        return None
    return parts[-1]


def rule_messages(error):
    return " ".join(str(m) for m in error.messages)


def rule_error(error):
    """A service's PathwayRuleError as the API answers it: 409 Conflict when the record changed
    under the caller (a PathwayConflict: closed, ended or booked by someone else), 422 otherwise."""
    if isinstance(error, PathwayConflict):
        return errors.conflict(rule_messages(error))
    return errors.unprocessable(rule_messages(error))
