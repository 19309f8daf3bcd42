# Handover messages hold patient data and are deliberately not in the Django admin (every read must
# pass the access check and the audit log). The outbox's deliveries hold none, so operations can
# watch them here: what waits, what failed and why.
from django.contrib import admin

from handover.models import Delivery

COLUMNS = ("idempotency_key", "channel", "status", "attempts", "next_attempt_at", "last_error", "delivered_at")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = COLUMNS
    list_filter = ["status", "channel"]
    search_fields = ["idempotency_key"]
    ordering = ["-created_at"]
    fields = [*COLUMNS, "receipt", "created_at"]
    readonly_fields = [*COLUMNS, "receipt", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
