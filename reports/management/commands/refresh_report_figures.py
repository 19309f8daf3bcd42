"""Compute the reports' monthly figures now (the nightly task does the same)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from reports import figures, tasks


class Command(BaseCommand):
    help = "Compute the oversight reports' monthly figures from the pathway data, as of today."

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule", action="store_true", help="Also enqueue the nightly refresh (needs a running db_worker)."
        )

    def handle(self, *args, **options):
        result = figures.refresh(timezone.localdate())
        self.stdout.write(f"Report figures as of {result.as_of}: {result.rows} rows in {result.seconds} s.")
        if options["schedule"]:
            tasks.schedule_next_night()
            self.stdout.write("The nightly refresh is scheduled.")
