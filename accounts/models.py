"""Users, and what they may do for which organisation (memberships with a role)."""

import uuid

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.models import Organisation

Kind = Organisation.Kind


class Role(models.TextChoices):
    HOSPITAL_CLINICIAN = "hospital_clinician", _("Hospital clinician")
    PATHWAY_COORDINATOR = "pathway_coordinator", _("Pathway coordinator")
    MUNICIPAL_COORDINATOR = "municipal_coordinator", _("Municipal coordinator")
    GP = "gp", _("GP")
    ORG_ADMIN = "org_admin", _("Organisation admin")
    ANALYST = "analyst", _("Analyst")


# Roles that give access to individual patients' data (given a care relation).
CLINICAL_ROLES = frozenset({Role.HOSPITAL_CLINICIAN, Role.PATHWAY_COORDINATOR, Role.MUNICIPAL_COORDINATOR, Role.GP})

# Which kinds of organisation each role can be held in.
ROLE_ORGANISATION_KINDS = {
    Role.HOSPITAL_CLINICIAN: {Kind.HOSPITAL, Kind.HEALTH_TRUST},
    Role.PATHWAY_COORDINATOR: {Kind.HOSPITAL, Kind.HEALTH_TRUST},
    Role.MUNICIPAL_COORDINATOR: {Kind.MUNICIPALITY, Kind.HOME_SERVICES, Kind.NURSING_HOME},
    Role.GP: {Kind.GP_OFFICE},
    Role.ORG_ADMIN: set(Kind),
    Role.ANALYST: set(Kind),
}


class User(AbstractUser):
    """A person who signs in. Patients do not sign in with this model."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    hpr_number = models.CharField(
        _("HPR number"),
        max_length=9,
        blank=True,
        help_text=_("Health personnel number from the Health Personnel Register, if any."),
    )
    # A keyed hash of the national identity number (from an invitation), for provider sign-in
    # later (ID-porten, HelseID); the number itself is not stored.
    national_id_hash = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username


class Membership(models.Model):
    """A user acts for an organisation in a role. A user may hold several."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="unique_membership_role"),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.get_role_display()}"

    def clean(self):
        allowed = ROLE_ORGANISATION_KINDS.get(self.role, set())
        if self.organisation_id and self.organisation.kind not in allowed:
            raise ValidationError(
                {
                    "role": _(
                        "The role “%(role)s” does not fit this kind of organisation (%(kind)s). "
                        "Choose another role or organisation."
                    )
                    % {"role": self.get_role_display(), "kind": self.organisation.get_kind_display()}
                }
            )

    @property
    def is_clinical(self):
        return self.role in CLINICAL_ROLES


class Invitation(models.Model):
    """A one-time link by e-mail: to a new membership (the person sets a password and the second
    factor on first use), or to set up the second factor again after an admin reset it.

    Only a hash of the link's token is stored; the national id, where given for provider sign-in
    later, only as a keyed hash (`accounts.invitations.national_id_hash`), never shown back."""

    class Kind(models.TextChoices):
        MEMBERSHIP = "membership", _("Invitation to a role")
        SECOND_FACTOR_RESET = "second_factor_reset", _("New second factor")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.MEMBERSHIP)
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    # The invited user: the one whose second factor is reset, or the one the invitation created.
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations")
    hpr_number = models.CharField(_("HPR number"), max_length=9, blank=True)
    national_id_hash = models.CharField(max_length=64, blank=True)
    language = models.CharField(max_length=8, default="nb")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("staff invitation")
        verbose_name_plural = _("staff invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"staff invitation {self.public_id}"

    def state(self, now):
        """'valid', 'used', 'revoked' or 'expired'."""
        if self.used_at:
            return "used"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        return "valid"


class SignInEvent(models.Model):
    """One sign-in attempt, for the user's own list of recent sign-ins and the per-address slowing.
    Unknown usernames are not stored (a password typed in the wrong field would be)."""

    class Outcome(models.TextChoices):
        SUCCEEDED = "succeeded", _("Signed in")
        FAILED = "failed", _("Wrong username or password")
        SECOND_FACTOR_FAILED = "second_factor_failed", _("Wrong code")

    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="sign_in_events")
    occurred_at = models.DateTimeField(_("when"), db_index=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=32, choices=Outcome.choices)
    second_factor = models.BooleanField(_("second factor passed"), default=False)

    class Meta:
        verbose_name = _("sign-in")
        verbose_name_plural = _("sign-ins")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-occurred_at"]),
            models.Index(fields=["ip_address", "outcome", "occurred_at"]),
        ]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.outcome}"
