"""Communication create: the receiver acknowledges a handover message (handover.services.acknowledge)
by sending a Communication that answers it (inResponseTo Communication/<message id>)."""

from django.utils.translation import gettext as _

from fhir_api import errors
from fhir_api.resources import common
from fhir_api.writes.common import reference_id, rule_error, validated
from handover import services
from handover.models import HandoverMessage
from lib.validators import is_uuid
from pathway.services import PathwayRuleError

DOCUMENTATION = (
    "Acknowledges a handover message: a Communication with inResponseTo Communication/<message id> and "
    "status completed, sent by the receiving organisation. Answers 201 with the acknowledgement "
    "(Communication/<message id>-ack); 409 if the message was already acknowledged; 403 if the caller is not "
    "the receiver."
)


def create(context, body):
    resource = validated(body, "Communication")
    message_id = next((reference_id(r, "Communication") for r in resource.inResponseTo or []), None)
    if not message_id:
        raise errors.unprocessable(
            _("Heimveg accepts a Communication only as the acknowledgement of a handover message: set inResponseTo."),
            expression="Communication.inResponseTo",
        )
    from fhir_api.resources.handover import RELATED, Acknowledgement

    # An id that is not a UUID names no message. Only that is the client's error: a database error
    # propagates to fhir_api.views, which answers 503 (unavailable) or 500, never 422.
    message = None
    if is_uuid(message_id):
        message = HandoverMessage.objects.select_related(*RELATED).filter(public_id=message_id).first()
    if message is None:
        raise errors.unprocessable(_("There is no handover message %(id)s.") % {"id": message_id[:64]})
    message.enrolment.patient = common.open_patient(context, message.enrolment.patient, "handover_message", action=None)
    if not context.actor.organisation.covers(message.recipient):
        raise errors.forbidden(
            _("Only %(org)s, the receiver, can acknowledge this message.") % {"org": message.recipient.name}
        )
    try:
        services.acknowledge(context.actor, message, request=context.request)
    except PathwayRuleError as error:
        raise rule_error(error) from None
    message.refresh_from_db()
    return 201, Acknowledgement(message)
