"""What /readyz and /healthz check.

`ready()`: the database answers and every migration is applied - what a load balancer needs to
send requests here. `health()`: that, and what an operator monitors - each worker's last
heartbeat, the oldest delivery still waiting in the handover outbox, and the last run of each
recurring job. Each check says "ok" or "fail"; any "fail" makes the whole answer fail (503).
Thresholds are settings (HEALTH_WORKER_STALE_SECONDS, HEALTH_JOB_LATE_SECONDS,
HANDOVER_UNDELIVERED_ALERT_MINUTES). No check reads personal data.
"""

import datetime

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, Min
from django.utils import timezone

from handover.channels import NO_ADDRESS
from handover.models import Delivery
from jobs.models import RecurringJob, WorkerHeartbeat
from jobs.registry import JOBS

OK, FAIL = "ok", "fail"
_migrations_applied = False  # once true, true for the life of the process


def _iso(moment):
    return moment.isoformat() if moment else None


def _age(now, moment):
    return round((now - moment).total_seconds()) if moment else None


def check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return {"status": FAIL, "error": type(error).__name__}
    return {"status": OK}


def check_migrations():
    global _migrations_applied
    if _migrations_applied:
        return {"status": OK, "unapplied": 0}
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    unapplied = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    _migrations_applied = unapplied == 0
    return {"status": OK if unapplied == 0 else FAIL, "unapplied": unapplied}


def check_workers(now):
    """Every worker seen in the last day, with the age of its heartbeat. Fails when no worker is
    fresh; a stale one alone (killed, replaced by another) is shown, not failed on."""
    stale_after = settings.HEALTH_WORKER_STALE_SECONDS
    workers = [
        {
            "id": beat.worker_id,
            "started_at": _iso(beat.started_at),
            "last_seen_at": _iso(beat.last_seen_at),
            "age_seconds": _age(now, beat.last_seen_at),
            "stale": _age(now, beat.last_seen_at) > stale_after,
        }
        for beat in WorkerHeartbeat.objects.order_by("worker_id")
    ]
    fresh = any(not w["stale"] for w in workers)
    return {"status": OK if fresh else FAIL, "stale_after_seconds": stale_after, "workers": workers}


def check_outbox(now):
    """The oldest delivery still waiting (pending or retrying); fails when it is older than the
    undelivered-alert delay. A notice waiting for its receiver to register an e-mail address is
    not an operations fault: it is the receiver's missing-address alert."""
    waiting = (
        Delivery.objects.filter(status=Delivery.Status.PENDING)
        .exclude(last_error=NO_ADDRESS)
        .aggregate(n=Count("id"), oldest=Min("created_at"))
    )
    limit = settings.HANDOVER_UNDELIVERED_ALERT_MINUTES * 60
    age = _age(now, waiting["oldest"])
    return {
        "status": FAIL if age is not None and age > limit else OK,
        "undelivered": waiting["n"],
        "oldest_undelivered_age_seconds": age,
        "alert_after_seconds": limit,
    }


def check_jobs(now):
    """The last run of each registered job; a job fails when it has no row, its next run is late
    by more than HEALTH_JOB_LATE_SECONDS (no worker takes it) or its last run failed."""
    late_after = settings.HEALTH_JOB_LATE_SECONDS
    rows = {job.name: job for job in RecurringJob.objects.filter(name__in=list(JOBS))}
    jobs = []
    for name in sorted(JOBS):
        row = rows.get(name)
        if row is None:
            jobs.append({"name": name, "status": FAIL, "problem": "never scheduled"})
            continue
        late = now - row.next_run_at > datetime.timedelta(seconds=late_after)
        problem = "late" if late else ("last run failed" if row.last_status == RecurringJob.Status.FAILED else "")
        jobs.append(
            {
                "name": name,
                "status": FAIL if problem else OK,
                "problem": problem,
                "next_run_at": _iso(row.next_run_at),
                "last_started_at": _iso(row.last_started_at),
                "last_finished_at": _iso(row.last_finished_at),
                "last_status": row.last_status or None,
                "last_error": row.last_error or None,
                "running_since": _iso(row.running_since),
            }
        )
    return {"status": FAIL if any(j["status"] == FAIL for j in jobs) else OK, "jobs": jobs}


def _overall(checks):
    return OK if all(check["status"] == OK for check in checks.values()) else FAIL


def ready():
    checks = {"database": check_database()}
    if checks["database"]["status"] == OK:
        checks["migrations"] = check_migrations()
    return _overall(checks), checks


def health(now=None):
    now = now or timezone.now()
    status, checks = ready()
    if checks["database"]["status"] == OK:
        try:
            checks["workers"] = check_workers(now)
            checks["outbox"] = check_outbox(now)
            checks["jobs"] = check_jobs(now)
        except DatabaseError as error:
            checks["database"] = {"status": FAIL, "error": type(error).__name__}
    return _overall(checks), checks
