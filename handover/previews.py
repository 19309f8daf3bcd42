"""The handover messages a change would send, for the pathway's confirmation page
(pathway.confirmation.MessageSource, registered in HandoverConfig.ready): the page runs the change
in a transaction that is rolled back and reads here what the handover module wrote meanwhile."""

from types import SimpleNamespace

from handover.models import HandoverMessage
from handover.presentation import readable


def newest():
    """The newest message's id before the change (0 for none)."""
    return HandoverMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def written(enrolment_ids, after):
    """The messages written for these enrolments after the message `after`, in order."""
    messages = HandoverMessage.objects.filter(enrolment_id__in=enrolment_ids, pk__gt=after).select_related("recipient")
    return [
        {
            "recipient": message.recipient,
            "recipient_id": message.recipient_id,
            "reason": message.reason,
            "reason_label": str(message.get_reason_display()),
            "kind": message.kind,
            "kind_label": str(message.get_kind_display()),
            "note": message.note,
            "sharing_declined": message.sharing_declined,
            "content": message.content,
        }
        for message in messages.order_by("pk")
    ]


def shown(messages, language):
    """Each message with its content ready to show (`body`)."""
    return [{**m, "body": readable(SimpleNamespace(content=m["content"]), language)} for m in messages]
