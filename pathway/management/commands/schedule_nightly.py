"""The nightly status update and reminders are a recurring job (`nightly_reminders`, jobs/registry.py)
run by `manage.py worker`; nothing needs scheduling by hand any more. `--now` runs them at once."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from pathway import reminders


class Command(BaseCommand):
    help = "Nothing to schedule: `manage.py worker` runs the nightly reminders. --now runs them at once."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Run the status update and reminders now.")

    def handle(self, *args, now=False, **options):
        if now:
            result = reminders.run(timezone.localdate())
            self.stdout.write(
                f"Reminders run: {result.marked} points marked, {result.emails} e-mails, "
                f"{result.unaddressed} organisations without an e-mail address (alerted)."
            )
        self.stdout.write("The nightly reminders are a recurring job: `manage.py worker` runs them every night.")
