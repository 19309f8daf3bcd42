"""The models of provider sign-in. They belong to the accounts app (`app_label`), which imports
them at the end of accounts/models.py."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.models import Organisation


class ProviderKind(models.TextChoices):
    HELSEID = "helseid", _("HelseID")
    IDPORTEN = "idporten", _("ID-porten")
    GENERIC = "generic", _("Other OpenID Connect provider")


class IdentityProvider(models.Model):
    """An organisation's own OpenID Connect provider (often Microsoft Entra ID), or HelseID with an
    organisation's own client, added by the superuser. HelseID and ID-porten for everyone are
    configured by settings (accounts.oidc.providers)."""

    key = models.SlugField(
        _("key"), max_length=40, unique=True, help_text=_("Short name in the sign-in address, e.g. “ahus-entra”.")
    )
    name = models.CharField(_("name on the button"), max_length=80)
    kind = models.CharField(_("kind"), max_length=16, choices=ProviderKind.choices, default=ProviderKind.GENERIC)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    issuer = models.URLField(
        _("issuer"),
        help_text=_("The provider's issuer identifier (its discovery URL less /.well-known/openid-configuration)."),
    )
    client_id = models.CharField(_("client id"), max_length=200)
    scopes = models.CharField(_("scopes"), max_length=500, default="openid profile")
    required_level = models.CharField(
        _("lowest security level"),
        max_length=40,
        blank=True,
        help_text=_("HelseID: 3 or 4. Empty: none is checked."),
    )
    national_id_claim = models.CharField(_("claim with the national id"), max_length=100, blank=True)
    hpr_claim = models.CharField(_("claim with the HPR number"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        app_label = "accounts"
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ClientKey(models.Model):
    """One of Heimveg's own key pairs for private_key_jwt (manage.py oidc_keys). The newest key not
    retired signs; every key not retired is published at the JWKS URL, so a provider that cached
    the old set still accepts assertions during a rotation."""

    kid = models.CharField(max_length=64, unique=True)
    private_pem = models.TextField()
    public_jwk = models.JSONField()
    created_at = models.DateTimeField()
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "accounts"
        verbose_name = _("client key")
        verbose_name_plural = _("client keys")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.kid


class ProviderIdentity(models.Model):
    """A provider's subject bound to a user: made by the first provider sign-in that redeems an
    invitation; later sign-ins match (issuer, subject) only, never an e-mail address."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="provider_identities")
    issuer = models.CharField(max_length=300)
    subject = models.CharField(max_length=255)
    provider_key = models.CharField(max_length=40)
    created_at = models.DateTimeField()
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "accounts"
        verbose_name = _("provider identity")
        verbose_name_plural = _("provider identities")
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="unique_provider_identity")]

    def __str__(self):
        return f"{self.provider_key} identity {self.public_id}"


class SignInPolicy(models.Model):
    """An organisation's rule for how its members sign in. A person with memberships in several
    organisations is held to the strictest (accounts.oidc.policy)."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="+")
    provider_required = models.BooleanField(_("require sign-in with an identity provider"), default=False)
    changed_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "accounts"
        verbose_name = _("sign-in policy")
        verbose_name_plural = _("sign-in policies")

    def __str__(self):
        return f"sign-in policy {self.organisation_id}"
