"""Enrolment in the pathway, its collaboration points and the timeline of what happened.

An enrolment pins the definition version it started on, and every point stores its own window
dates when it is scheduled: changing a definition file later never moves an existing patient's
dates.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from directory.models import Organisation
from pathway import icd10
from patients.models import Patient


class PathwayDefinition(models.Model):
    """A definition file's content as it was when the first enrolment used it."""

    key = models.CharField(max_length=64)
    version = models.PositiveIntegerField()
    title = models.JSONField()
    content = models.JSONField(help_text="The parsed definition, as enrolments on it were scheduled.")
    checksum = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "version"], name="unique_definition_version")]

    def __str__(self):
        return f"{self.key} v{self.version}"

    @property
    def display_title(self):
        """The definition's title in the active language (bokmål when it has none)."""
        return self.title.get(translation.get_language() or "nb") or self.title.get("nb") or self.key


class DefinitionEnabling(models.Model):
    """An organisation's admin enabled a definition that is not national (`availability:
    by_organisation`): the organisation may enrol patients on it. Removed when disabled; the
    enrolments already made stay on it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="enabled_definitions")
    definition_key = models.CharField(max_length=64)
    enabled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("enabled by")
    )
    enabled_at = models.DateTimeField(_("enabled"), auto_now_add=True)

    class Meta:
        verbose_name = _("enabled pathway definition")
        verbose_name_plural = _("enabled pathway definitions")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "definition_key"], name="unique_definition_enabling")
        ]

    def __str__(self):
        return f"{self.definition_key} @ {self.organisation_id}"


class TreatmentIntent(models.TextChoices):
    CURATIVE = "curative", _("Curative")
    PALLIATIVE = "palliative", _("Palliative")
    NOT_KNOWN = "not_known", _("Not yet known")


class Offer(models.TextChoices):
    NOT_ASKED = "not_asked", _("Not yet asked")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class EnrolmentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(ended_at__isnull=True)


class Enrolment(models.Model):
    class EndReason(models.TextChoices):
        COMPLETED = "completed", _("Pathway completed")
        WITHDRAWN = "withdrawn", _("Withdrawn by the patient")
        DECEASED = "deceased", _("The patient died")
        SUPERSEDED = "superseded", _("Superseded by a relapse")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="enrolments")
    definition = models.ForeignKey(PathwayDefinition, on_delete=models.PROTECT, related_name="enrolments")
    diagnosis_date = models.DateField(_("date of diagnosis"))
    icd10_code = models.CharField(_("diagnosis (ICD-10)"), max_length=8)
    icd10_name = models.CharField(_("diagnosis name"), max_length=300)
    treatment_intent = models.CharField(_("treatment intent"), max_length=16, choices=TreatmentIntent.choices)
    enrolling_organisation = models.ForeignKey(
        Organisation, verbose_name=_("enrolled by"), on_delete=models.PROTECT, related_name="enrolments"
    )
    diagnosis_specific_pathway = models.CharField(
        _("diagnosis-specific cancer pathway"),
        max_length=200,
        blank=True,
        help_text=_("If the patient is also in one of the diagnosis-specific cancer pathways: which."),
    )
    offer = models.CharField(_("offer of the pathway"), max_length=16, choices=Offer.choices, default=Offer.NOT_ASKED)
    ask_again_on = models.DateField(_("ask again on"), null=True, blank=True)
    is_relapse = models.BooleanField(_("relapse"), default=False)
    previous = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next",
        verbose_name=_("earlier enrolment"),
    )
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("contact person in the municipality"),
    )
    # Kept when the patient moves: the contact person the old municipality had named, and that
    # municipality, shown on the pathway page and handed on in the move message.
    previous_contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("previous contact person"),
    )
    previous_contact_municipality = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality of the previous contact person"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=16, choices=EndReason.choices, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-diagnosis_date", "-id"]
        constraints = [
            # At most one open enrolment per patient, enforced by the database too.
            models.UniqueConstraint(
                fields=["patient"], condition=models.Q(ended_at__isnull=True), name="one_open_enrolment_per_patient"
            )
        ]
        indexes = [models.Index(fields=["enrolling_organisation", "offer"])]

    def __str__(self):
        return f"{self.icd10_code} {self.diagnosis_date}"

    @property
    def diagnosis_label(self):
        """The diagnosis in the user's language: "C50.9 Ondartet svulst i brystkjertel" in nb and
        nn, the stored English title in English (pathway.icd10.label)."""
        return icd10.label(self.icd10_code, self.icd10_name)

    @property
    def is_open(self):
        return self.ended_at is None


class CollaborationPoint(models.Model):
    # Not fields: set on the pathway page's points by the outer apps' loaders (pathway/panels.py).
    assessment_started: bool
    latest_invitation: models.Model | None
    patient_answers: models.Model | None
    # Set by the portal's pathway page (portal.services.pathway_overview): the status on the day shown.
    current_status: str
    behind: bool

    class Outcome(models.TextChoices):
        COMPLETED = "completed", _("Completed")
        NOT_WANTED = "not_wanted", _("Not wanted by the patient")
        CANCELLED = "cancelled", _("Cancelled")

    class CareLevel(models.TextChoices):
        HOSPITAL = "hospital", _("Hospital")
        MUNICIPALITY = "municipality", _("Municipality")
        HOME_SERVICES = "home_services", _("Home services")
        NURSING_HOME = "nursing_home", _("Nursing home")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="points")
    key = models.CharField(max_length=32)
    sequence = models.PositiveSmallIntegerField()
    title = models.JSONField(help_text="nb/nn/en titles from the definition.")
    care_level = models.CharField(max_length=16, choices=CareLevel.choices)
    responsible_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="responsible_points", verbose_name=_("responsible")
    )
    window_opens = models.DateField(_("window opens"), null=True, blank=True)
    window_closes = models.DateField(_("window closes"), null=True, blank=True)
    booked_for = models.DateTimeField(_("booked for"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_points",
        verbose_name=_("assigned to"),
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(_("date"), null=True, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    place = models.CharField(_("where"), max_length=200, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    notified_status = models.CharField(
        max_length=16, blank=True, help_text="The last status the responsible contact point was told about."
    )

    class Meta:
        verbose_name = _("collaboration point")
        verbose_name_plural = _("collaboration points")
        ordering = ["enrolment", "sequence"]
        constraints = [models.UniqueConstraint(fields=["enrolment", "key"], name="unique_point_per_enrolment")]
        indexes = [
            models.Index(fields=["responsible_organisation", "outcome", "window_opens"]),
            models.Index(fields=["responsible_organisation", "outcome", "window_closes"]),
        ]

    def __str__(self):
        return self.key

    @property
    def display_title(self):
        return self.title.get(translation.get_language() or "nb") or self.title.get("nb") or self.key

    def status(self, today):
        """Where the point stands today, with the patient's answer to the offer taken into
        account (schedule.offer_status): reads the enrolment's offer and ask-again date."""
        from pathway.schedule import offer_status, point_status

        status = point_status(self.window_opens, self.window_closes, self.outcome or None, today)
        enrolment = self.enrolment
        return offer_status(
            status,
            care_level=self.care_level,
            offer=enrolment.offer,
            ask_again_on=enrolment.ask_again_on,
            today=today,
        )


class PathwayEvent(models.Model):
    """One line of an enrolment's timeline. Details hold no free-text personal data."""

    class Kind(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled in the pathway")
        OFFER_ACCEPTED = "offer_accepted", _("Offer accepted")
        OFFER_DECLINED = "offer_declined", _("Offer declined")
        EVENT_RECORDED = "event_recorded", _("Event recorded")
        POINT_SCHEDULED = "point_scheduled", _("Collaboration point scheduled")
        POINT_BOOKED = "point_booked", _("Collaboration point booked")
        POINT_RESCHEDULED = "point_rescheduled", _("Collaboration point rescheduled")
        POINT_ASSIGNED = "point_assigned", _("Collaboration point assigned")
        CONTACT_PERSON = "contact_person", _("Contact person in the municipality chosen")
        INVITATION_SENT = "invitation_sent", _("Invitation to answer from home sent")
        ANSWERS_RECEIVED = "answers_received", _("Answers from home received")
        POINT_COMPLETED = "point_completed", _("Collaboration point completed")
        HANDOVER_SENT = "handover_sent", _("Handover message sent")
        HANDOVER_ACKNOWLEDGED = "handover_acknowledged", _("Handover message acknowledged")
        SHARING_DECLINED = "sharing_declined", _("The patient declined sharing the assessment")
        POINT_NOT_WANTED = "point_not_wanted", _("Collaboration point not wanted")
        POINT_CANCELLED = "point_cancelled", _("Collaboration point cancelled")
        MOVED = "moved", _("Moved to another municipality")
        DIED = "died", _("The patient died")
        BEREAVEMENT_FOLLOW_UP = "bereavement", _("Follow-up offered to the bereaved")
        WITHDRAWN = "withdrawn", _("Withdrew from the pathway")
        SUPERSEDED = "superseded", _("Superseded by a relapse")
        COMPLETED = "completed", _("Pathway completed")
        CORRECTION = "correction", _("Correction")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    on_date = models.DateField(null=True, blank=True, help_text="The clinical date the event is about, if any.")
    point = models.ForeignKey(CollaborationPoint, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=150, blank=True)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [
            # The municipal worklist's "moved here lately": moves are a sliver of all events.
            models.Index(fields=["on_date"], condition=models.Q(kind="moved"), name="event_moved_on_date"),
        ]

    def __str__(self):
        return self.kind


class BereavementFollowUp(models.Model):
    """An offer of follow-up for the bereaved, owned by the patient's municipality."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="bereavement_follow_up")
    municipality = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="bereavement_follow_ups")
    created_at = models.DateTimeField(auto_now_add=True)
    contacted_on = models.DateField(_("relatives contacted on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("follow-up of the bereaved")
        verbose_name_plural = _("follow-ups of the bereaved")
        indexes = [
            # The municipal worklist's "follow-up of the bereaved": the open ones, oldest first.
            models.Index(
                fields=["municipality", "created_at"],
                condition=models.Q(contacted_on__isnull=True),
                name="bereavement_open_by_date",
            ),
        ]

    def __str__(self):
        return f"bereavement follow-up {self.public_id}"
