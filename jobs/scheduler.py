"""Taking and running the recurring jobs.

A due job is taken in a short transaction of its own: the row is selected FOR UPDATE SKIP LOCKED
(PostgreSQL; on SQLite the IMMEDIATE transaction serialises writers), its `next_run_at` is moved
on to the next run, and the transaction commits. Only then does the job run. So any number of
workers run each due run exactly once, a run that fails is rescheduled exactly like one that
succeeds (the next run time was moved on before it started), and a worker killed half-way leaves
nothing that blocks the next run: `running_since` only tells an operator what is going on.
"""

import logging
import time

from django.db import connection, transaction
from django.utils import timezone

from jobs.models import RecurringJob
from jobs.registry import JOBS
from lib.logformat import job_context

logger = logging.getLogger(__name__)


def ensure_jobs(now=None) -> int:
    """Create the rows of registered jobs that have none yet; returns how many were created."""
    now = now or timezone.now()
    existing = set(RecurringJob.objects.filter(name__in=JOBS).values_list("name", flat=True))
    missing = [RecurringJob(name=n, next_run_at=job.first_run(now)) for n, job in JOBS.items() if n not in existing]
    RecurringJob.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def take_next(worker_id, now=None):
    """Take one due job: move its next run on and mark it running, in one committed transaction.
    Returns the job's row, or None when nothing is due."""
    now = now or timezone.now()
    with transaction.atomic():
        due = RecurringJob.objects.filter(name__in=list(JOBS), next_run_at__lte=now).order_by("next_run_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        job = due.first()
        if job is None:
            return None
        job.next_run_at = JOBS[job.name].next_run_after(now)
        job.last_started_at = job.running_since = now
        job.locked_by = worker_id
        job.save(update_fields=["next_run_at", "last_started_at", "running_since", "locked_by"])
    return job


def run(job, worker_id):
    """Run a taken job and record how it went. Returns True when it succeeded. A failure is logged
    with the exception's class name (never its data) and the job runs again at its next time. Every
    log line of the run carries the job's name (`job` in the JSON log format)."""
    with job_context(job.name):
        return _run(job, worker_id)


def _run(job, worker_id):
    logger.info("recurring job %s started by %s", job.name, worker_id)
    started = time.monotonic()
    try:
        result = JOBS[job.name].run(job.running_since)
    except Exception as error:  # any job's failure: logged and recorded, and the worker goes on
        logger.exception("recurring job %s failed (%s)", job.name, type(error).__name__)
        _finish(job, worker_id, RecurringJob.Status.FAILED, type(error).__name__)
        return False
    logger.info("recurring job %s finished in %.1f s: %s", job.name, time.monotonic() - started, result)
    _finish(job, worker_id, RecurringJob.Status.OK, "")
    return True


def _finish(job, worker_id, status, error):
    # Only this run's own mark is cleared: a later run by another worker keeps its own.
    RecurringJob.objects.filter(pk=job.pk, locked_by=worker_id, running_since=job.running_since).update(
        running_since=None, locked_by=""
    )
    RecurringJob.objects.filter(pk=job.pk).update(
        last_finished_at=timezone.now(), last_status=status, last_error=error[:200]
    )


def run_due(worker_id, now=None, limit=50) -> list[tuple[str, bool]]:
    """Take and run due jobs one at a time until none is due (at most `limit`)."""
    ran = []
    for _ in range(limit):
        job = take_next(worker_id, now)
        if job is None:
            break
        ran.append((job.name, run(job, worker_id)))
    return ran
