import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from synthetic.demo import load_demo, login_table


class Command(BaseCommand):
    help = "Load synthetic demo data (organisations, users in every role, patients). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="The day the demo is built around, YYYY-MM-DD (default: today). Every date in it is "
            "relative to this one.",
        )

    def handle(self, *args, **options):
        if not settings.ALLOW_SYNTHETIC_NATIONAL_IDS:
            raise CommandError("Demo data uses synthetic identity numbers: run with HEIMVEG_DEMO=1.")
        patients, enrolments = load_demo(options["today"] or timezone.localdate())
        self.stdout.write(f"Demo data ready ({patients} new patients, {enrolments} new enrolments).")
        self.stdout.write(login_table())
        self.stdout.write("Open http://127.0.0.1:8000 and sign in.")
