"""Verify the audit log's hash chain, publish its head and store it as a signed checkpoint.

Runs every night in the worker (the recurring job `audit_verify`); run it by hand any time. Exits
with an error when the chain is broken (the problems are printed, logged and mailed to ADMINS).
"""

from django.core.management.base import BaseCommand, CommandError

from audit.verify import published, verify, verify_and_publish


class Command(BaseCommand):
    help = "Verify the audit log's hash chain, then publish its head (log, ADMINS) as a signed checkpoint."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-publish", action="store_true", help="only check: no log line, no mail, no new checkpoint"
        )

    def handle(self, *args, **options):
        result = verify() if options["no_publish"] else verify_and_publish()
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(problem)
            raise CommandError(f"the audit log's hash chain is broken: {result.problem_count} problems")
        self.stdout.write(
            f"audit chain whole: {result.checked} entries; head seq {result.head_seq}, id {result.head_id}, "
            f"sha256 {published(result.head_hash)}"
        )
