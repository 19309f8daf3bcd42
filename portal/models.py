"""Invitations for the patient (or a relative) to answer the assessment from home."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import Exact
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


class PathwayRequest(models.Model):
    """A person signed in with ID-porten asks their municipality for the pathway home ("kan også
    sjølv etterspørre tilbod i kommunen"). It lands on the municipality's worklist as a request to
    answer. The national id is kept as the patients' table keeps it (11 digits), because the
    municipality needs it to register and enrol the person; it is never logged. One open request
    per person and municipality (a constraint)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        ANSWERED = "answered", _("Answered")
        ENROLLED = "enrolled", _("Enrolled in the pathway")
        DECLINED = "declined", _("Declined")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="pathway_requests",
        limit_choices_to={"kind": "municipality"},
    )
    national_id = models.CharField(_("national identity number"), max_length=11)
    patient = models.ForeignKey(
        "patients.Patient", null=True, blank=True, on_delete=models.SET_NULL, related_name="pathway_requests"
    )
    name = models.CharField(_("name"), max_length=200)
    message = models.TextField(_("message"), max_length=1000)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=2, default="nb")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    answer_note = models.TextField(_("note"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("request for the pathway")
        verbose_name_plural = _("requests for the pathway")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["municipality", "status", "created_at"]), models.Index(fields=["national_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["national_id", "municipality"],
                condition=models.Q(status="open"),
                name="pathway_request_one_open_per_person_and_municipality",
            ),
            models.CheckConstraint(
                condition=models.Q(national_id__regex=r"^[0-9]{11}$") & models.Q(Exact(Length("national_id"), 11)),
                name="pathway_request_national_id_eleven_ascii_digits",
            ),
            models.CheckConstraint(condition=~models.Q(phone="", email=""), name="pathway_request_phone_or_email"),
        ]

    def __str__(self):
        return f"pathway request {self.public_id}"

    @property
    def national_id_display(self):
        return f"{self.national_id[:6]} {self.national_id[6:]}"
