"""The audit tables are append-only for the application's own connection (audit/hardening.py).

PostgreSQL: the application role (settings.DB_APP_ROLE) gets SELECT, INSERT, UPDATE, DELETE on
the tables (now and, through ALTER DEFAULT PRIVILEGES, those created later) and only SELECT and
INSERT on every append-only audit_* table; each gets the append-only trigger. SQLite: triggers
refuse UPDATE, DELETE and INSERT OR REPLACE, asking the connection's guard (relaxed while
migrating). The same function runs after every `migrate` (post_migrate), so audit tables added
by later migrations, and rebuilt SQLite tables that lost their triggers, are covered again.
"""

from django.db import migrations


def apply(apps, schema_editor):
    from audit import hardening

    hardening.apply(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_hash_chain")]
    operations = [migrations.RunPython(apply, migrations.RunPython.noop)]
