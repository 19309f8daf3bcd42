"""Invitations for the patient (or a relative) to answer the assessment from home."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessment.models import QuestionnaireResponse
from pathway.models import CollaborationPoint
from patients.models import Relative


class Invitation(models.Model):
    """A single-use link to answer one questionnaire for one collaboration point.

    Only hashes of the link's token and of the one-time code are stored. The link goes to one
    channel (SMS or e-mail) and the code to the other, so that a forwarded link alone shows nothing.
    Without an e-mail address both go by SMS, always as two separate messages: the code only when
    the link is opened and a code asked for.
    """

    class Channel(models.TextChoices):
        SMS = "sms", _("Text message (SMS)")
        EMAIL = "email", _("E-mail")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    point = models.ForeignKey(CollaborationPoint, on_delete=models.PROTECT, related_name="invitations")
    relative = models.ForeignKey(Relative, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    questionnaire_id = models.CharField(max_length=64)
    response = models.ForeignKey(QuestionnaireResponse, on_delete=models.PROTECT, related_name="invitations")
    link_channel = models.CharField(_("send the link by"), max_length=8, choices=Channel.choices)
    phone = models.CharField(max_length=20)
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True, help_text="When the code was accepted: the link is spent.")
    code_hash = models.CharField(max_length=64, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    last_failed_at = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"invitation {self.public_id}"

    @property
    def sms_only(self):
        """Only a mobile number is known: the link and the code go by SMS, in separate messages."""
        return self.link_channel == self.Channel.SMS and not self.email

    @property
    def code_channel(self):
        if self.sms_only:
            return self.Channel.SMS
        return self.Channel.EMAIL if self.link_channel == self.Channel.SMS else self.Channel.SMS
