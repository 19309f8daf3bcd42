"""The recurring jobs: each due run taken once by any number of workers, a failed run logged and
rescheduled like a successful one, a run left "running" by a killed worker blocking nothing."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from jobs import registry, scheduler
from jobs.models import RecurringJob
from jobs.tests.conftest import NOW

MINUTE = datetime.timedelta(minutes=1)


def test_the_next_night_is_always_in_the_future(settings):
    settings.PATHWAY_NIGHTLY_HOUR = 2
    late = timezone.make_aware(datetime.datetime(2026, 11, 23, 3, 0))
    assert registry.next_night_after(late) == timezone.make_aware(datetime.datetime(2026, 11, 24, 2, 0))
    early = timezone.make_aware(datetime.datetime(2026, 11, 23, 1, 0))
    assert registry.next_night_after(early) == timezone.make_aware(datetime.datetime(2026, 11, 23, 2, 0))
    exactly = timezone.make_aware(datetime.datetime(2026, 11, 23, 2, 0))
    assert registry.next_night_after(exactly) == timezone.make_aware(datetime.datetime(2026, 11, 24, 2, 0))


def test_the_registered_jobs_get_their_rows_once(db, settings):
    settings.PATHWAY_NIGHTLY_HOUR = 2
    assert scheduler.ensure_jobs(NOW) == len(registry.JOBS)
    assert scheduler.ensure_jobs(NOW) == 0
    rows = {job.name: job.next_run_at for job in RecurringJob.objects.all()}
    assert set(rows) == set(registry.JOBS)
    assert {
        "nightly_reminders",
        "report_figures",
        "outbox_sweep",
        "throttle_prune",
        "audit_verify",
        "prune_sign_ins",
    } <= set(rows)
    assert rows["outbox_sweep"] == NOW  # interval jobs run at once
    tomorrow_night = timezone.make_aware(datetime.datetime(2026, 12, 8, 2, 0))
    assert rows["nightly_reminders"] == rows["report_figures"] == rows["audit_verify"] == tomorrow_night


def test_a_due_job_runs_and_its_next_run_is_set_before_it_runs(due_probe):
    seen = []
    due_probe.fail = False
    original = registry.JOBS["probe"].run

    def look(now):
        seen.append(RecurringJob.objects.get(name="probe").next_run_at)
        return original(now)

    registry.JOBS["probe"] = registry.Job("probe", look, every_setting="PROBE_SECONDS")
    assert scheduler.run_due("w1", NOW) == [("probe", True)]
    assert seen == [NOW + MINUTE]  # moved on (and committed) before the job ran
    job = RecurringJob.objects.get(name="probe")
    assert (job.last_status, job.last_error, job.running_since, job.locked_by) == ("ok", "", None, "")
    assert job.last_started_at == NOW and job.last_finished_at is not None
    assert scheduler.run_due("w1", NOW) == []  # nothing due until the next run
    assert scheduler.run_due("w1", NOW + MINUTE) == [("probe", True)]


def test_a_failing_job_is_logged_and_rescheduled_like_a_successful_one(due_probe, caplog):
    due_probe.fail = True
    with caplog.at_level("INFO", logger="jobs.scheduler"):
        assert scheduler.run_due("w1", NOW) == [("probe", False)]
    job = RecurringJob.objects.get(name="probe")
    assert (job.last_status, job.last_error) == ("failed", "ValueError")  # the class, never the text
    assert job.next_run_at == NOW + MINUTE
    assert job.running_since is None
    messages = [r.getMessage() for r in caplog.records]
    assert "recurring job probe started by w1" in messages
    assert "recurring job probe failed (ValueError)" in messages
    failed = next(r for r in caplog.records if "failed" in r.getMessage())
    # Logged with its traceback: the exception itself, or its text once the personal-data filter
    # has scrubbed it (the filter keeps only the text).
    assert failed.exc_info or "Traceback" in (failed.exc_text or "")
    due_probe.fail = False
    assert scheduler.run_due("w1", NOW + MINUTE) == [("probe", True)]
    assert RecurringJob.objects.get(name="probe").last_status == "ok"


def test_a_run_left_running_by_a_killed_worker_blocks_nothing(due_probe):
    RecurringJob.objects.filter(name="probe").update(
        running_since=NOW - datetime.timedelta(hours=5), locked_by="dead-host:1", next_run_at=NOW
    )
    assert scheduler.run_due("w2", NOW) == [("probe", True)]
    job = RecurringJob.objects.get(name="probe")
    assert (job.running_since, job.locked_by, job.last_status) == (None, "", "ok")
    assert len(due_probe.runs) == 1


def test_the_throttle_is_pruned_nightly():
    assert registry.JOBS["throttle_prune"].nightly


def test_an_unregistered_job_row_is_left_alone(db):
    RecurringJob.objects.create(name="gone", next_run_at=NOW - MINUTE)
    assert scheduler.run_due("w1", NOW) == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("workers", [2, 4])
def test_workers_that_take_the_same_due_job_at_once_run_it_once(probe, workers):
    probe.delay = 0.2  # still running when the others look
    RecurringJob.objects.create(name="probe", next_run_at=NOW)
    barrier, results, errors = threading.Barrier(workers), [], []

    def worker(n):
        try:
            barrier.wait()
            results.append(scheduler.run_due(f"w{n}", NOW))
        except Exception as error:  # pragma: no cover - shown in the assertion
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(probe.runs) == 1
    assert sorted(results, key=len) == [[]] * (workers - 1) + [[("probe", True)]]
    assert RecurringJob.objects.get(name="probe").next_run_at == NOW + datetime.timedelta(minutes=1)


def test_every_log_line_of_a_job_run_names_the_job(due_probe):
    import io
    import json
    import logging

    from lib.logformat import JsonFormatter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("jobs.scheduler")
    logger.addHandler(handler)
    old_level, logger.level = logger.level, logging.INFO
    try:
        due_probe.fail = True
        scheduler.run_due("w1", NOW)
        logger.info("outside any job")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [(line["message"], line.get("job")) for line in lines] == [
        ("recurring job probe started by w1", "probe"),
        ("recurring job probe failed (ValueError)", "probe"),
        ("outside any job", None),
    ]
    assert "ValueError" in lines[1]["exception"]
