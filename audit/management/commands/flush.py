"""`flush` empties every table, the audit log included (the test runner between transactional
tests, a developer's database): it runs with the audit log's schema guard relaxed. On PostgreSQL
it needs TRUNCATE, which the application role does not have on the audit tables."""

from django.core.management.commands import flush

from audit import hardening


class Command(flush.Command):
    def handle(self, *args, **options):
        with hardening.unguarded():
            return super().handle(*args, **options)
