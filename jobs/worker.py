"""Heimveg's background worker (`manage.py worker`): one loop that

- writes this worker's heartbeat (`WorkerHeartbeat`, read by /healthz),
- runs the recurring jobs that are due (`jobs.scheduler`),
- puts django-tasks rows left RUNNING longer than TASK_STALE_SECONDS (a worker killed mid-task)
  back in the queue, and runs the queue's ready tasks (django-tasks' database backend, run by its
  own worker class, so results and signals are as with `db_worker`),
- survives a lost database connection (any DatabaseError, also a broken one): it closes the
  connection, waits with back-off (1 s doubling to 30 s) and goes on; it never exits on its own,
- stops cleanly on SIGTERM/SIGINT (after the task or job in hand).
"""

import datetime
import logging
import os
import socket
import threading
import time

from django.conf import settings
from django.db import DatabaseError, OperationalError, close_old_connections, connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker as TaskWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from jobs import scheduler
from jobs.models import WorkerHeartbeat
from lib.logformat import job_context

logger = logging.getLogger(__name__)
MAX_BACKOFF_SECONDS = 30
TASKS_PER_TICK = 100
PAUSE_STEP_SECONDS = 0.1  # how soon a paused worker notices it was asked to stop
FORGET_WORKERS_AFTER = datetime.timedelta(days=1)


def default_worker_id():
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


class Worker:
    def __init__(self, *, interval=5.0, worker_id=None, stale_seconds=None, backend_name="default", backoff=1.0):
        self.interval = interval
        self.first_backoff = backoff
        self.worker_id = worker_id or default_worker_id()
        self.stale_seconds = settings.TASK_STALE_SECONDS if stale_seconds is None else stale_seconds
        self.backend_name = backend_name
        self.stopping = threading.Event()
        self.started_at = timezone.now()
        self.ticks = 0
        self.reconnects = 0
        self.tasks = TaskWorker(
            queue_names=["*"],
            interval=interval,
            batch=True,
            backend_name=backend_name,
            startup_delay=False,
            max_tasks=None,
            worker_id=self.worker_id[:64],
            excluded_queue_names=[],
        )

    def pause(self, seconds):
        """Wait `seconds`, or less when asked to stop. Short sleeps rather than a timed
        Event.wait: a timed wait on a condition never times out under libfaketime (the suite's
        faketime runs), while sleeping does."""
        deadline = time.monotonic() + seconds
        while not self.stopping.is_set() and (left := deadline - time.monotonic()) > 0:
            time.sleep(min(left, PAUSE_STEP_SECONDS))

    def stop(self, *args):
        if not self.stopping.is_set():
            logger.info("worker %s stopping", self.worker_id)
        self.stopping.set()

    def run(self, once=False):
        logger.info("worker %s started (every %s s)", self.worker_id, self.interval)
        backoff = self.first_backoff
        while not self.stopping.is_set():
            try:
                self.tick()
            except Exception as error:
                if isinstance(error, OperationalError) and error.args and is_locked_database_exception(error):
                    self.pause(min(self.interval, 1.0))  # SQLite busy: simply try again soon
                    continue
                self.reconnects += 1
                if isinstance(error, DatabaseError):
                    logger.warning(
                        "worker %s lost its database connection (%s); reconnecting in %.1f s",
                        self.worker_id,
                        type(error).__name__,
                        backoff,
                    )
                else:  # a bug: logged, and the worker goes on (it never exits on its own)
                    logger.exception(
                        "worker %s failed (%s); going on in %.1f s", self.worker_id, type(error).__name__, backoff
                    )
                self.reset_connection()
                if once:
                    break
                self.pause(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                continue
            backoff = self.first_backoff
            if once:
                break
            self.pause(self.interval)
        if self.stopping.is_set():
            try:
                self.remove_heartbeat()  # a worker that stopped cleanly is not a stale one
            except DatabaseError:
                pass
        self.reset_connection()
        logger.info("worker %s stopped", self.worker_id)

    @staticmethod
    def reset_connection():
        try:
            connection.close()
        except Exception:  # a connection that is already broken may fail to close; it is gone either way
            logger.debug("closing a broken connection failed", exc_info=True)
        close_old_connections()

    def tick(self):
        close_old_connections()
        if self.ticks == 0:
            scheduler.ensure_jobs()
            WorkerHeartbeat.objects.filter(last_seen_at__lt=timezone.now() - FORGET_WORKERS_AFTER).delete()
        self.heartbeat()
        self.requeue_stale_tasks()
        scheduler.run_due(self.worker_id)
        for _ in range(TASKS_PER_TICK):
            if self.stopping.is_set() or not self.run_next_task():
                break
        self.ticks += 1

    def heartbeat(self):
        now = timezone.now()
        updated = WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(last_seen_at=now)
        if not updated:
            WorkerHeartbeat.objects.update_or_create(
                worker_id=self.worker_id, defaults={"started_at": self.started_at, "last_seen_at": now}
            )

    def requeue_stale_tasks(self):
        cutoff = timezone.now() - datetime.timedelta(seconds=self.stale_seconds)
        stale = DBTaskResult.objects.running().filter(backend_name=self.backend_name, started_at__lt=cutoff)
        requeued = stale.update(status="READY", started_at=None)
        if requeued:
            logger.warning("worker %s put %s stale running task(s) back in the queue", self.worker_id, requeued)
        return requeued

    def run_next_task(self):
        """Claim and run one ready task; False when none is ready."""
        ready = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        with exclusive_transaction(ready.db):
            task_result = ready.get_locked()
            if task_result is None:
                return False
            task_result.claim(self.worker_id[:64])
        with job_context(task_result.task_path):  # django-tasks logs the task's start, end and failure
            self.tasks.run_task(task_result)
        return True

    def remove_heartbeat(self):
        WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
