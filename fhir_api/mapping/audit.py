"""AuditEvent: one entry of the audit log (read only)."""

from audit.models import AuditEntry
from fhir_api.mapping.common import build, drop_empty, instant, ref

Action = AuditEntry.Action
ACTION = {
    Action.VIEW: "R",
    Action.LIST: "R",
    Action.VIEW_AUDIT_TRAIL: "R",
    Action.CREATE: "C",
    Action.UPDATE: "U",
    Action.DELETE: "D",
    Action.DENIED: "E",
    Action.EMERGENCY_ACCESS: "E",
}
DICOM = "http://dicom.nema.org/resources/ontology/DCM"


def audit_event(entry):
    agents = [
        drop_empty(
            {
                "type": {"coding": [{"system": DICOM, "code": "110153", "display": "Source Role ID"}]}
                if entry.client
                else None,
                "who": {"display": entry.username or "system"},
                "name": entry.client or None,
                "requestor": True,
                "network": {"address": entry.ip_address, "type": "2"} if entry.ip_address else None,
                "purposeOfUse": [{"text": entry.reason}] if entry.emergency and entry.reason else [],
            }
        )
    ]
    if entry.organisation_id:
        agents.append(
            {
                "who": ref("Organization", entry.organisation.public_id, entry.organisation.name),
                "requestor": False,
                "role": [{"text": entry.role}] if entry.role else None,
            }
        )
        agents[-1] = drop_empty(agents[-1])
    entity = []
    for public_id in entry.patient_ids:  # one, or every patient a list entry showed
        entity.append(
            drop_empty(
                {
                    "what": ref("Patient", public_id),
                    "type": {
                        "system": "http://terminology.hl7.org/CodeSystem/audit-entity-type",
                        "code": "1",
                        "display": "Person",
                    },
                    "name": entry.object_type or None,
                    "description": entry.detail or None,
                }
            )
        )
    data = {
        "id": str(entry.pk),
        "type": {"system": DICOM, "code": "110110", "display": "Patient Record"},
        "subtype": [{"system": "https://heimveg.no/fhir/CodeSystem/audit-action", "code": entry.action}],
        "action": ACTION.get(entry.action, "E"),
        "recorded": instant(entry.occurred_at),
        "outcome": "4" if entry.action == Action.DENIED else "0",
        "agent": agents,
        "source": {"observer": {"display": "Heimveg"}},
        "entity": entity,
    }
    return build("AuditEvent", drop_empty(data))
