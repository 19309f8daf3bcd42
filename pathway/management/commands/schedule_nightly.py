from django.core.management.base import BaseCommand

from pathway.tasks import nightly_reminders, schedule_next_night


class Command(BaseCommand):
    help = "Make sure the nightly status update and reminders are queued (run once; it reschedules itself)."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Also queue a run right away.")

    def handle(self, *args, now=False, **options):
        if now:
            nightly_reminders.enqueue()  # the run reschedules itself for the next night
            self.stdout.write("Reminders queued to run now.")
        elif schedule_next_night():
            self.stdout.write("Nightly reminders queued.")
        else:
            self.stdout.write("Nightly reminders were already queued.")
