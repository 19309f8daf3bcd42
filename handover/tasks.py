"""The outbox as a background task (django-tasks, run by `manage.py worker`). Writing a
message enqueues a run after the transaction commits; a run that leaves deliveries waiting for a
retry enqueues the next run for when the first of them is due. Should a task be lost (its worker
killed), the recurring `outbox_sweep` job (jobs/registry.py) delivers what is due anyway.
`manage.py deliver_handovers` works the same outbox from the command line (a sweep after an
outage, or a dedicated worker)."""

from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from handover import outbox


@task()
def deliver_outbox():
    run = outbox.deliver_due()
    if run.attempted and outbox.next_attempt_at() is not None:
        schedule_retry()
    return {"delivered": run.delivered, "retrying": run.retrying, "failed": run.failed}


def enqueue_delivery():
    deliver_outbox.enqueue()


def schedule_retry():
    """Enqueue a run for when the earliest waiting delivery is due, unless one is waiting already."""
    from django_tasks_db.models import DBTaskResult

    due = outbox.next_attempt_at()
    if due is None:
        return None
    waiting = DBTaskResult.objects.filter(task_path=deliver_outbox.module_path, status="READY").filter(
        Q(run_after__isnull=True) | Q(run_after__lte=due)
    )
    if waiting.exists():
        return None
    return deliver_outbox.using(run_after=max(due, timezone.now())).enqueue()
