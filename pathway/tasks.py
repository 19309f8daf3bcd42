"""Background tasks (django-tasks). The nightly task reschedules itself for the next night, so a
running worker is all it needs; `manage.py schedule_nightly` starts the chain once."""

import datetime

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from pathway import reminders


def next_run_after(now):
    """The next nightly run time (local), strictly after `now`."""
    local = timezone.localtime(now)
    at = local.replace(hour=settings.PATHWAY_NIGHTLY_HOUR, minute=0, second=0, microsecond=0)
    return at if at > local else at + datetime.timedelta(days=1)


@task()
def nightly_reminders():
    result = reminders.run(timezone.localdate())
    schedule_next_night()
    return {"marked": result.marked, "emails": result.emails}


def schedule_next_night(now=None):
    """Enqueue the next nightly run unless one is already waiting."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=nightly_reminders.module_path, status="READY")
    if waiting.exists():
        return None
    return nightly_reminders.using(run_after=next_run_after(now or timezone.now())).enqueue()
