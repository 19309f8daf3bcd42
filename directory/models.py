"""The national directory: counties, regional health authorities, health trusts, hospitals,
municipalities and GP offices, with the contact points each keeps for the pathway and, for
municipalities and hospitals, the local part of the public information for patients.

A health community (helsefellesskap) is not stored on its own: it is a health trust together
with the municipalities it serves (`Organisation.health_trust`), see `health_community()`.
"""

import uuid
from dataclasses import dataclass

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ]{6,17}$",
    _("Enter a phone number with 8 digits, or with a country code such as +47 (digits and spaces only)."),
)


class County(models.Model):
    number = models.CharField(_("county number"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_official = models.CharField(_("official name"), max_length=200)

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number} {self.name}"


class Organisation(models.Model):
    class Kind(models.TextChoices):
        REGIONAL_HEALTH_AUTHORITY = "regional_health_authority", _("Regional health authority")
        HEALTH_TRUST = "health_trust", _("Health trust")
        HOSPITAL = "hospital", _("Hospital")
        MUNICIPALITY = "municipality", _("Municipality")
        GP_OFFICE = "gp_office", _("GP office")
        # A municipality's services, "located in" it (`municipality`): they hold the points of
        # those care levels (pathway definitions), and the municipality covers them.
        HOME_SERVICES = "home_services", _("Home services")
        NURSING_HOME = "nursing_home", _("Nursing home")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    name_official = models.CharField(_("official name"), max_length=200, blank=True)
    org_number = models.CharField(
        _("organisation number"),
        max_length=9,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Nine digits, from the Central Coordinating Register for Legal Entities."),
    )
    municipality_number = models.CharField(
        _("municipality number"),
        max_length=4,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Only for municipalities: the official four-digit number."),
    )
    her_id = models.CharField(_("HER-id"), max_length=12, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("A health trust's regional health authority; a hospital's health trust."),
    )
    health_trust = models.ForeignKey(
        "self",
        verbose_name=_("health trust"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="served_municipalities",
        limit_choices_to={"kind": "health_trust"},
        help_text=_("For a municipality: the health trust whose local hospital area it belongs to."),
    )
    municipality = models.ForeignKey(
        "self",
        verbose_name=_("located in"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="located_organisations",
        limit_choices_to={"kind": "municipality"},
        help_text=_("For hospitals and GP offices: the municipality they are in."),
    )
    county = models.ForeignKey(
        County,
        verbose_name=_("county"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="municipalities",
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_date = models.DateField(_("population counted on"), null=True, blank=True)
    catchment_note = models.TextField(_("catchment note"), blank=True)
    is_demo = models.BooleanField(_("synthetic demo organisation"), default=False)
    pathway_start_date = models.DateField(
        _("pathway start date"),
        null=True,
        blank=True,
        help_text=_(
            "The day this organisation started offering the pathway. It is not retroactive: patients "
            "diagnosed before this day are not enrolled."
        ),
    )
    first_point_weeks = models.PositiveSmallIntegerField(
        _("weeks for the first collaboration point"),
        default=4,
        help_text=_("Hospitals: the local target for the first conversation, counted from the diagnosis."),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self):
        return self.name

    @property
    def is_municipality(self):
        return self.kind == self.Kind.MUNICIPALITY

    @property
    def label(self):
        """The name as lists and pickers show it: a municipality with its county, since names
        repeat across counties (two Herøy, two Våler): "Herøy (Møre og Romsdal)". Reads the county
        (select_related("county") in lists). Every other organisation: its name."""
        if self.kind == self.Kind.MUNICIPALITY and self.county_id:
            return f"{self.name} ({self.county.name})"
        return self.name

    @property
    def choice_label(self):
        """The label of a municipality in a type-ahead, with its number, which is what tells two
        apart for certain: "Herøy (Møre og Romsdal) – 1515"."""
        if self.kind == self.Kind.MUNICIPALITY and self.municipality_number:
            return f"{self.label} – {self.municipality_number}"
        return self.label

    def health_community(self):
        """The health trust and the municipalities it serves, as a queryset of organisations.

        For a municipality, hospital or GP office: the community of its health trust.
        """
        trust = self.owning_health_trust()
        if trust is None:
            return Organisation.objects.none()
        return Organisation.objects.filter(
            models.Q(pk=trust.pk) | models.Q(health_trust=trust) | models.Q(parent=trust)
        )

    def covered(self):
        """The organisations whose pathway work this one sees and does: itself, and for a health
        trust also its hospitals. Access rules and worklists all use this one definition."""
        if self.kind == self.Kind.HEALTH_TRUST:
            return Organisation.objects.filter(models.Q(pk=self.pk) | models.Q(parent=self, kind=self.Kind.HOSPITAL))
        return Organisation.objects.filter(pk=self.pk)

    def covered_ids(self):
        """The ids of `covered()`, without a query when an organisation covers only itself."""
        if self.kind == self.Kind.HEALTH_TRUST:
            return list(self.covered().values_list("pk", flat=True))
        return [self.pk]

    def covers(self, other):
        return other.pk == self.pk or (
            self.kind == self.Kind.HEALTH_TRUST and other.kind == self.Kind.HOSPITAL and other.parent_id == self.pk
        )

    def owning_health_trust(self):
        if self.kind == self.Kind.HEALTH_TRUST:
            return self
        if self.kind == self.Kind.HOSPITAL:
            return self.parent
        if self.kind == self.Kind.MUNICIPALITY:
            return self.health_trust
        if self.kind in (self.Kind.GP_OFFICE, self.Kind.HOME_SERVICES, self.Kind.NURSING_HOME) and self.municipality_id:
            return self.municipality.health_trust
        return None


class ContactPoint(models.Model):
    """Where patients, relatives and the other care level reach an organisation about the pathway."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="contact_points"
    )
    name = models.CharField(
        _("name"), max_length=200, help_text=_("For example “Kreftkoordinator” or “Tildelingskontoret”.")
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    email = models.EmailField(_("e-mail"), blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    opening_hours = models.CharField(
        _("opening hours"), max_length=200, blank=True, help_text=_("For example “Weekdays 08:00–15:30”.")
    )
    note_for_patients = models.TextField(
        _("note for patients"),
        blank=True,
        help_text=_("Shown to patients and relatives: what this contact point helps with, how to reach it."),
    )
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    class Meta:
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        ordering = ["organisation__name", "name"]

    def __str__(self):
        return f"{self.organisation}: {self.name}"


class MissingAddressAlert(models.Model):
    """Someone is always told: a reminder or notice that had no e-mail address to go to (the
    organisation has no contact point with one) is not marked as sent; it is this alert instead,
    shown to the organisation's admins and to the national admins until an address exists. One
    open alert per organisation and kind; `count` is how many notices the last attempt could not
    send, `resolved_at` is set once one went out."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Nightly reminder of due and overdue collaboration points")
        HANDOVER_NOTICE = "handover_notice", _("E-mail notice of a new handover message")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="missing_address_alerts")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    count = models.PositiveIntegerField(default=0)
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("missing e-mail address")
        verbose_name_plural = _("missing e-mail addresses")
        ordering = ["-last_seen_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_missing_address_alert",
            )
        ]

    def __str__(self):
        return f"{self.organisation}: {self.kind}"


# The public "standard information for patients": the national text lives in a template and is the
# same everywhere; each municipality and hospital adds only what is local, in bokmål (required) and
# optionally in nynorsk and English.

TEXT_LANGUAGES = ("nb", "nn", "en")
PUBLIC_PAGE_KINDS = (Organisation.Kind.MUNICIPALITY, Organisation.Kind.HOSPITAL)


@dataclass(frozen=True)
class LocalText:
    """A text in the language asked for, or in bokmål when that translation is missing.

    `lang` is the language of `text`; `fallback` says it is not the one asked for, so a template
    can mark the element with lang="nb" for screen readers (WCAG 3.1.2).
    """

    text: str
    lang: str
    fallback: bool

    def __str__(self):
        return self.text

    def __bool__(self):
        return bool(self.text)


class InThreeLanguages:
    """Mixin for models with `<field>_nb`, `<field>_nn` and `<field>_en`."""

    def in_language(self, field, language=None):
        """The text of `field` in `language` (default: the active one), falling back to bokmål."""
        wanted = (language or get_language() or "nb").split("-")[0]
        if wanted not in TEXT_LANGUAGES:
            wanted = "nb"
        text = getattr(self, f"{field}_{wanted}")
        if text.strip():
            return LocalText(text, wanted, False)
        return LocalText(getattr(self, f"{field}_nb"), "nb", wanted != "nb")


class PublicInformation(InThreeLanguages, models.Model):
    """An organisation's own introduction on its public page, above its contact points and offers."""

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="public_information"
    )
    intro_nb = models.TextField(_("introduction (bokmål)"), blank=True)
    intro_nn = models.TextField(_("introduction (nynorsk)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    class Meta:
        verbose_name = _("public information")
        verbose_name_plural = _("public information")

    def __str__(self):
        return str(self.organisation)

    @property
    def intro(self):
        return self.in_language("intro")


class LocalOffer(InThreeLanguages, models.Model):
    """A local offer for people with cancer and their relatives, shown on the organisation's public page."""

    class Kind(models.TextChoices):
        CANCER_COORDINATOR = "cancer_coordinator", _("Cancer coordinator")
        PHYSIOTHERAPY = "physiotherapy", _("Physiotherapy")
        HEALTHY_LIFE_CENTRE = "healthy_life_centre", _("Healthy life centre (Frisklivssentral)")
        VARDESENTER = "vardesenter", _("Vardesenter (meeting place of the Norwegian Cancer Society)")
        SUPPORT_GROUP = "support_group", _("Support group")
        REHABILITATION = "rehabilitation", _("Rehabilitation")
        PSYCHOSOCIAL = "psychosocial", _("Psychosocial support and help for relatives")
        OTHER = "other", _("Other")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="local_offers"
    )
    kind = models.CharField(_("kind of offer"), max_length=32, choices=Kind.choices)
    name_nb = models.CharField(_("name (bokmål)"), max_length=200)
    name_nn = models.CharField(_("name (nynorsk)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_nb = models.TextField(_("description (bokmål)"), blank=True)
    description_nn = models.TextField(_("description (nynorsk)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    email = models.EmailField(_("e-mail"), blank=True)
    web_address = models.URLField(_("web address"), blank=True)
    sort_order = models.PositiveIntegerField(_("position"), default=0, help_text=_("Lower numbers come first."))
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    class Meta:
        verbose_name = _("local offer")
        verbose_name_plural = _("local offers")
        ordering = ["organisation__name", "sort_order", "name_nb"]

    def __str__(self):
        return f"{self.organisation}: {self.name_nb}"

    @property
    def name(self):
        return self.in_language("name")

    @property
    def description(self):
        return self.in_language("description")
