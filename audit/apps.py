from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit log")

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from accounts import trail
        from audit import hardening, services

        connection_created.connect(hardening.guard_sqlite_connection, dispatch_uid="audit_guard_sqlite")
        connection_created.connect(hardening.set_owner_role, dispatch_uid="audit_owner_role")
        post_migrate.connect(hardening.apply_after_migrate, sender=self, dispatch_uid="audit_hardening")
        # Account changes and refusals (accounts, the layer below) are audited through this hook.
        trail.register_recorder(services.record)
