"""Heimveg's recurring jobs and its workers' heartbeats.

`RecurringJob` is one row per job in the registry (`jobs/registry.py`): when it runs next and how
its last run went. A worker takes a due job under a row lock and moves `next_run_at` on before it
runs the job, so any number of workers run each due run once. `running_since`/`locked_by` only say
who is running it now: a run left "running" by a killed worker blocks nothing.

`WorkerHeartbeat` is one row per worker process (`hostname:pid`), written on every loop, read by
`/healthz`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecurringJob(models.Model):
    class Status(models.TextChoices):
        OK = "ok", _("Succeeded")
        FAILED = "failed", _("Failed")

    name = models.CharField(max_length=64, unique=True)
    next_run_at = models.DateTimeField()
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=8, choices=Status.choices, blank=True)
    last_error = models.CharField(
        max_length=200, blank=True, help_text="The exception's class name only: never personal data."
    )
    running_since = models.DateTimeField(null=True, blank=True)
    locked_by = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("recurring job")
        verbose_name_plural = _("recurring jobs")
        ordering = ["name"]

    def __str__(self):
        return self.name


class WorkerHeartbeat(models.Model):
    worker_id = models.CharField(max_length=200, unique=True, help_text="hostname:pid")
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        ordering = ["worker_id"]

    def __str__(self):
        return self.worker_id
