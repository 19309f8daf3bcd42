"""The outbox worker: deliver what is due, one delivery per transaction.

Each delivery is claimed with SELECT … FOR UPDATE SKIP LOCKED (PostgreSQL; SQLite serialises
writers instead), delivered and marked in the same transaction. A worker killed half-way leaves
its transaction uncommitted, so the delivery is still pending for the next worker; the
in-Heimveg channel's own write is in that transaction too, so it happens exactly once. A failing
channel is retried with exponential back-off and given up after HANDOVER_MAX_ATTEMPTS.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.utils import timezone

from directory import alerts
from directory.models import MissingAddressAlert
from handover import channels, rules
from handover.models import Delivery, HandoverMessage

logger = logging.getLogger(__name__)
Status = Delivery.Status


@dataclass
class OutboxRun:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    waiting_for_address: int = 0  # not attempts: a notice with no address waits for one

    @property
    def attempted(self):
        return self.delivered + self.retrying + self.failed


def _claim_next(now):
    due = Delivery.objects.filter(status=Status.PENDING, next_attempt_at__lte=now).order_by("next_attempt_at", "id")
    if connection.features.has_select_for_update_skip_locked:
        due = due.select_for_update(skip_locked=True, of=("self",))
    return due.first()


def deliver_due(*, now=None, limit=200) -> OutboxRun:
    """Deliver up to `limit` due deliveries; returns what happened."""
    run = OutboxRun()
    for _ in range(limit):
        with transaction.atomic():
            delivery = _claim_next(now or timezone.now())
            if delivery is None:
                break
            outcome = _attempt(delivery, now or timezone.now())
        setattr(run, outcome, getattr(run, outcome) + 1)
    return run


def _attempt(delivery, now) -> str:
    message = HandoverMessage.objects.select_related("recipient", "sender").get(pk=delivery.message_id)
    channel = channels.configured().get(delivery.channel)
    delivery.attempts += 1
    try:
        if channel is None:
            raise LookupError(f"channel {delivery.channel!r} is not configured")
        with transaction.atomic():  # a channel that fails half-way leaves nothing behind
            receipt = channel.deliver(message, delivery.idempotency_key)
    except channels.NoAddress:
        return _waiting_for_address(delivery, message, now)
    except (OperationalError, InterfaceError):
        # Heimveg's own database is unavailable: not the channel's failure, so it must not use up an
        # attempt (enough of them would give the message up). The transaction rolls back, the
        # delivery stays pending as it was, and the worker backs off and reconnects.
        raise
    except Exception as error:  # any other failure of a channel is retried; the worker goes on
        return _failed(delivery, message, error, now)
    delivery.status, delivery.delivered_at, delivery.receipt = Status.DELIVERED, now, receipt[:300]
    delivery.last_error = ""
    delivery.save(update_fields=["status", "delivered_at", "receipt", "attempts", "last_error"])
    return "delivered"


def _waiting_for_address(delivery, message, now) -> str:
    """No address to send the notice to: not a failure of the channel, so it is not counted as
    an attempt and never gives up; it is tried again every HANDOVER_NO_ADDRESS_RETRY_SECONDS (or
    at once with `deliver_handovers --now`), and the receiver's admins and the national admins
    see a missing-address alert until an address exists (the notice is never marked as sent)."""
    alerts.raise_alert(message.recipient, MissingAddressAlert.Kind.HANDOVER_NOTICE, now=now)
    delivery.attempts -= 1
    delivery.last_error = channels.NO_ADDRESS
    delivery.next_attempt_at = now + datetime.timedelta(seconds=settings.HANDOVER_NO_ADDRESS_RETRY_SECONDS)
    delivery.save(update_fields=["attempts", "last_error", "next_attempt_at"])
    return "waiting_for_address"


def _failed(delivery, message, error, now) -> str:
    # The error's class and text (channel and organisation data only, never the patient's).
    delivery.last_error = f"{type(error).__name__}: {error}"[:300]
    logger.warning(
        "handover delivery %s failed on attempt %s (%s)", delivery.pk, delivery.attempts, type(error).__name__
    )
    if delivery.attempts >= settings.HANDOVER_MAX_ATTEMPTS:
        delivery.status = Status.FAILED
        delivery.save(update_fields=["status", "attempts", "last_error"])
        HandoverMessage.objects.filter(pk=message.pk, failed_at__isnull=True).update(failed_at=now)
        logger.error(
            "handover delivery %s (channel %s) given up after %s attempts (%s)",
            delivery.pk,
            delivery.channel,
            delivery.attempts,
            type(error).__name__,
        )
        return "failed"
    delivery.next_attempt_at = now + rules.retry_delay(
        delivery.attempts,
        base_seconds=settings.HANDOVER_RETRY_BASE_SECONDS,
        max_seconds=settings.HANDOVER_RETRY_MAX_SECONDS,
    )
    delivery.save(update_fields=["attempts", "last_error", "next_attempt_at"])
    return "retrying"


def make_all_due(now=None) -> int:
    """After a channel outage: every waiting delivery is due now, whatever its back-off said.
    Returns how many were moved forward. A delivery that fails again gets its normal back-off."""
    now = now or timezone.now()
    return Delivery.objects.filter(status=Status.PENDING, next_attempt_at__gt=now).update(next_attempt_at=now)


def next_attempt_at():
    """When the earliest waiting delivery is due, or None."""
    first = Delivery.objects.filter(status=Status.PENDING).order_by("next_attempt_at").first()
    return first.next_attempt_at if first else None
