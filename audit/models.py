"""The append-only access log: who, acting for which organisation, did what to which patient.

Patients are referred to by their public UUID, not by a foreign key: the log must outlive any
change to the patient tables and must never be cascaded away. Rows cannot be changed or deleted
through the ORM, and database triggers refuse UPDATE (both databases) and DELETE (PostgreSQL).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    pass


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")

    def delete(self):
        raise AppendOnlyError("The audit log is append-only.")


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        LIST = "list", _("Listed")
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        DENIED = "denied", _("Access refused")
        EMERGENCY_ACCESS = "emergency_access", _("Emergency access opened")
        VIEW_AUDIT_TRAIL = "view_audit_trail", _("Viewed the audit trail")

    occurred_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    username = models.CharField(_("username"), max_length=150)
    organisation = models.ForeignKey(
        "directory.Organisation", verbose_name=_("acting for"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=32, blank=True)
    client = models.CharField(
        _("through system"),
        max_length=100,
        blank=True,
        help_text=_("The organisation's system that called the FHIR API, if the access came through it."),
    )
    patient_public_id = models.UUIDField(_("patient"), null=True, db_index=True)
    action = models.CharField(_("what"), max_length=32, choices=Action.choices)
    object_type = models.CharField(_("record"), max_length=32, blank=True)
    detail = models.CharField(
        _("detail"), max_length=300, blank=True, help_text=_("Never personal data: field names, counts.")
    )
    emergency = models.BooleanField(_("emergency access"), default=False)
    reason = models.TextField(_("stated reason"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-occurred_at"])]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.username} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")
