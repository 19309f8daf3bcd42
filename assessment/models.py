"""Answers to the assessment questionnaires, the professional's record of a collaboration point,
and the follow-up actions agreed in the conversation."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.models import Organisation
from pathway.models import CollaborationPoint
from patients.models import Relative


class QuestionnaireResponse(models.Model):
    """One set of answers to one questionnaire for one collaboration point: the patient's own from
    home (or a relative's), or the professional's in the conversation. `answers` maps linkId to
    the answer; scores are copied out on submission for worklists and reports."""

    class Source(models.TextChoices):
        PATIENT = "patient", _("The patient, from home")
        RELATIVE = "relative", _("A relative, from home")
        PROFESSIONAL = "professional", _("The professional, in the conversation")

    class Status(models.TextChoices):  # FHIR QuestionnaireResponse.status
        IN_PROGRESS = "in-progress", _("Being answered")
        COMPLETED = "completed", _("Sent")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    point = models.ForeignKey(CollaborationPoint, on_delete=models.PROTECT, related_name="responses")
    questionnaire_id = models.CharField(max_length=64)
    questionnaire_version = models.CharField(max_length=16)
    source = models.CharField(max_length=16, choices=Source.choices)
    relative = models.ForeignKey(Relative, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    answers = models.JSONField(default=dict, blank=True)
    current_page = models.PositiveSmallIntegerField(default=0, help_text="Where the respondent left off.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)
    distress_score = models.PositiveSmallIntegerField(null=True, blank=True)
    areas = models.JSONField(default=list, blank=True, help_text="Area codes marked, on submission.")
    help_areas = models.JSONField(default=list, blank=True, help_text="Area codes where help is wanted.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The language the respondent was shown the questions in (nb, nn or en: Heimveg's own pages in
    # the respondent's language, or the published Questionnaire a form system showed), where known.
    language = models.CharField(max_length=8, blank=True, default="")

    class Meta:
        verbose_name = _("questionnaire response")
        verbose_name_plural = _("questionnaire responses")
        constraints = [
            # One set of answers per point from the patient, one from each relative, one professional.
            models.UniqueConstraint(
                fields=["point", "source"], condition=models.Q(relative__isnull=True), name="one_response_per_source"
            ),
            models.UniqueConstraint(fields=["point", "relative"], name="one_response_per_relative"),
        ]
        indexes = [models.Index(fields=["point", "source", "status"])]

    def __str__(self):
        return f"{self.questionnaire_id} ({self.source})"

    @property
    def questionnaire(self):
        from assessment import questionnaires

        return questionnaires.get(self.questionnaire_id)


class Assessment(models.Model):
    """The professional's record of a collaboration point: their answers (starting from the
    patient's), a short summary and the follow-up actions. Completing it completes the point."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    point = models.OneToOneField(CollaborationPoint, on_delete=models.PROTECT, related_name="assessment")
    response = models.OneToOneField(QuestionnaireResponse, on_delete=models.PROTECT, related_name="assessment")
    summary = models.TextField(_("summary"), blank=True)
    # Where and when the conversation took place, as the draft has them; completing the assessment
    # copies them to the point (CollaborationPoint.place and outcome_on).
    place = models.CharField(_("where"), max_length=200, blank=True)
    held_on = models.DateField(_("date of the conversation"), null=True, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")

    def __str__(self):
        return f"assessment {self.public_id}"

    @property
    def is_completed(self):
        return self.completed_at is not None


class FollowUp(models.Model):
    """A follow-up action agreed in the conversation: the need, what is done about it, and who."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        STARTED = "started", _("Started")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="follow_ups")
    need = models.CharField(_("need"), max_length=200)
    area = models.CharField(_("area"), max_length=64, blank=True)
    action = models.CharField(_("action"), max_length=500)
    responsible_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible service (from the directory)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    responsible_service = models.CharField(_("responsible service"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.need

    @property
    def responsible(self):
        if self.responsible_organisation_id:
            return self.responsible_organisation.name
        return self.responsible_service
