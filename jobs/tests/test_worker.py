"""`manage.py worker`: heartbeat, due jobs and the task queue in one loop that survives a lost
database connection, puts tasks left RUNNING by a killed worker back in the queue and stops
cleanly on a signal."""

import datetime
import os
import signal
import subprocess
import sys
import time
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from handover import tasks as handover_tasks
from jobs import scheduler
from jobs.models import RecurringJob, WorkerHeartbeat
from jobs.worker import Worker


def run_ticks(worker, ticks):
    """Run the worker's loop until it has done `ticks` good passes."""
    original = worker.tick

    def tick():
        original()
        if worker.ticks >= ticks:
            worker.stop()

    worker.tick = tick
    worker.run()


@pytest.mark.django_db(transaction=True)
def test_one_pass_writes_the_heartbeat_seeds_the_jobs_and_runs_the_queue():
    result = handover_tasks.deliver_outbox.enqueue()
    worker = Worker(interval=0, worker_id="host:1")
    worker.run(once=True)
    beat = WorkerHeartbeat.objects.get(worker_id="host:1")
    assert beat.last_seen_at >= beat.started_at
    assert set(RecurringJob.objects.values_list("name", flat=True)) >= {"outbox_sweep", "nightly_reminders"}
    assert RecurringJob.objects.get(name="outbox_sweep").last_status == "ok"  # due at once, so run
    assert DBTaskResult.objects.get(id=result.id).status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_a_clean_stop_removes_the_heartbeat():
    worker = Worker(interval=0, worker_id="host:2")
    run_ticks(worker, 2)
    assert not WorkerHeartbeat.objects.filter(worker_id="host:2").exists()


@pytest.mark.django_db(transaction=True)
def test_a_task_left_running_by_a_killed_worker_is_run_again():
    result = handover_tasks.deliver_outbox.enqueue()
    row = DBTaskResult.objects.get(id=result.id)
    row.claim("killed:9")
    DBTaskResult.objects.filter(id=row.id).update(started_at=timezone.now() - datetime.timedelta(minutes=10))
    worker = Worker(interval=0, worker_id="host:3", stale_seconds=300)
    worker.run(once=True)
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL"
    assert row.worker_ids == ["killed:9", "host:3"]


@pytest.mark.django_db(transaction=True)
def test_a_task_running_less_than_the_stale_interval_is_left_to_its_worker():
    result = handover_tasks.deliver_outbox.enqueue()
    DBTaskResult.objects.get(id=result.id).claim("busy:8")
    Worker(interval=0, worker_id="host:4", stale_seconds=300).run(once=True)
    assert DBTaskResult.objects.get(id=result.id).status == "RUNNING"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("error", [OperationalError("server closed the connection unexpectedly"), RuntimeError("bug")])
def test_the_worker_survives_an_error_and_keeps_working(error, caplog):
    worker = Worker(interval=0, worker_id="host:5", backoff=0.01)
    calls = []
    real_run_due = scheduler.run_due

    def flaky(worker_id, now=None, **kwargs):
        calls.append(worker_id)
        if len(calls) <= 2:
            raise error
        return real_run_due(worker_id, now, **kwargs)

    with mock.patch("jobs.worker.scheduler.run_due", side_effect=flaky):
        run_ticks(worker, 2)
    assert worker.reconnects == 2
    assert worker.ticks == 2
    assert RecurringJob.objects.get(name="outbox_sweep").last_status == "ok"
    assert f"({type(error).__name__})" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_the_worker_survives_a_connection_broken_under_it():
    """The raw database connection is closed behind Django's back (as a server restart does):
    the next query fails, the worker closes the connection, opens a new one and goes on."""
    worker = Worker(interval=0, worker_id="host:6", backoff=0.01)
    broken = []
    original = worker.heartbeat

    def heartbeat():
        if not broken:
            connection.ensure_connection()
            connection.connection.close()
            broken.append(True)
        original()

    worker.heartbeat = heartbeat
    with mock.patch.object(connection, "close_if_unusable_or_obsolete"):  # keep the broken connection in use
        run_ticks(worker, 2)
    assert worker.reconnects == 1
    assert worker.ticks == 2


@pytest.mark.django_db(transaction=True)
def test_the_worker_survives_pg_terminate_backend():
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    import psycopg

    worker = Worker(interval=0, worker_id="host:7", backoff=0.01)
    worker.run(once=True)  # the worker's connection is open (kept: CONN_MAX_AGE below)
    terminated = []
    original = worker.heartbeat

    def heartbeat():
        if not terminated:
            connection.ensure_connection()
            pid = connection.connection.info.backend_pid
            params = connection.get_connection_params()
            params.pop("cursor_factory", None)
            params.pop("context", None)
            with psycopg.connect(**params, autocommit=True) as other:
                other.execute("SELECT pg_terminate_backend(%s)", [pid])
            terminated.append(pid)
        original()

    worker.heartbeat = heartbeat
    with mock.patch.dict(connection.settings_dict, {"CONN_MAX_AGE": None, "CONN_HEALTH_CHECKS": False}):
        run_ticks(worker, 3)
    assert terminated and worker.reconnects == 1
    with connection.cursor() as cursor:  # the worker goes on with a new connection; so does this test
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != terminated[0]
    assert WorkerHeartbeat.objects.filter(worker_id="host:7").exists() is False  # stopped cleanly afterwards


def _worker_process(*args):
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        url = f"sqlite:///{db['NAME']}"
    else:
        url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "heimveg.settings_test", "DATABASE_URL": url}
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", "0.2", "--worker-id", "proc:1", *args],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.mark.running_clock
@pytest.mark.django_db(transaction=True)
def test_the_command_runs_until_sigterm_and_stops_cleanly():
    process = _worker_process()
    try:
        deadline = time.monotonic() + 30
        while not WorkerHeartbeat.objects.filter(worker_id="proc:1").exists():
            assert process.poll() is None, process.stdout.read()
            assert time.monotonic() < deadline, "no heartbeat"
            time.sleep(0.2)
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, output
    assert "worker proc:1 stopped" in output
    assert not WorkerHeartbeat.objects.filter(worker_id="proc:1").exists()
