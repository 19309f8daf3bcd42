"""Indexes for the reports' date-range filters on tables of other apps.

The reports slice ten years of national data by a date: a point's window_closes, a completed
point's outcome_on, an enrolment's diagnosis_date, a handover message's created_at. Without these
indexes each report query reads the whole table. They belong with the models (`Meta.indexes` of
pathway and handover); they are created here only so that the reports app did not add migrations
to apps that were being changed at the same time. Created CONCURRENTLY on PostgreSQL (no write
lock on a live table); IF NOT EXISTS so that moving them into the owning apps later is harmless.
"""

from django.db import migrations

INDEXES = [
    ("reports_point_window_closes", "pathway_collaborationpoint", "(window_closes)", ""),
    ("reports_point_completed_on", "pathway_collaborationpoint", "(outcome_on)", "WHERE outcome = 'completed'"),
    ("reports_enrolment_diagnosis", "pathway_enrolment", "(diagnosis_date)", ""),
    ("reports_message_created", "handover_handovermessage", "(created_at)", ""),
]


def create(apps, schema_editor):
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    for name, table, columns, where in INDEXES:
        schema_editor.execute(f"CREATE INDEX {concurrently}IF NOT EXISTS {name} ON {table} {columns} {where}")


def drop(apps, schema_editor):
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    for name, _table, _columns, _where in INDEXES:
        schema_editor.execute(f"DROP INDEX {concurrently}IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [
        ("pathway", "0005_pathwayevent_event_moved_on_date"),
        ("handover", "0002_remove_handovermessage_handover_ha_acknowl_d6a5fb_idx_and_more"),
    ]
    operations = [migrations.RunPython(create, drop, elidable=False)]
