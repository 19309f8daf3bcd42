"""Writing, acknowledging and re-sending handover messages. Each function checks the rule, writes
the change, the timeline entry and the audit entry in one transaction; the messages' deliveries
(the outbox) are written in that same transaction and worked by `handover.outbox` after commit.

Who sees a message: the organisations that sent and received it. A message addressed to an
organisation and not yet acknowledged is a care relation (patients.relations), so a hospital
chosen as an extra receiver can open the patient it was told about until it acknowledges.
"""

import datetime
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Func, IntegerField, Q, QuerySet, Subquery
from django.db.models.expressions import Star
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from directory.models import Organisation
from handover import channels, content, rules
from handover.models import Delivery, HandoverMessage
from pathway import services as pathway
from pathway.models import CollaborationPoint, Enrolment, Offer, PathwayEvent
from pathway.services import PathwayConflict, PathwayRuleError
from pathway.worklists import PATIENT_LINK
from patients.access import record

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.actor import Actor
    from pathway.services import HandoverChoice
    from patients.models import Patient

Action = AuditEntry.Action
Event = PathwayEvent.Kind
Kind = HandoverMessage.Kind
Reason = HandoverMessage.Reason
# A message waiting for its receiver: not acknowledged, and not entered in error (a corrected
# completion's message: its replacement is the one to acknowledge). The partial indexes' condition.
OPEN = {"acknowledged_at__isnull": True, "entered_in_error_at__isnull": True}


def _kick_outbox() -> None:
    from handover import tasks

    transaction.on_commit(tasks.enqueue_delivery)


def _write(
    actor: "Actor",
    enrolment: Enrolment,
    *,
    kind: str,
    recipient: Organisation,
    reason: str,
    point: CollaborationPoint | None = None,
    note: str = "",
    body: dict,
    sharing_declined: bool = False,
    replaces: HandoverMessage | None = None,
    correction_reason: str = "",
) -> HandoverMessage:
    user = getattr(actor, "user", None)
    message = HandoverMessage.objects.create(
        kind=kind,
        enrolment=enrolment,
        point=point,
        sender=actor.organisation,
        sent_by=user,
        sent_by_name=content.person_name(user),
        recipient=recipient,
        reason=reason,
        note=note,
        sharing_declined=sharing_declined,
        content=body,
        replaces=replaces,
        correction_reason=correction_reason,
    )
    now = timezone.now()
    Delivery.objects.bulk_create(
        Delivery(message=message, channel=key, idempotency_key=f"{message.public_id}:{key}", next_attempt_at=now)
        for key in channels.configured()
    )
    return message


def _sent(
    actor: "Actor",
    enrolment: Enrolment,
    messages: Sequence[HandoverMessage],
    point: CollaborationPoint | None = None,
    request: "HttpRequest | None" = None,
) -> None:
    """The timeline line and the audit entry for messages just written, and the outbox kick."""
    if not messages:
        return
    pathway.note_on_timeline(
        actor,
        point,
        Event.HANDOVER_SENT,
        data={"to": [m.recipient.name for m in messages], "kind": messages[0].kind},
        enrolment=enrolment,
    )
    record(
        actor,
        enrolment.patient,
        Action.CREATE,
        object_type="handover_message",
        detail=f"{messages[0].kind} to {len(messages)}",
        request=request,
    )
    _kick_outbox()


def rule_recipients(
    actor: "Actor", point: CollaborationPoint, *, extra_ids: Iterable[int] = (), sharing_declined: bool = False
) -> list[rules.Recipient]:
    """Who a completion of `point` by `actor` goes to (handover.rules.point_recipients)."""
    patient = point.enrolment.patient
    return rules.point_recipients(
        care_level=point.care_level,
        municipality_id=patient.municipality_id,
        gp_office_id=patient.gp_office_id,
        extra_ids=extra_ids,
        sharing_declined=sharing_declined,
        sender_ids=set(actor.covered_ids),
    )


def on_point_completed(
    sender: object,
    *,
    actor: "Actor",
    point: CollaborationPoint,
    handover: "HandoverChoice",
    request: "HttpRequest | None" = None,
    **kwargs: object,
) -> None:
    hand_over_point(actor, point, handover, request=request)


@transaction.atomic
def hand_over_point(
    actor: "Actor", point: CollaborationPoint, choice: "HandoverChoice", *, request: "HttpRequest | None" = None
) -> list[HandoverMessage]:
    """The hand-over of a completed collaboration point (called inside the completion)."""
    enrolment = point.enrolment
    if choice.sharing_declined and choice.extra_recipients:
        raise PathwayRuleError(
            _("The patient does not want the assessment shared: remove the extra receivers, or untick that choice."),
            field="extra_recipients",
        )
    if choice.sharing_declined:
        pathway.note_on_timeline(actor, point, Event.SHARING_DECLINED)
    recipients = rule_recipients(
        actor, point, extra_ids=[o.pk for o in choice.extra_recipients], sharing_declined=choice.sharing_declined
    )
    if not recipients:
        return []
    body = content.point_completed(
        point, sender=actor.organisation, sent_by=getattr(actor, "user", None), sharing_declined=choice.sharing_declined
    )
    organisations = Organisation.objects.in_bulk([r.organisation_id for r in recipients])
    messages = [
        _write(
            actor,
            enrolment,
            kind=Kind.POINT_COMPLETED,
            recipient=organisations[r.organisation_id],
            reason=r.reason,
            point=point,
            note=choice.note,
            body=body,
            sharing_declined=choice.sharing_declined,
        )
        for r in recipients
    ]
    _sent(actor, enrolment, messages, point=point, request=request)
    return messages


def on_offer_declined(
    sender: object,
    *,
    actor: "Actor",
    enrolment: Enrolment,
    event: PathwayEvent,
    request: "HttpRequest | None" = None,
    **kwargs: object,
) -> list[HandoverMessage]:
    """The patient's GP office is told of a decline (called inside the transaction that recorded
    it, with the enrolment locked): once for each decline, never to the sender itself."""
    gp_office = enrolment.patient.gp_office
    if gp_office is None or gp_office.pk in set(actor.covered_ids):
        return []
    if enrolment.handover_messages.filter(kind=Kind.OFFER_DECLINED, content__event=event.pk).exists():
        return []
    body = content.offer_declined(
        enrolment, event=event, sender=actor.organisation, sent_by=getattr(actor, "user", None)
    )
    message = _write(actor, enrolment, kind=Kind.OFFER_DECLINED, recipient=gp_office, reason=Reason.GP, body=body)
    _sent(actor, enrolment, [message], request=request)
    return [message]


def on_patient_moved(
    sender: object, *, actor: "Actor", patient: "Patient", old_municipality: Organisation, **kwargs: object
) -> None:
    """A transfer message to the new municipality for each open pathway (its points have moved)."""
    new = patient.municipality
    if actor.organisation.covers(new):
        return  # the new municipality recorded the move itself and sees the points on its worklist
    for enrolment in patient.enrolments.open():
        enrolment.patient = patient
        body = content.transfer(
            enrolment, old_municipality=old_municipality, sender=actor.organisation, sent_by=actor.user
        )
        message = _write(actor, enrolment, kind=Kind.TRANSFER, recipient=new, reason=Reason.MUNICIPALITY, body=body)
        _sent(actor, enrolment, [message])


def on_patient_died(sender: object, *, actor: "Actor", patient: "Patient", **kwargs: object) -> None:
    """A bereavement follow-up message to the municipality for each pathway the death ended."""
    municipality = patient.municipality
    if actor.organisation.covers(municipality):
        return  # the municipality recorded the death itself; the follow-up is on its worklist
    ended = patient.enrolments.filter(end_reason=Enrolment.EndReason.DECEASED)
    for enrolment in ended.exclude(handover_messages__kind=Kind.BEREAVEMENT):
        _bereavement(actor, enrolment, patient, municipality)


def _bereavement(actor: "Actor", enrolment: Enrolment, patient: "Patient", municipality: Organisation) -> None:
    enrolment.patient = patient
    body = content.bereavement(enrolment, sender=actor.organisation, sent_by=actor.user)
    message = _write(
        actor, enrolment, kind=Kind.BEREAVEMENT, recipient=municipality, reason=Reason.MUNICIPALITY, body=body
    )
    _sent(actor, enrolment, [message])


@transaction.atomic
def acknowledge(actor: "Actor", message: HandoverMessage, *, request: "HttpRequest | None" = None) -> None:
    """The receiver confirms it has read the message and taken it on (who and when)."""
    locked = HandoverMessage.objects.select_for_update().get(pk=message.pk)
    if not actor.organisation.covers(message.recipient):
        raise PathwayRuleError(
            _("Only %(org)s, the receiver, can acknowledge this message.") % {"org": message.recipient.name}
        )
    if locked.acknowledged_at:
        raise PathwayConflict(
            _("This message was already acknowledged by %(who)s on %(when)s.")
            % {
                "who": locked.acknowledged_by_name,
                "when": timezone.localtime(locked.acknowledged_at).strftime("%d.%m.%Y %H:%M"),
            }
        )
    if locked.delivered_at is None:
        raise PathwayRuleError(_("This message has not arrived yet."))
    if locked.entered_in_error_at:
        raise PathwayConflict(
            _("This message was entered in error and corrected; acknowledge its replacement, if there is one.")
        )
    message.acknowledged_at = timezone.now()
    message.acknowledged_by = actor.user
    message.acknowledged_by_name = content.person_name(actor.user)
    message.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledged_by_name"])
    pathway.note_on_timeline(
        actor,
        message.point,
        Event.HANDOVER_ACKNOWLEDGED,
        data={"by": actor.organisation.name, "from": message.sender.name},
        enrolment=message.enrolment,
    )
    record(
        actor,
        message.enrolment.patient,
        Action.UPDATE,
        object_type="handover_message",
        detail="acknowledged",
        request=request,
    )


@transaction.atomic
def resend(actor: "Actor", message: HandoverMessage, *, request: "HttpRequest | None" = None) -> None:
    """After delivery failed for good: try every failed channel again, from the first attempt."""
    if not actor.organisation.covers(message.sender):
        raise PathwayRuleError(
            _("Only %(org)s, the sender, can send this message again.") % {"org": message.sender.name}
        )
    failed = message.deliveries.filter(status=Delivery.Status.FAILED)
    if not failed.exists():
        raise PathwayRuleError(_("No delivery of this message has failed."))
    failed.update(status=Delivery.Status.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error="")
    message.failed_at = None
    message.save(update_fields=["failed_at"])
    record(
        actor,
        message.enrolment.patient,
        Action.UPDATE,
        object_type="handover_message",
        detail="resent",
        request=request,
    )
    _kick_outbox()


# --- What each organisation sees ---------------------------------------------------------------


# A corrected completion's message links to its replacement and back (handover/correction_note.html).
CORRECTION_LINKS = ("replaces", "replaced_by")


def _with_related(messages: QuerySet[HandoverMessage]) -> QuerySet[HandoverMessage]:
    return messages.select_related(
        "enrolment__patient", "sender__county", "recipient__county", "point", *CORRECTION_LINKS
    )


def inbox(organisation: Organisation) -> QuerySet[HandoverMessage]:
    """Messages that have arrived for this organisation, newest first."""
    return _with_related(
        HandoverMessage.objects.filter(recipient__in=organisation.covered(), delivered_at__isnull=False)
    )


def handed_over_lately(
    organisation: Organisation, days: int = 30, now: datetime.datetime | None = None
) -> QuerySet[HandoverMessage]:
    """The municipal worklist's "handed over from the hospital": hospital conversations whose
    hand-over reached this municipality lately, for open pathways of patients who still live here.
    Read from this municipality's received messages (index handover_received_by_date), so its cost
    follows the municipality's own volume, not the country's."""
    since = (now or timezone.now()) - datetime.timedelta(days=days)
    return (
        HandoverMessage.objects.filter(
            recipient=organisation,
            kind=HandoverMessage.Kind.POINT_COMPLETED,
            created_at__gte=since,
            delivered_at__isnull=False,
            entered_in_error_at__isnull=True,  # a corrected completion is listed once, by its replacement
            point__care_level=CollaborationPoint.CareLevel.HOSPITAL,
            enrolment__ended_at__isnull=True,
            enrolment__offer=Offer.ACCEPTED,
            enrolment__patient__municipality=organisation,
        )
        .select_related("enrolment__patient", "point")
        .only("created_at", "point__outcome_on", *PATIENT_LINK)
        .order_by("-created_at", "-id")
    )


def sent(organisation: Organisation) -> QuerySet[HandoverMessage]:
    return _with_related(HandoverMessage.objects.filter(sender__in=organisation.covered()))


def undelivered_before(now: datetime.datetime | None = None) -> datetime.datetime:
    """Messages written before this moment and still not in the receiver's inbox are alerts."""
    return (now or timezone.now()) - datetime.timedelta(minutes=settings.HANDOVER_UNDELIVERED_ALERT_MINUTES)


def _undelivered(now: datetime.datetime | None = None) -> Q:
    """Still on the way (delivery pending or retrying) longer than HANDOVER_UNDELIVERED_ALERT_MINUTES."""
    return Q(delivered_at__isnull=True, failed_at__isnull=True, created_at__lt=undelivered_before(now))


def _needing_attention(
    covered: Iterable[int] | QuerySet[Organisation], today: datetime.date, now: datetime.datetime | None = None
) -> tuple[Q, Q]:
    """(incoming, outgoing): among unacknowledged messages, those received here and not acknowledged
    in time, and those sent from here and not acknowledged in time, given up, or still not delivered
    after HANDOVER_UNDELIVERED_ALERT_MINUTES. The alerts are their union; the worklist box counts
    them apart."""
    incoming = Q(recipient__in=covered, acknowledge_by__lt=today)
    outgoing = Q(sender__in=covered) & (Q(acknowledge_by__lt=today) | Q(failed_at__isnull=False) | _undelivered(now))
    return incoming, outgoing


def undelivered_count(organisation: Organisation, now: datetime.datetime | None = None) -> int:
    """For the organisation's admins (who see no patients): how many messages sent from here are
    still not delivered after the alert delay."""
    return (
        HandoverMessage.objects.filter(sender__in=organisation.covered_ids(), **OPEN).filter(_undelivered(now)).count()
    )


def alerts(
    organisation: Organisation, today: datetime.date, now: datetime.datetime | None = None
) -> QuerySet[HandoverMessage]:
    """Messages this organisation sent or received that need attention: not acknowledged in time,
    or (for the sender) not delivered in time or at all."""
    incoming, outgoing = _needing_attention(organisation.covered_ids(), today, now)  # ids: the partial indexes serve
    messages = HandoverMessage.objects.filter(**OPEN).filter(incoming | outgoing)
    return _with_related(messages).order_by("acknowledge_by", "id")


def summary(organisation: Organisation, today: datetime.date, now: datetime.datetime | None = None) -> dict[str, int]:
    """The worklist box's numbers: `waiting` arrived here and not acknowledged; `alerts` as in
    `alerts`. One statement of three counts, each an index-only scan of the partial indexes over
    the unacknowledged messages (a single count over their union had to read every such message
    from the table). The two alert counts do not overlap: a sent message already counted as a late
    received one is left out of the second."""
    covered = organisation.covered_ids()
    incoming, outgoing = _needing_attention(covered, today, now)
    unacknowledged = HandoverMessage.objects.filter(**OPEN).order_by()
    count = Func(Star(), function="COUNT", output_field=IntegerField())

    def counted(messages: QuerySet[HandoverMessage]) -> Subquery:
        return Subquery(messages.values(n=count))

    row = (
        Organisation.objects.filter(pk=organisation.pk)
        .order_by()
        .values(
            waiting=counted(unacknowledged.filter(recipient__in=covered, delivered_at__isnull=False)),
            alerts_received=counted(unacknowledged.filter(incoming)),
            alerts_sent=counted(unacknowledged.filter(outgoing).exclude(incoming)),
        )
        .get()
    )
    return {"waiting": row["waiting"], "alerts": row["alerts_received"] + row["alerts_sent"]}


def for_enrolment(enrolment: Enrolment, organisation: Organisation) -> QuerySet[HandoverMessage]:
    covered = organisation.covered()
    return (
        enrolment.handover_messages.filter(Q(sender__in=covered) | Q(recipient__in=covered))
        .select_related("sender__county", "recipient__county", "point", *CORRECTION_LINKS)
        .order_by("created_at", "id")
    )
