"""Patient identity, where the patient lives and who their GP is, and their relatives."""

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import Organisation, phone_validator
from lib import nin
from lib.validators import validate_name_characters

if TYPE_CHECKING:
    from patients.access import AccessDecision


class Language(models.TextChoices):
    BOKMAL = "nb", _("Norwegian Bokmål")
    NYNORSK = "nn", _("Norwegian Nynorsk")
    ENGLISH = "en", _("English")


class Patient(models.Model):
    # Not fields: set by patients.access on a patient it opened (`open_patient`) or listed
    # (`flag_emergency`).
    access: "AccessDecision"
    opened_by_emergency: bool

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    national_id = models.CharField(_("national identity number"), max_length=11, unique=True)
    national_id_kind = models.CharField(
        _("kind of number"),
        max_length=3,
        choices=[(nin.FODSELSNUMMER, _("Fødselsnummer")), (nin.D_NUMBER, _("D-number"))],
    )
    given_name = models.CharField(_("given name"), max_length=150, validators=[validate_name_characters])
    family_name = models.CharField(_("family name"), max_length=150, validators=[validate_name_characters])
    date_of_birth = models.DateField(_("date of birth"))
    municipality = models.ForeignKey(
        Organisation,
        verbose_name=_("municipality of residence"),
        on_delete=models.PROTECT,
        related_name="resident_patients",
        limit_choices_to={"kind": Organisation.Kind.MUNICIPALITY},
    )
    gp_office = models.ForeignKey(
        Organisation,
        verbose_name=_("GP office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="listed_patients",
        limit_choices_to={"kind": Organisation.Kind.GP_OFFICE},
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.BOKMAL
    )
    mobile_phone = models.CharField(
        _("mobile phone"),
        max_length=20,
        blank=True,
        validators=[phone_validator],
        help_text=_("For invitations to answer from home: the link goes to one channel, the code to the other."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    date_of_death = models.DateField(_("date of death"), null=True, blank=True)
    registered_by = models.ForeignKey(
        Organisation, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="registered_patients"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("patient")
        verbose_name_plural = _("patients")
        ordering = ["family_name", "given_name", "id"]
        indexes = [
            models.Index(fields=["municipality", "family_name", "given_name"]),
            models.Index(fields=["gp_office"]),
            models.Index(fields=["registered_by"]),
        ]
        constraints = [
            # Exactly 11 ASCII digits, whatever wrote the row (lib.nin.normalise for Heimveg's
            # own doors). [0-9] is the ASCII range on both backends (never \d, which matches other
            # scripts' digits in SQLite's Python regexp); the length check also closes the gap where
            # Python's `$` matches before a final newline.
            models.CheckConstraint(
                condition=models.Q(national_id__regex=r"^[0-9]{11}$") & models.Q(Exact(Length("national_id"), 11)),
                name="patient_national_id_eleven_ascii_digits",
                violation_error_message=_("The national identity number must be exactly 11 digits 0–9."),
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.given_name} {self.family_name}"

    @property
    def national_id_display(self):
        return f"{self.national_id[:6]} {self.national_id[6:]}"

    def age(self, on=None):
        on = on or timezone.localdate()
        end = min(on, self.date_of_death) if self.date_of_death else on
        years = end.year - self.date_of_birth.year
        return years - ((end.month, end.day) < (self.date_of_birth.month, self.date_of_birth.day))

    @property
    def is_child(self):
        return self.age() < 18


class Relative(models.Model):
    class Relation(models.TextChoices):
        SPOUSE = "spouse", _("Spouse or partner")
        CHILD = "child", _("Child")
        PARENT = "parent", _("Parent")
        SIBLING = "sibling", _("Sibling")
        OTHER_FAMILY = "other_family", _("Other family")
        FRIEND = "friend", _("Friend or other")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="relatives")
    name = models.CharField(_("name"), max_length=200, validators=[validate_name_characters])
    relation = models.CharField(_("relation to the patient"), max_length=20, choices=Relation.choices)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    email = models.EmailField(_("e-mail"), blank=True)
    is_child = models.BooleanField(
        _("child under 18"),
        default=False,
        help_text=_("Children as relatives have a right to information and follow-up."),
    )
    is_next_of_kin = models.BooleanField(_("next of kin"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # Set when the relative, signed in with an invitation's link and code, then signed in with
    # ID-porten (portal.citizens): a keyed hash of their national id (accounts.invitations
    # .national_id_hash), so that ID-porten finds their invitations later. Never shown.
    national_id_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("relative")
        verbose_name_plural = _("relatives")
        ordering = ["-is_next_of_kin", "name"]

    def __str__(self):
        return self.name


class Reviewed(models.Model):
    """Something the user's organisation admin reviews afterwards (docs/emergency-access.md): an
    emergency access, or a registration of a person Heimveg already knew. `over_cap` marks one
    past the user's daily count (the admins were alerted at once)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    over_cap = models.BooleanField(_("past the daily count"), default=False)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_comment = models.TextField(_("review comment"), blank=True)

    class Meta:
        abstract = True


class EmergencyAccess(Reviewed):
    """A time-limited "break the glass" access to one patient, with the reason the user gave.
    `patient` is empty when no patient had the number given: the attempt is counted, audited and
    reviewed all the same, so the form tells no one whether a number is registered."""

    patient = models.ForeignKey(
        Patient, null=True, blank=True, on_delete=models.CASCADE, related_name="emergency_accesses"
    )
    reason = models.TextField(_("reason"))
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        indexes = [
            models.Index(fields=["user", "organisation", "expires_at"]),
            models.Index(fields=["organisation", "reviewed_at"]),
        ]

    def __str__(self):
        return f"{self.user} / {self.organisation} until {self.expires_at:%Y-%m-%d %H:%M}"


class Registration(Reviewed):
    """What an organisation registered for a national identity number: the fields it entered,
    kept apart from the patient's record. Every registration through Heimveg's doors writes one.
    When the person was registered already and the organisation has no care relation with the
    record (`known`), the registering organisation gets this row
    and nothing more: it sees what it entered and may enrol from it where the pathway's rules
    allow; the record itself opens only through a care relation or emergency access."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="registrations")
    known = models.BooleanField(_("already registered"), default=False)
    entered = models.JSONField(_("what was entered"), default=dict)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["organisation", "reviewed_at"]), models.Index(fields=["user", "created_at"])]

    def __str__(self):
        return f"{self.organisation} {self.created_at:%Y-%m-%d %H:%M}"
