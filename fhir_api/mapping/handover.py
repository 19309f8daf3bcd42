"""Communication: a handover message, and the receiver's acknowledgement of it.

Status: a message being delivered is `preparation`; delivered but not yet acknowledged is
`in-progress` (the handover is not done until the receiver has taken it on); acknowledged is
`completed`; given up after failed deliveries is `stopped`. A message whose completion was
corrected by its author (handover.corrections) is `entered-in-error`, with the reason as
`statusReason`; its replacement is a Communication of its own that names it in the extension
`replaces`. The acknowledgement itself is a Communication of its own (id `<message id>-ack`)
that answers the message (`inResponseTo`), from the receiver to the sender."""

import base64
import json

from fhir_api.mapping.common import ACKNOWLEDGED_EXT, HANDOVER_KIND, REPLACES_EXT, build, drop_empty, instant, ref
from fhir_api.mapping.people import patient_reference
from handover.models import HandoverMessage

Status = HandoverMessage.Status
STATUS = {
    Status.SENDING: "preparation",
    Status.DELIVERED: "in-progress",
    Status.ACKNOWLEDGED: "completed",
    Status.FAILED: "stopped",
    Status.ENTERED_IN_ERROR: "entered-in-error",
}
ACK_SUFFIX = "-ack"


def _organisation(organisation):
    return ref("Organization", organisation.public_id, organisation.name)


def communication(message):
    enrolment = message.enrolment
    payload = [
        {
            "contentAttachment": {
                "contentType": "application/json",
                "data": base64.b64encode(json.dumps(message.content, ensure_ascii=False).encode()).decode(),
                "title": message.get_kind_display(),
            }
        }
    ]
    if message.note:
        payload.insert(0, {"contentString": message.note})
    extension = []
    if message.acknowledged_at:
        extension.append(
            {
                "url": ACKNOWLEDGED_EXT,
                "extension": [
                    {"url": "at", "valueDateTime": instant(message.acknowledged_at)},
                    {"url": "by", "valueString": message.acknowledged_by_name or "-"},
                ],
            }
        )
    if message.replaces_id:
        extension.append({"url": REPLACES_EXT, "valueReference": ref("Communication", message.replaces.public_id)})
    data = {
        "id": str(message.public_id),
        "extension": extension,
        "basedOn": [ref("CarePlan", enrolment.public_id)],
        "status": STATUS[message.status],
        "statusReason": {"text": message.correction_reason} if message.entered_in_error_at else None,
        "category": [
            {"coding": [{"system": HANDOVER_KIND, "code": message.kind, "display": message.get_kind_display()}]}
        ],
        "subject": patient_reference(enrolment.patient),
        "about": [ref("Task", message.point.public_id, message.point.display_title)] if message.point else [],
        "sent": instant(message.created_at),
        "received": instant(message.delivered_at),
        "recipient": [_organisation(message.recipient)],
        "sender": _organisation(message.sender),
        "reasonCode": [{"text": message.get_reason_display()}],
        "payload": payload,
    }
    return build("Communication", drop_empty(data))


def acknowledgement(message):
    """The receiver's answer to a message it has acknowledged."""
    data = {
        "id": f"{message.public_id}{ACK_SUFFIX}",
        "inResponseTo": [ref("Communication", message.public_id)],
        "status": "completed",
        "category": [{"coding": [{"system": HANDOVER_KIND, "code": "acknowledgement", "display": "Acknowledgement"}]}],
        "subject": patient_reference(message.enrolment.patient),
        "sent": instant(message.acknowledged_at),
        "recipient": [_organisation(message.sender)],
        "sender": _organisation(message.recipient),
        "payload": [{"contentString": f"Acknowledged by {message.acknowledged_by_name or '-'}"}],
    }
    return build("Communication", drop_empty(data))
