"""The hash chain (audit/chain.py), list entries that name their patients in a through table, and
the checkpoints verify_audit publishes.

Existing entries are chained in id order, their time kept as it is (the chain starts with them);
the head row is created from the newest. On SQLite the new columns rebuild the table, which drops
its triggers: every trigger on the audit table is read before and created again after. On
PostgreSQL the through table and the checkpoints get the append-only trigger of 0002.
"""

import django.db.models.deletion
import django.db.models.functions.datetime
from django.db import migrations, models


_SQLITE_TRIGGERS = []
SQLITE_NO_UPDATE = """
CREATE TRIGGER IF NOT EXISTS audit_auditentry_no_update BEFORE UPDATE ON audit_auditentry
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
"""


def recreate_sqlite_trigger(apps, schema_editor):
    """Backwards, the table is rebuilt again: 0002's trigger comes back."""
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_NO_UPDATE)


def remember_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_auditentry'")
        _SQLITE_TRIGGERS[:] = [row[0] for row in cursor.fetchall()]


def chain_existing_entries(apps, schema_editor):
    from audit.chain import GENESIS, link_hash

    connection = schema_editor.connection
    postgres = connection.vendor == "postgresql"
    AuditEntry = apps.get_model("audit", "AuditEntry")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    fields = ("id", "seq", "occurred_at", "user_id", "username", "organisation_id", "role", "client")
    fields += ("patient_public_id", "action", "object_type", "detail", "emergency", "reason", "ip_address")
    prev_hash, seq, last_at, updates = GENESIS, 0, None, []
    for row in AuditEntry.objects.order_by("id").values(*fields[:1], *fields[2:]).iterator(chunk_size=5000):
        seq += 1
        values = {**row, "seq": seq}
        hash_ = link_hash(values, [], prev_hash)
        updates.append((seq, prev_hash, hash_, row["id"]))
        prev_hash, last_at = hash_, row["occurred_at"]
    with connection.cursor() as cursor:
        if not postgres:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_auditentry'")
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER "{name}"')  # created again by harden()
        if updates:
            if postgres:
                cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_append_only")
            cursor.executemany(
                'UPDATE audit_auditentry SET seq = %s, prev_hash = %s, "hash" = %s WHERE id = %s', updates
            )
            if postgres:
                cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_auditentry_append_only")
    AuditChainHead.objects.create(id=1, seq=seq, hash=prev_hash if seq else "", occurred_at=last_at)


def harden(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        for sql in _SQLITE_TRIGGERS:
            schema_editor.execute(sql.replace("CREATE TRIGGER ", "CREATE TRIGGER IF NOT EXISTS ", 1))
        schema_editor.execute(SQLITE_NO_UPDATE)
        for table in ("audit_auditentrypatient", "audit_auditcheckpoint"):
            schema_editor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"
            )
    elif connection.vendor == "postgresql":
        for table in ("audit_auditentrypatient", "audit_auditcheckpoint"):
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION audit_append_only()"
            )


def unharden(apps, schema_editor):
    connection = schema_editor.connection
    for table in ("audit_auditentrypatient", "audit_auditcheckpoint"):
        if connection.vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
        elif connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_auditentry_client'),
    ]

    operations = [
        migrations.RunPython(remember_sqlite_triggers, recreate_sqlite_trigger),
        migrations.CreateModel(
            name='AuditChainHead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seq', models.PositiveBigIntegerField(default=0)),
                ('hash', models.CharField(blank=True, max_length=64)),
                ('occurred_at', models.DateTimeField(null=True)),
            ],
            options={
                'verbose_name': 'audit chain head',
                'verbose_name_plural': 'audit chain head',
            },
        ),
        migrations.CreateModel(
            name='AuditCheckpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(db_default=django.db.models.functions.datetime.Now())),
                ('seq', models.PositiveBigIntegerField()),
                ('entry_id', models.BigIntegerField(null=True)),
                ('hash', models.CharField(blank=True, max_length=64)),
                ('signature', models.CharField(max_length=64)),
            ],
            options={
                'verbose_name': 'audit checkpoint',
                'verbose_name_plural': 'audit checkpoints',
                'ordering': ['-id'],
            },
        ),
        migrations.AddField(
            model_name='auditentry',
            name='hash',
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='prev_hash',
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='seq',
            field=models.PositiveBigIntegerField(editable=False, null=True, unique=True, verbose_name='chain position'),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='occurred_at',
            field=models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), db_index=True, verbose_name='when'),
        ),
        migrations.CreateModel(
            name='AuditEntryPatient',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveIntegerField()),
                ('patient_public_id', models.UUIDField(db_index=True)),
                ('entry', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='patients', to='audit.auditentry')),
            ],
            options={
                'verbose_name': 'patient of an audit entry',
                'verbose_name_plural': 'patients of audit entries',
                'constraints': [models.UniqueConstraint(fields=('entry', 'position'), name='audit_entry_patient_position')],
            },
        ),
        migrations.RunPython(chain_existing_entries, migrations.RunPython.noop),
        migrations.RunPython(harden, unharden),
    ]
