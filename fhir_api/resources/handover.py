"""Communication: handover messages (read, search) and their acknowledgement (create)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from fhir_api import errors, search
from fhir_api.mapping import handover as mapping
from fhir_api.resources import common
from fhir_api.resources.base import ResourceType, SearchParam, parse_uuid, register, unknown
from fhir_api.writes import acknowledgement
from handover.models import HandoverMessage

RELATED = ("enrolment__patient", "sender", "recipient", "point", "replaces")


def _visible(actor):
    """As the message pages: what the organisation sent, and what has arrived for it."""
    covered = actor.organisation.covered()
    return HandoverMessage.objects.filter(
        Q(sender__in=covered) | Q(recipient__in=covered, delivered_at__isnull=False)
    ).select_related(*RELATED)


class Acknowledgement:
    """A message seen as its acknowledgement (`<id>-ack`)."""

    def __init__(self, message):
        self.message = message


def read_communication(context, value):
    is_ack = value.endswith(mapping.ACK_SUFFIX)
    public_id = parse_uuid(value[: -len(mapping.ACK_SUFFIX)] if is_ack else value, "Communication")
    message = HandoverMessage.objects.select_related(*RELATED).filter(public_id=public_id).first()
    if message is None or (is_ack and message.acknowledged_at is None):
        raise unknown("Communication", value)
    message.enrolment.patient = common.open_patient(context, message.enrolment.patient, "handover_message")
    if not _visible(context.actor).filter(pk=message.pk).exists():
        raise errors.forbidden(_("Only the sender and the receiver see a handover message."))
    return Acknowledgement(message) if is_ack else message


def to_resource(item):
    if isinstance(item, Acknowledgement):
        return mapping.acknowledgement(item.message)
    return mapping.communication(item)


def search_messages(context):
    return _visible(context.actor).filter(enrolment__patient__in=common.visible_patients(context)).order_by("pk")


STANDS = Q(entered_in_error_at__isnull=True)
STATUS = {
    "entered-in-error": Q(entered_in_error_at__isnull=False),
    "completed": STANDS & Q(acknowledged_at__isnull=False),
    "stopped": STANDS & Q(acknowledged_at__isnull=True, failed_at__isnull=False),
    "in-progress": STANDS & Q(acknowledged_at__isnull=True, failed_at__isnull=True, delivered_at__isnull=False),
    "preparation": STANDS & Q(acknowledged_at__isnull=True, failed_at__isnull=True, delivered_at__isnull=True),
}


def _status(items, values, context):
    return items.filter(search.any_of(values, lambda v: STATUS.get(search.token(v)[1], Q(pk__in=[]))))


register(
    ResourceType(
        name="Communication",
        documentation="A handover message between care levels. status: preparation (being delivered), "
        "in-progress (delivered, waiting for the receiver's acknowledgement), completed (acknowledged), stopped "
        "(delivery failed), entered-in-error (a completion its author corrected; the replacement names it in the "
        "extension https://heimveg.no/fhir/StructureDefinition/replaces). An acknowledgement is a Communication "
        "answering the message (inResponseTo), id <message id>-ack.",
        to_resource=to_resource,
        read=read_communication,
        search=search_messages,
        audit_search=lambda context, objects, included: common.audit_list(
            context, "Communication", [m.enrolment.patient.public_id for m in objects]
        ),
        params=(
            SearchParam("_id", "token", "The message's id.", common.id_param("public_id", "Communication")),
            SearchParam(
                "recipient",
                "reference",
                "The receiving organisation (Organization/id).",
                common.reference_param("recipient__public_id", "Organization"),
            ),
            SearchParam(
                "sender",
                "reference",
                "The sending organisation (Organization/id).",
                common.reference_param("sender__public_id", "Organization"),
            ),
            SearchParam(
                "status", "token", "preparation, in-progress, completed, stopped or entered-in-error.", _status
            ),
            SearchParam(
                "patient",
                "reference",
                "The patient (Patient/id).",
                common.reference_param("enrolment__patient__public_id", "Patient"),
            ),
        ),
        create=acknowledgement.create,
        create_documentation=acknowledgement.DOCUMENTATION,
    )
)
