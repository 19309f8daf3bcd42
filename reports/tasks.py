"""The nightly refresh of the report figures (django-tasks). Like pathway's nightly task it
reschedules itself; `manage.py refresh_report_figures --schedule` starts the chain once."""

from django.utils import timezone
from django_tasks import task

from pathway.tasks import next_run_after
from reports import figures


@task()
def nightly_report_figures():
    result = figures.refresh(timezone.localdate())
    schedule_next_night()
    return {"rows": result.rows, "seconds": result.seconds}


def schedule_next_night(now=None):
    """Enqueue the next nightly run unless one is already waiting."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=nightly_report_figures.module_path, status="READY")
    if waiting.exists():
        return None
    return nightly_report_figures.using(run_after=next_run_after(now or timezone.now())).enqueue()
