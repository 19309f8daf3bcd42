"""A system (a hospital's record system, a municipality's, a form service) that calls the FHIR
API for one organisation.

The organisation's admin registers it in Heimveg; it gets an OAuth 2.0 client (django-oauth-toolkit
`Application`, client credentials) and a service user that names it on every change it makes (the
timeline, "acknowledged by", the audit log). The service user has no password and no membership:
it cannot sign in to the web pages. Access is the organisation's, exactly as for a person acting
for it in `role`.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.models import Organisation


class ApiClient(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="api_clients"
    )
    name = models.CharField(
        _("name of the system"), max_length=100, help_text=_("For example “DIPS Arena” or “Gerica”.")
    )
    role = models.CharField(_("acts as"), max_length=32)
    application = models.OneToOneField(
        "oauth2_provider.Application",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="heimveg_client",
    )
    service_user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_client")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    @property
    def is_active(self):
        return self.revoked_at is None and self.application_id is not None
