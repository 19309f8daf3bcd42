"""`manage.py worker`: Heimveg's background worker (recurring jobs, the task queue, heartbeat).
See jobs/worker.py. Run as many as you like: each due job runs once."""

import signal

from django.core.management.base import BaseCommand

from jobs.worker import Worker


class Command(BaseCommand):
    help = "Run Heimveg's background worker: recurring jobs and the task queue, surviving database outages."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=5.0, help="Seconds between polls (default 5).")
        parser.add_argument("--once", action="store_true", help="One pass (heartbeat, due jobs, tasks), then exit.")
        parser.add_argument("--worker-id", default=None, help="Defaults to hostname:pid.")

    def handle(self, *args, interval, once, worker_id, **options):
        worker = Worker(interval=interval, worker_id=worker_id)
        signal.signal(signal.SIGTERM, worker.stop)
        signal.signal(signal.SIGINT, worker.stop)
        worker.run(once=once)
