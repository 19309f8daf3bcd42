"""The outbox sweep: a delivery left behind (its task lost with a killed worker) is delivered by
the recurring `outbox_sweep` job within HANDOVER_OUTBOX_SWEEP_SECONDS, with no new handover
written and no task in the queue."""

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from handover.models import Delivery, HandoverMessage
from jobs.models import RecurringJob
from jobs.worker import Worker


@pytest.fixture
def left_behind(sp1_assessment, complete, receivers_with_addresses):
    messages = list(complete(sp1_assessment))
    DBTaskResult.objects.all().delete()  # the enqueued delivery task died with its worker
    return messages


@pytest.mark.django_db(transaction=True)
def test_a_worker_delivers_what_was_left_behind_without_a_new_handover(left_behind, settings):
    settings.HANDOVER_OUTBOX_SWEEP_SECONDS = 2
    Worker(interval=0, worker_id="sweeper:1").run(once=True)
    assert not Delivery.objects.filter(status=Delivery.Status.PENDING).exists()
    assert all(m.delivered_at for m in HandoverMessage.objects.filter(pk__in=[m.pk for m in left_behind]))
    sweep = RecurringJob.objects.get(name="outbox_sweep")
    assert sweep.last_status == "ok"
    assert sweep.next_run_at == sweep.last_started_at + datetime.timedelta(seconds=2)


@pytest.mark.django_db(transaction=True)
def test_the_sweep_runs_again_after_its_interval_and_not_before(left_behind, settings, time_machine):
    settings.HANDOVER_OUTBOX_SWEEP_SECONDS = 5
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    Worker(interval=0, worker_id="sweeper:2").run(once=True)  # the first sweep: nothing left
    stuck = Delivery.objects.filter(message__in=left_behind).first()
    Delivery.objects.filter(pk=stuck.pk).update(status=Delivery.Status.PENDING, next_attempt_at=start)
    time_machine.move_to(start + datetime.timedelta(seconds=4), tick=False)
    Worker(interval=0, worker_id="sweeper:2").run(once=True)
    assert Delivery.objects.get(pk=stuck.pk).status == Delivery.Status.PENDING  # not yet
    time_machine.move_to(start + datetime.timedelta(seconds=5), tick=False)
    Worker(interval=0, worker_id="sweeper:2").run(once=True)
    assert Delivery.objects.get(pk=stuck.pk).status == Delivery.Status.DELIVERED
