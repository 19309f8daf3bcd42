"""Handover messages between care levels and their outbox.

A message is written in the same transaction as what caused it (a completed collaboration point,
a move, a death) together with one `Delivery` per channel: the outbox. A background task works
the outbox; each delivery carries an idempotency key, so a retry after a crash or a timeout never
gives the receiver a second copy. `content` is a snapshot of what was handed over, as it was
when the message was written: later changes to the record do not change a sent message.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.models import Organisation
from pathway.models import CollaborationPoint, Enrolment


class HandoverMessage(models.Model):
    class Kind(models.TextChoices):
        POINT_COMPLETED = "point_completed", _("Collaboration point completed")
        TRANSFER = "transfer", _("Patient moved to your municipality")
        BEREAVEMENT = "bereavement", _("Follow-up of the bereaved")
        OFFER_DECLINED = "offer_declined", _("The patient declined the pathway")

    class Reason(models.TextChoices):
        """Why this organisation receives the message."""

        MUNICIPALITY = "municipality", _("The patient's municipality")
        GP = "gp", _("The patient's GP")
        CHOSEN = "chosen", _("Chosen by the sender")

    class Status(models.TextChoices):
        """What the sender sees; derived from the timestamps, never stored."""

        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        FAILED = "failed", _("Delivery failed")
        ENTERED_IN_ERROR = "entered-in-error", _("Entered in error")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="handover_messages")
    point = models.ForeignKey(
        CollaborationPoint, null=True, blank=True, on_delete=models.PROTECT, related_name="handover_messages"
    )
    sender = models.ForeignKey(
        Organisation, verbose_name=_("from"), on_delete=models.PROTECT, related_name="sent_handover_messages"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_by_name = models.CharField(max_length=200, blank=True)
    recipient = models.ForeignKey(
        Organisation, verbose_name=_("to"), on_delete=models.PROTECT, related_name="received_handover_messages"
    )
    reason = models.CharField(_("why this receiver"), max_length=16, choices=Reason.choices)
    note = models.TextField(_("note"), blank=True)
    sharing_declined = models.BooleanField(_("the patient declined sharing"), default=False)
    content = models.JSONField(default=dict, help_text="What was handed over, as it was when sent.")
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(
        _("delivered"), null=True, blank=True, help_text="When it arrived in the receiver's inbox in Heimveg."
    )
    acknowledge_by = models.DateField(_("to be acknowledged by"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_by_name = models.CharField(max_length=200, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True, help_text="When a delivery gave up.")
    # A completion corrected by its author (handover.corrections): the message stays, marked as
    # entered in error (FHIR Communication.status), and its replacement points back at it.
    entered_in_error_at = models.DateTimeField(_("entered in error"), null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        verbose_name=_("replaces"),
        help_text="The message entered in error that this one corrects.",
    )
    correction_reason = models.CharField(
        _("reason for the correction"),
        max_length=500,
        blank=True,
        help_text="Why the completion was corrected: on the messages entered in error and on their replacements.",
    )

    class Meta:
        verbose_name = _("handover message")
        verbose_name_plural = _("handover messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The receiver's inbox and alerts, and the sender's list.
            models.Index(fields=["recipient", "acknowledged_at", "delivered_at"]),
            models.Index(fields=["sender", "created_at"]),
            # The municipal worklist's "handed over from the hospital lately" and the inbox's
            # "received", newest first, among ten years of a municipality's messages.
            models.Index(fields=["recipient", "created_at"], name="handover_received_by_date"),
            # Alerts and the worklist box's counts (handover.services.summary): unacknowledged
            # messages that stand (not entered in error), per receiver and per sender; small
            # partial indexes among ten years of acknowledged ones, with the columns the counts test
            # so that they read the index alone.
            models.Index(
                fields=["recipient", "acknowledge_by", "delivered_at"],
                condition=models.Q(acknowledged_at__isnull=True, entered_in_error_at__isnull=True),
                name="handover_unacked_by_recipient",
            ),
            # With delivered_at and created_at for the "not delivered in time" alert.
            models.Index(
                fields=["sender", "acknowledge_by", "failed_at", "recipient", "delivered_at", "created_at"],
                condition=models.Q(acknowledged_at__isnull=True, entered_in_error_at__isnull=True),
                name="handover_unacked_by_sender_v2",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.public_id}"

    @property
    def status(self):
        if self.entered_in_error_at:
            return self.Status.ENTERED_IN_ERROR
        if self.acknowledged_at:
            return self.Status.ACKNOWLEDGED
        if self.failed_at:
            return self.Status.FAILED
        if self.delivered_at:
            return self.Status.DELIVERED
        return self.Status.SENDING

    def get_status_display(self):
        return self.Status(self.status).label

    def is_overdue(self, today):
        return (
            self.acknowledged_at is None
            and self.entered_in_error_at is None  # its replacement is the one to acknowledge
            and self.acknowledge_by is not None
            and self.acknowledge_by < today
        )


class Delivery(models.Model):
    """One message through one channel: a row of the outbox."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    message = models.ForeignKey(HandoverMessage, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=32)
    idempotency_key = models.CharField(
        max_length=100, unique=True, help_text="Sent with every attempt, so the receiver can drop a repeat."
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.CharField(max_length=300, blank=True, help_text="Never holds personal data.")
    receipt = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["message", "channel"], name="one_delivery_per_channel")]
        indexes = [
            # The outbox worker's query: what is due now.
            models.Index(fields=["status", "next_attempt_at"]),
        ]

    def __str__(self):
        return self.idempotency_key
