"""The append-only access log: who, acting for which organisation, did what to which patient.

Patients are referred to by their public UUID, not by a foreign key: the log must outlive any
change to the patient tables and must never be cascaded away. Rows cannot be changed or deleted
through the ORM, and database triggers refuse UPDATE (both databases) and DELETE (PostgreSQL).

An entry about one patient names it in `patient_public_id`; a list entry (one look at a list
page) names every patient shown in `AuditEntryPatient` rows. `AuditEntry.objects.concerning(id)`
finds both kinds. Every entry is a link of a hash chain (`seq`, `prev_hash`, `hash`; see
audit/chain.py), sealed under the lock of the single `AuditChainHead` row; `AuditCheckpoint`
keeps the heads that `manage.py verify_audit` published, each signed.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    pass


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")

    def delete(self):
        raise AppendOnlyError("The audit log is append-only.")

    def concerning(self, *public_ids):
        """Entries about any of these patients: those that name one in `patient_public_id` and the
        list entries that showed one. One semi-join on indexed columns (a UNION of the two id lists
        in an IN subquery), not an OR across the join, which PostgreSQL could only answer by
        scanning the whole table; the result can be filtered and ordered further."""
        single = AuditEntry.objects.filter(patient_public_id__in=public_ids).order_by().values("pk")
        listed = AuditEntryPatient.objects.filter(patient_public_id__in=public_ids).order_by().values("entry_id")
        return self.filter(pk__in=single.union(listed, all=True))


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

    # The database's clock, read under the chain's lock (audit/chain.py); db_default for rows
    # written by anything else, so that no row takes the application server's clock.
    occurred_at = models.DateTimeField(_("when"), db_default=Now(), db_index=True)
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
    # The hash chain (audit/chain.py): the entry's place in the chain, the previous entry's hash
    # and sha256 over this entry's canonical form (patients included) and `prev_hash`.
    seq = models.PositiveBigIntegerField(_("chain position"), unique=True, null=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

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
        if self.seq is None:  # a new entry goes into the chain (objects.create too)
            from audit import chain

            chain.append(self)
            return
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")

    @property
    def patient_ids(self):
        """Every patient the entry concerns: the one it names, or those a list entry showed (in
        the order shown; prefetch `patients` for many entries)."""
        if self.patient_public_id:
            return [self.patient_public_id]
        return [p.patient_public_id for p in sorted(self.patients.all(), key=lambda p: p.position)]


class AuditEntryPatient(models.Model):
    """One patient shown by a list entry: a list page writes one entry that names them all, found
    per patient through the index on `patient_public_id`. Append-only, as the entries are."""

    entry = models.ForeignKey(AuditEntry, on_delete=models.PROTECT, related_name="patients")
    position = models.PositiveIntegerField()
    patient_public_id = models.UUIDField(db_index=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("patient of an audit entry")
        verbose_name_plural = _("patients of audit entries")
        constraints = [models.UniqueConstraint(fields=["entry", "position"], name="audit_entry_patient_position")]

    def __str__(self):
        return f"{self.entry_id}/{self.position}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")


class AuditChainHead(models.Model):
    """The single row (pk 1) that holds the newest link of the chain. Writing an entry locks it
    (an UPDATE, so a row lock on PostgreSQL and the write lock on SQLite) until the transaction
    ends: audit writes are serialised, and the chain follows the order in which they commit."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)
    occurred_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")

    def __str__(self):
        return f"seq {self.seq}"


class AuditCheckpoint(models.Model):
    """A head that verify_audit published (to the log and the admins), signed with an HMAC of the
    audit checkpoint key, so that the next run finds the newest entries deleted, or the whole
    chain rewritten, by anyone who can write the database but does not hold the key."""

    created_at = models.DateTimeField(db_default=Now())
    seq = models.PositiveBigIntegerField()
    entry_id = models.BigIntegerField(null=True)
    hash = models.CharField(max_length=64, blank=True)
    signature = models.CharField(max_length=64)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")
        ordering = ["-id"]

    def __str__(self):
        return f"checkpoint {self.pk}: seq {self.seq}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("The audit log is append-only.")
        super().save(*args, **kwargs)
