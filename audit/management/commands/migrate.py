"""`migrate` as the owner of the tables, with the audit log's schema guard relaxed.

The application connects with DATABASE_URL (on PostgreSQL the application role, which may not
change the audit log or the schema). Migrations need the owner: with HEIMVEG_MIGRATE_DATABASE_URL
set, this command connects with that URL's user, password, host and port instead (the database
name stays DATABASE_URL's), and with HEIMVEG_DB_OWNER_ROLE set it does `SET ROLE` to that role on
every connection it opens, so that every table belongs to it. See docs/operations.md.
"""

import dj_database_url
from django.conf import settings
from django.core.management.commands import migrate
from django.db import connections

from audit import hardening


def use_migration_credentials(alias):
    url = getattr(settings, "MIGRATE_DATABASE_URL", "")
    if not url:
        return
    parsed = dj_database_url.parse(url)
    connection = connections[alias]
    if connection.in_atomic_block:
        return
    connection.close()
    for key in ("USER", "PASSWORD", "HOST", "PORT"):
        connection.settings_dict[key] = parsed.get(key, "")


class Command(migrate.Command):
    def handle(self, *args, **options):
        connection = connections[options["database"]]
        use_migration_credentials(options["database"])
        outside_transaction = not connection.in_atomic_block
        if outside_transaction:
            connection.close()  # opened again with the guard relaxed (and the owner's role)
        with hardening.unguarded():
            try:
                return super().handle(*args, **options)
            finally:
                if outside_transaction:
                    connection.close()
