from django.contrib import admin

from jobs.models import RecurringJob, WorkerHeartbeat


@admin.register(RecurringJob)
class RecurringJobAdmin(admin.ModelAdmin):
    list_display = ("name", "next_run_at", "last_started_at", "last_finished_at", "last_status", "last_error")
    readonly_fields = ("last_started_at", "last_finished_at", "last_status", "last_error", "running_since", "locked_by")


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("worker_id", "started_at", "last_seen_at")
