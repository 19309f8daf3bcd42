from django.contrib import admin

from audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log can be searched here but never changed."""

    list_display = ("occurred_at", "username", "organisation", "action", "object_type", "emergency")
    list_filter = ("action", "emergency")
    search_fields = ("username", "patient_public_id")
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
