"""Compute the reports' monthly figures now (the nightly recurring job `report_figures`, run by
`manage.py worker`, does the same every night)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from reports import figures
from reports.public import compute


class Command(BaseCommand):
    help = "Compute the oversight reports' monthly figures and the public delivery figures, as of today."

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule", action="store_true", help="Kept for old scripts: `manage.py worker` refreshes them nightly."
        )

    def handle(self, *args, **options):
        result = figures.refresh(timezone.localdate())
        self.stdout.write(f"Report figures as of {result.as_of}: {result.rows} rows in {result.seconds} s.")
        areas = compute.refresh(result.as_of)
        self.stdout.write(f"Public delivery figures of {compute.last_full_year(result.as_of)}: {areas} areas.")
        if options["schedule"]:
            self.stdout.write("Nothing to schedule: `manage.py worker` refreshes the figures every night.")
