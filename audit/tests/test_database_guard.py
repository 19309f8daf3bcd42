"""The audit log is append-only for the application's own database connection (audit/hardening.py).

SQLite: triggers refuse UPDATE, DELETE and INSERT OR REPLACE, and the authorizer on every
connection Heimveg opens refuses DELETE, UPDATE, DROP TABLE, ALTER TABLE and CREATE/DROP TRIGGER on
the audit tables outside migrations. PostgreSQL: the application role may INSERT and SELECT there,
nothing else, while the suite (the owner) runs the migrations.
"""

import sqlite3

import psycopg
import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from audit import hardening
from audit.models import AuditEntry
from audit.services import record

Action = AuditEntry.Action


@pytest.fixture
def entry(db):
    return record(None, Action.EMERGENCY_ACCESS, detail="test", emergency=True, reason="test")


def refused(sql, params=()):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def on_sqlite(db):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite guard (PostgreSQL has the application role: test_the_application_role_*)")


def triggers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_auditentry'")
        return {name for (name,) in cursor.fetchall()}


def test_sqlite_raw_delete_and_orm_bulk_delete_are_refused(on_sqlite, entry):
    refused("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    refused("DELETE FROM audit_auditentry")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(emergency=True)._raw_delete(connection.alias)
    assert AuditEntry.objects.filter(pk=entry.pk, emergency=True).exists()


def test_sqlite_raw_update_and_replace_are_refused(on_sqlite, entry):
    refused("UPDATE audit_auditentry SET detail = 'tampered' WHERE id = %s", [entry.pk])
    refused("INSERT OR REPLACE INTO audit_auditentry SELECT * FROM audit_auditentry WHERE id = %s", [entry.pk])
    refused(
        "INSERT INTO audit_auditentry SELECT * FROM audit_auditentry WHERE id = %s "
        "ON CONFLICT (id) DO UPDATE SET detail = 'tampered'",
        [entry.pk],
    )
    assert AuditEntry.objects.get(pk=entry.pk).detail == "test"


def test_sqlite_the_schema_of_the_log_cannot_be_changed_by_the_application(on_sqlite, entry):
    before = triggers()
    assert {"audit_auditentry_no_update", "audit_auditentry_no_delete", "audit_auditentry_no_replace"} <= before
    refused("DROP TRIGGER audit_auditentry_no_update")
    refused("DROP TRIGGER audit_auditentry_no_delete")
    refused("DROP TABLE audit_auditentry")
    refused("ALTER TABLE audit_auditentry RENAME TO audit_old")
    refused("ALTER TABLE audit_auditentry ADD COLUMN x integer")
    refused("CREATE TRIGGER audit_sneaky AFTER INSERT ON audit_auditentry BEGIN SELECT 1; END")
    refused("PRAGMA writable_schema = ON")
    # Nor through a trigger on another table that deletes from the log: refused when it fires.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE decoy (x integer)")
        cursor.execute("CREATE TEMP TRIGGER sneaky AFTER INSERT ON decoy BEGIN DELETE FROM audit_auditentry; END")
        cursor.execute("INSERT INTO decoy VALUES (1)")
    assert triggers() == before
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_sqlite_the_triggers_refuse_without_the_authorizer_too(on_sqlite, entry):
    connection.connection.set_authorizer(None)
    try:
        refused("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
        refused("UPDATE audit_auditentry SET detail = 'tampered' WHERE id = %s", [entry.pk])
    finally:
        connection.connection.set_authorizer(hardening.authorize)
    assert AuditEntry.objects.get(pk=entry.pk).detail == "test"


def test_sqlite_a_connection_that_is_not_heimvegs_cannot_delete(on_sqlite, entry):
    other = sqlite3.connect(connection.settings_dict["NAME"], timeout=1)
    try:
        with pytest.raises(sqlite3.OperationalError, match="heimveg_audit_locked"):
            other.execute("DELETE FROM audit_auditentry")
    finally:
        other.close()


def test_sqlite_migrations_may_change_the_schema_and_apply_restores_the_triggers(on_sqlite, entry):
    with hardening.unguarded(), connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER audit_auditentry_no_delete")
    assert "audit_auditentry_no_delete" not in triggers()
    hardening.apply(connection)  # what post_migrate does after every migrate
    assert "audit_auditentry_no_delete" in triggers()
    refused("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    # Inserting and reading are untouched.
    record(None, Action.VIEW, detail="after")
    assert AuditEntry.objects.filter(detail="after").exists()


# --- PostgreSQL: the application role --------------------------------------------------------------


def app_role_connection():
    s = connection.settings_dict
    return psycopg.connect(
        dbname=s["NAME"], user=settings.DB_APP_ROLE, host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432
    )


def columns(table):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = %s AND column_name <> 'id' ORDER BY ordinal_position",
            [table],
        )
        return ", ".join(f'"{name}"' for (name,) in cursor.fetchall())


@pytest.mark.django_db(transaction=True)
def test_the_application_role_may_insert_and_select_only_on_the_audit_log():
    if connection.vendor != "postgresql":
        pytest.skip("the application role is PostgreSQL's (SQLite has its guard: test_sqlite_*)")
    entry = record(None, Action.VIEW, detail="owner wrote this")
    names = columns("audit_auditentry")
    with app_role_connection() as app:
        cursor = app.cursor()
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == settings.DB_APP_ROLE
        # A copy in the next chain position (seq is unique): the role may INSERT.
        copy = names.replace('"seq"', "(SELECT max(seq) + 1 FROM audit_auditentry)")
        cursor.execute(
            f"INSERT INTO audit_auditentry ({names}) SELECT {copy} FROM audit_auditentry WHERE id = %s RETURNING id",
            [entry.pk],
        )
        copied = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM audit_auditentry WHERE detail = 'owner wrote this'")
        assert cursor.fetchone()[0] == 2
        app.commit()
        for sql in (
            f"UPDATE audit_auditentry SET detail = 'tampered' WHERE id = {entry.pk}",
            f"DELETE FROM audit_auditentry WHERE id = {entry.pk}",
            "TRUNCATE audit_auditentry",
            "DROP TRIGGER audit_auditentry_append_only ON audit_auditentry",
            "ALTER TABLE audit_auditentry DISABLE TRIGGER ALL",
            "DROP TABLE audit_auditentry",
            f"INSERT INTO audit_auditentry ({names}) SELECT {names} FROM audit_auditentry WHERE id = {entry.pk} "
            "ON CONFLICT (id) DO UPDATE SET detail = 'tampered'",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                cursor.execute(sql)
            app.rollback()
        # Everywhere else the role has normal DML (the application's work).
        cursor.execute("SELECT has_table_privilege(current_user, 'patients_patient', 'UPDATE, DELETE')")
        assert cursor.fetchone()[0] is True
    assert AuditEntry.objects.filter(detail="owner wrote this").count() == 2
    assert AuditEntry.objects.filter(pk=copied).exists()


@pytest.mark.django_db
def test_the_application_role_has_no_change_privilege_on_any_audit_table():
    if connection.vendor != "postgresql":
        pytest.skip("the application role is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE 'audit%%'"
        )
        tables = [name for (name,) in cursor.fetchall() if hardening.is_append_only(name)]
        assert "audit_auditentry" in tables
        for table in tables:
            for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "TRIGGER", "REFERENCES"):
                cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [settings.DB_APP_ROLE, table, privilege])
                assert cursor.fetchone()[0] is (privilege in ("SELECT", "INSERT")), (table, privilege)
            cursor.execute("SELECT 1 FROM pg_trigger WHERE tgname = %s", [f"{table}_append_only"])
            assert cursor.fetchone(), table
