"""Changing the audit log behind the application's back, as an attacker with the database's
owner rights would: on PostgreSQL with the triggers switched off for the transaction
(session_replication_role, which the tests' superuser may set), on SQLite by dropping the
triggers and creating them again afterwards. Only for tests."""

from contextlib import contextmanager

from django.db import connection, transaction

from audit import hardening

TABLES = ("audit_auditentry", "audit_auditentrypatient", "audit_auditcheckpoint")


@contextmanager
def triggers_off():
    # The application's SQLite guard (audit/hardening.py) refuses this too, unless relaxed.
    with hardening.unguarded(), transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
            yield cursor
            cursor.execute("SET LOCAL session_replication_role = origin")
        else:
            marks = ", ".join(["%s"] * len(TABLES))
            cursor.execute(
                f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({marks})", TABLES
            )
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            yield cursor
            for _name, sql in triggers:
                cursor.execute(sql)


def tamper(sql, params=()):
    with triggers_off() as cursor:
        cursor.execute(sql, params)
