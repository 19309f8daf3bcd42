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
    Role.MUNICIPAL_COORDINATOR: {Kind.MUNICIPALITY},
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
