"""The audit tables are append-only in the database itself, for the application's own connection.

PostgreSQL: the application connects as its own role (settings.DB_APP_ROLE, `heimveg_app`), which
may SELECT and INSERT on the audit tables and nothing else there (normal DML elsewhere), while
migrations run as the tables' owner (HEIMVEG_MIGRATE_DATABASE_URL, and HEIMVEG_DB_OWNER_ROLE for a
`SET ROLE` to a NOLOGIN owner). `apply` grants through `ALTER DEFAULT PRIVILEGES`, grants on what
exists, revokes UPDATE, DELETE, TRUNCATE, REFERENCES and TRIGGER on every append-only `audit_*`
table, and adds the append-only trigger to each of them. The migration that introduced it calls it,
and so does a post_migrate handler after every `migrate`, so an audit table a later migration adds
(or a role created after the last migration) is covered without another migration.

SQLite (the development and test database): triggers refuse UPDATE, DELETE and INSERT OR REPLACE on
every append-only `audit_*` table, and every connection the application opens gets an authorizer
(`sqlite3.Connection.set_authorizer`) that refuses DELETE and UPDATE on those tables, and DROP
TABLE, ALTER TABLE, CREATE or DROP TRIGGER on them, and `PRAGMA writable_schema`, unless the schema
guard is relaxed: by `migrate` and `flush` (audit/management/commands) or by `unguarded()` (tests
that play an attacker with the file in hand). The triggers ask the connection's function
`heimveg_audit_locked()`, so they too give way only to a relaxed guard; a connection that is not
Heimveg's (the sqlite3 shell) does not have that function and cannot UPDATE or DELETE at all.
"""

import contextlib
import logging
import sqlite3
import threading

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

AUDIT_TABLE_PREFIX = "audit_"
# audit_* tables the application must be able to change: not append-only. The hash chain's head row
# (AuditChainHead, issue 16 item 5) is updated under a row lock by every audit write.
MUTABLE_AUDIT_TABLES = frozenset({"audit_auditchainhead"})
APPEND_ONLY_MESSAGE = "audit log is append-only"

# --- The schema guard: relaxed while migrating (or flushing a test database) ----------------------

_lock = threading.Lock()
_relaxed = 0


def relaxed() -> bool:
    return _relaxed > 0


@contextlib.contextmanager
def unguarded():
    """Relax the guard for this process: schema changes (migrate), `flush`, and tests that tamper
    with the log on purpose to show that it is found."""
    global _relaxed
    with _lock:
        _relaxed += 1
    try:
        yield
    finally:
        with _lock:
            _relaxed -= 1


def is_append_only(table) -> bool:
    if not table:
        return False
    name = table.lower()
    return name.startswith(AUDIT_TABLE_PREFIX) and name not in MUTABLE_AUDIT_TABLES


# --- SQLite: the authorizer and the triggers ------------------------------------------------------

_TABLE_IN_ARG1 = {sqlite3.SQLITE_DELETE, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DROP_TABLE}
_TABLE_IN_ARG2 = {
    sqlite3.SQLITE_ALTER_TABLE,
    sqlite3.SQLITE_CREATE_TRIGGER,
    sqlite3.SQLITE_CREATE_TEMP_TRIGGER,
    sqlite3.SQLITE_DROP_TRIGGER,
    sqlite3.SQLITE_DROP_TEMP_TRIGGER,
}


def authorize(action, arg1, arg2, db_name, source):
    """sqlite3 authorizer: refuse changing or dropping the audit log outside migrations."""
    if _relaxed:
        return sqlite3.SQLITE_OK
    if action in _TABLE_IN_ARG1 and is_append_only(arg1):
        return sqlite3.SQLITE_DENY
    if action in _TABLE_IN_ARG2 and is_append_only(arg2):
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_PRAGMA and (arg1 or "").lower() == "writable_schema" and arg2 is not None:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def _audit_locked():
    return 0 if _relaxed else 1


def guard_sqlite_connection(sender, connection, **kwargs):
    """connection_created: every SQLite connection Django opens gets the authorizer and the
    function the triggers ask."""
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    raw.create_function("heimveg_audit_locked", 0, _audit_locked)
    raw.set_authorizer(authorize)


def _sqlite_triggers(table):
    refuse = f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
    return {
        f"{table}_no_update": f"BEFORE UPDATE ON {table} WHEN heimveg_audit_locked() {refuse}",
        f"{table}_no_delete": f"BEFORE DELETE ON {table} WHEN heimveg_audit_locked() {refuse}",
        # INSERT OR REPLACE with an existing id would replace (that is, change) an entry.
        f"{table}_no_replace": (
            f"BEFORE INSERT ON {table} WHEN heimveg_audit_locked() "
            f"AND EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id) {refuse}"
        ),
    }


def _apply_sqlite(connection):
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = [name for (name,) in cursor.fetchall() if is_append_only(name)]
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        existing = dict(cursor.fetchall())
        for table in tables:
            cursor.execute(f"PRAGMA table_info({table})")
            if "id" not in {row[1] for row in cursor.fetchall()}:
                continue
            for name, body in _sqlite_triggers(table).items():
                # The first migration's update trigger had no WHEN: replace anything older.
                if name in existing and "heimveg_audit_locked" in (existing[name] or ""):
                    continue
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                cursor.execute(f"CREATE TRIGGER {name} {body}")


# --- PostgreSQL: privileges of the application role -----------------------------------------------

POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}';
END;
$$ LANGUAGE plpgsql
"""


def _role_exists(cursor, role):
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    return cursor.fetchone() is not None


def _apply_postgres(connection):
    quote = connection.ops.quote_name
    app_role = settings.DB_APP_ROLE
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [schema])
        tables = [name for (name,) in cursor.fetchall() if is_append_only(name)]
        cursor.execute(POSTGRES_FUNCTION)
        for table in tables:
            trigger = f"{table}_append_only"
            cursor.execute(
                "SELECT 1 FROM pg_trigger WHERE tgname = %s AND tgrelid = %s::regclass", [trigger, quote(table)]
            )
            if cursor.fetchone() is None:
                cursor.execute(
                    f"CREATE TRIGGER {quote(trigger)} BEFORE UPDATE OR DELETE ON {quote(table)} "
                    "FOR EACH ROW EXECUTE FUNCTION audit_append_only()"
                )
        if not app_role:
            return
        if not _role_exists(cursor, app_role):
            logger.warning("The application role %s does not exist: no privileges granted.", app_role)
            return
        role, schema = quote(app_role), quote(schema)
        cursor.execute(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
        cursor.execute(
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}"
        )
        cursor.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {role}")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}")
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}")
        for table in tables:
            cursor.execute(f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {quote(table)} FROM {role}")


def apply(connection):
    """Make every append-only audit table append-only for the application (idempotent)."""
    if connection.vendor == "postgresql":
        _apply_postgres(connection)
    elif connection.vendor == "sqlite":
        with unguarded():
            _apply_sqlite(connection)


def apply_after_migrate(sender, using="default", **kwargs):
    """post_migrate (sent once per app; acts once, for the audit app)."""
    if sender.name != "audit":
        return
    from django.db import connections

    apply(connections[using])


def set_owner_role(sender, connection, **kwargs):
    """connection_created while migrating on PostgreSQL: `SET ROLE` to the owner role, if one is
    configured, so that every table belongs to it (HEIMVEG_DB_OWNER_ROLE)."""
    owner = getattr(settings, "DB_OWNER_ROLE", "")
    if connection.vendor != "postgresql" or not owner or not _relaxed:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {connection.ops.quote_name(owner)}")
