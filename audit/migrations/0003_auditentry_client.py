"""The system that called the FHIR API, on entries made through it.

On SQLite, adding a NOT NULL column rebuilds the table, which drops its triggers: the
append-only trigger of 0002 is created again afterwards. PostgreSQL adds the column in place and
keeps its trigger.
"""

from django.db import migrations, models

SQLITE_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS audit_auditentry_no_update BEFORE UPDATE ON audit_auditentry
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
"""


def recreate_sqlite_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="client",
            field=models.CharField(
                blank=True,
                help_text="The organisation's system that called the FHIR API, if the access came through it.",
                max_length=100,
                verbose_name="through system",
            ),
        ),
        migrations.RunPython(recreate_sqlite_trigger, migrations.RunPython.noop),
    ]
