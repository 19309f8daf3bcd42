# The nightly reminders and report figures were django-tasks that re-enqueued themselves; they are
# recurring jobs now (jobs/registry.py). Their waiting task rows would only fail (the task code is
# gone), so they are removed; finished rows stay as history.

from django.db import migrations

OLD_TASKS = ["pathway.tasks.nightly_reminders", "reports.tasks.nightly_report_figures"]


def forwards(apps, schema_editor):
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    DBTaskResult.objects.filter(task_path__in=OLD_TASKS, status="READY").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0001_initial"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
