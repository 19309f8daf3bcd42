"""AuditEvent: the organisation's audit log, read only, for a client registered in the
organisation-admin role (as the audit log page is for the organisation's admin). Reading it is
itself logged."""

from django.utils.translation import gettext as _

from accounts.models import Role
from audit import services as audit
from audit.models import AuditEntry
from fhir_api import errors, search
from fhir_api.mapping import audit as mapping
from fhir_api.resources.base import ResourceType, SearchParam, register, unknown


def _require_admin(context):
    if context.actor.role != Role.ORG_ADMIN:
        raise errors.forbidden(_("The audit log is for a system registered in the organisation-admin role."))


def _entries(context):
    _require_admin(context)
    entries = audit.entries_for_organisation(context.actor.organisation)
    return entries.prefetch_related("patients").order_by("-occurred_at", "-id")


def read_entry(context, value):
    _require_admin(context)
    # ASCII digits only (str.isdigit() takes superscripts, which int() refuses) and no more than a
    # 64-bit key holds.
    is_key = value.isascii() and value.isdigit() and len(value) <= 18
    entry = _entries(context).filter(pk=int(value)).first() if is_key else None
    if entry is None:
        raise unknown("AuditEvent", value)
    audit.record(context.actor, AuditEntry.Action.VIEW_AUDIT_TRAIL, object_type="audit", detail="FHIR AuditEvent read")
    return entry


def _patient(items, values, context):
    # The entries about the patient and the list entries that showed it (audit.models.concerning).
    return items.concerning(*[search.reference(v, "Patient") for v in values])


def _date(items, values, context):
    return items.filter(search.any_of(values, lambda v: search.date_q(v, "occurred_at__date")))


register(
    ResourceType(
        name="AuditEvent",
        documentation="The organisation's audit log (read only; for a system in the organisation-admin role).",
        to_resource=mapping.audit_event,
        read=read_entry,
        search=_entries,
        audit_search=lambda context, objects, included: audit.record(
            context.actor, AuditEntry.Action.VIEW_AUDIT_TRAIL, object_type="audit", detail="FHIR AuditEvent search"
        ),
        params=(
            SearchParam("patient", "reference", "Entries about this patient (Patient/id).", _patient),
            SearchParam("date", "date", "When it happened.", _date),
        ),
    )
)
