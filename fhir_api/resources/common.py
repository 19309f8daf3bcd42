"""Access and audit helpers shared by the resource handlers: every patient is opened through
patients.access, and every read and search is written to the audit log with the client named."""

from django.db.models import Q

from audit import services as audit
from audit.models import AuditEntry
from fhir_api import errors, search
from fhir_api.mapping.common import DNR, FNR
from lib import nin
from patients import access

Action = AuditEntry.Action
NATIONAL_ID_SYSTEMS = {FNR, DNR}
POINT_RELATED = (
    "enrolment__patient__municipality",
    "enrolment__patient__gp_office",
    "enrolment__patient__registered_by",
    "enrolment__definition",
    "responsible_organisation",
)


def open_patient(context, patient, object_type, *, action=Action.VIEW):
    """The patient, if the caller may see them for care (403 and a DENIED entry if not); a granted
    read is audited as `action`. When the request writes (or `action` is None) the service function
    that makes the change writes the entry, as in the web pages."""
    return access.open_patient(
        context.actor,
        patient.public_id,
        None if context.writing else action,
        request=context.request,
        object_type=object_type,
        detail="FHIR API",
    )


def visible_patients(context):
    return access.visible_patients(context.actor)


def audit_list(context, resource_type, patient_ids):
    """One LIST entry per patient shown in a search page."""
    ids = list(dict.fromkeys(pid for pid in patient_ids if pid))
    if ids:
        audit.record_many(
            context.actor, Action.LIST, ids, detail=f"FHIR {resource_type} search", request=context.request
        )


def reference_param(path, resource_type):
    def apply(items, values, context):
        return items.filter(search.any_of(values, lambda v: Q(**{path: search.reference(v, resource_type)})))

    return apply


def _national_id(code):
    """The searched number through the one parser (lib.nin.normalise): a character that is
    not a digit 0-9 or a separator is a 400 with the parser's message, never a silent miss."""
    try:
        return nin.normalise(code)
    except nin.InvalidNationalId as error:
        raise errors.bad_request(str(error.message), code="value") from None


def patient_identifier_param(prefix):
    """`identifier` of a patient, as `system|value`: fødselsnummer or D-number."""

    def make_q(value):
        system, code = search.token(value)
        if system and system not in NATIONAL_ID_SYSTEMS:
            return Q(pk__in=[])
        q = Q(**{f"{prefix}national_id": _national_id(code)}) if code else Q()
        if system:
            q &= Q(**{f"{prefix}national_id_kind": "fnr" if system == FNR else "dnr"})
        return q

    def apply(items, values, context):
        return items.filter(search.any_of(values, make_q))

    return apply


def id_param(field="public_id", resource_type=""):
    def apply(items, values, context):
        ids = []
        for value in values:
            try:
                ids.append(search.reference(value, resource_type) if resource_type else value)
            except errors.FhirError:  # an id that cannot exist matches nothing
                continue
        return items.filter(**{f"{field}__in": ids})

    return apply
