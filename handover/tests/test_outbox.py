"""The outbox: delivery through each channel, retries with back-off, giving up, sending again,
and idempotency (a repeat never gives the receiver a second copy)."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.db import OperationalError
from django.utils import timezone

from handover import channels, outbox, rules
from handover.models import Delivery, HandoverMessage
from handover.tests.channels import FlakyChannel

Status = Delivery.Status
FLAKY = ["handover.channels.HeimvegChannel", "handover.tests.channels.FlakyChannel"]


@pytest.fixture
def flaky(settings):
    settings.HANDOVER_CHANNELS = FLAKY
    settings.HANDOVER_MAX_ATTEMPTS = 3
    settings.HANDOVER_RETRY_BASE_SECONDS = 60
    FlakyChannel.failures_per_key = 0
    FlakyChannel.attempts, FlakyChannel.delivered_keys = {}, []
    yield FlakyChannel
    FlakyChannel.failures_per_key = 0


@pytest.fixture
def with_contact_points(orgs):
    orgs["askoy"].contact_points.create(name="Kreftkoordinator", email="kreft@askoy.example.test")
    orgs["askoy"].contact_points.create(name="Tildeling", email="tildeling@askoy.example.test")


def test_delivery_puts_the_message_in_the_inbox_and_sets_the_acknowledgement_date(
    sp1_assessment, complete, receivers_with_addresses
):
    messages = list(complete(sp1_assessment))
    run = outbox.deliver_due()
    assert (run.delivered, run.retrying, run.failed) == (4, 0, 0)
    for message in messages:
        message.refresh_from_db()
        assert message.status == HandoverMessage.Status.DELIVERED
        today = timezone.localdate(message.delivered_at)
        assert message.acknowledge_by == rules.add_working_days(today, 3)
    assert not Delivery.objects.exclude(status=Status.DELIVERED).exists()
    assert outbox.deliver_due().attempted == 0  # nothing left to do


def test_the_email_notice_names_no_patient_and_carries_the_idempotency_key(
    sp1_assessment, complete, with_contact_points, patient
):
    message = complete(sp1_assessment).get(reason="municipality")
    outbox.deliver_due()
    [email] = mail.outbox
    assert sorted(email.to) == ["kreft@askoy.example.test", "tildeling@askoy.example.test"]
    key = message.deliveries.get(channel="email").idempotency_key
    assert email.extra_headers["Message-ID"] == f"<{key}@heimveg>"
    text = email.subject + email.body
    for personal in (patient.given_name, patient.family_name, patient.national_id, "C50", "Tired"):
        assert personal not in text
    assert "/handover/" in email.body
    assert message.deliveries.get(channel="email").receipt == "e-mail to 2 address(es)"


def test_an_organisation_without_an_email_address_gets_no_email_and_the_notice_waits(sp1_assessment, complete):
    complete(sp1_assessment)
    start = timezone.now()
    run = outbox.deliver_due(now=start)
    assert mail.outbox == []
    notices = Delivery.objects.filter(channel="email")
    assert run.waiting_for_address == notices.count() > 0
    # Never marked as sent, and not an attempt that could use up the retries and give up.
    assert {(d.status, d.attempts, d.last_error, d.receipt) for d in notices} == {
        (Status.PENDING, 0, "no e-mail address registered", "")
    }
    retry = datetime.timedelta(seconds=settings.HANDOVER_NO_ADDRESS_RETRY_SECONDS)
    assert {d.next_attempt_at for d in notices} == {start + retry}
    for _ in range(settings.HANDOVER_MAX_ATTEMPTS + 1):  # tried again and again: still waiting
        start += retry
        outbox.deliver_due(now=start)
    assert set(notices.values_list("status", "attempts")) == {(Status.PENDING, 0)}


def test_a_failing_channel_is_retried_with_back_off(sp1_assessment, complete, flaky):
    message = complete(sp1_assessment).get(reason="municipality")
    flaky.failures_per_key = 2
    start = timezone.now()
    outbox.deliver_due(now=start)
    delivery = message.deliveries.get(channel="flaky")
    assert (delivery.status, delivery.attempts) == (Status.PENDING, 1)
    assert delivery.next_attempt_at == start + datetime.timedelta(seconds=60)
    assert delivery.last_error == "ConnectionError: the receiver did not answer"
    message.refresh_from_db()
    assert message.status == HandoverMessage.Status.DELIVERED  # the inbox copy did not wait for the other channel

    outbox.deliver_due(now=start + datetime.timedelta(seconds=59))  # not due yet
    delivery.refresh_from_db()
    assert delivery.attempts == 1
    outbox.deliver_due(now=start + datetime.timedelta(seconds=60))
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.next_attempt_at == start + datetime.timedelta(seconds=180)
    outbox.deliver_due(now=start + datetime.timedelta(seconds=180))
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (Status.DELIVERED, 3, "")
    assert flaky.delivered_keys.count(delivery.idempotency_key) == 1


def test_after_the_last_attempt_the_message_is_failed_and_can_be_sent_again(
    sp1_assessment, complete, flaky, actor_of, personas
):
    from handover import services

    message = complete(sp1_assessment).get(reason="municipality")
    flaky.failures_per_key = 99
    now = timezone.now()
    for minutes in (0, 10, 60):
        outbox.deliver_due(now=now + datetime.timedelta(minutes=minutes))
    delivery = message.deliveries.get(channel="flaky")
    message.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.FAILED, 3)
    assert message.status == HandoverMessage.Status.FAILED
    assert outbox.deliver_due(now=now + datetime.timedelta(days=1)).attempted == 0  # given up

    with pytest.raises(services.PathwayRuleError, match="Only Haukeland"):
        services.resend(actor_of(personas["coordinator"]), message)
    flaky.failures_per_key = 0
    services.resend(actor_of(personas["nurse"]), message)
    outbox.deliver_due()
    message.refresh_from_db()
    delivery.refresh_from_db()
    assert delivery.status == Status.DELIVERED and message.status == HandoverMessage.Status.DELIVERED


def test_a_repeated_delivery_gives_the_receiver_no_second_copy(sp1_assessment, complete):
    message = complete(sp1_assessment).get(reason="municipality")
    delivery = message.deliveries.get(channel="heimveg")
    channel = channels.configured()["heimveg"]
    assert channel.deliver(message, delivery.idempotency_key) == "in the inbox"
    message.refresh_from_db()
    first = message.delivered_at
    # A worker that delivered but died before recording it: the next worker delivers again.
    assert channel.deliver(message, delivery.idempotency_key) == "already in the inbox"
    outbox.deliver_due()
    message.refresh_from_db()
    assert message.delivered_at == first
    assert HandoverMessage.objects.filter(recipient=message.recipient).count() == 1


def test_a_channel_that_fails_half_way_leaves_nothing_behind(sp1_assessment, complete, settings):
    settings.HANDOVER_CHANNELS = ["handover.tests.test_outbox.HalfWayChannel"]
    message = HandoverMessage.objects.get(pk=complete(sp1_assessment).get(reason="municipality").pk)
    Delivery.objects.filter(message=message).delete()
    Delivery.objects.create(message=message, channel="halfway", idempotency_key="k-1", next_attempt_at=timezone.now())
    outbox.deliver_due()
    message.refresh_from_db()
    assert message.delivered_at is None  # the channel's own write was rolled back with it
    assert message.deliveries.get().attempts == 1


class HalfWayChannel(channels.HeimvegChannel):
    key = "halfway"

    def deliver(self, message, idempotency_key):
        super().deliver(message, idempotency_key)
        raise TimeoutError("the connection dropped after the write")


class OutageChannel(channels.HeimvegChannel):
    key = "outage"

    def deliver(self, message, idempotency_key):
        raise OperationalError("server closed the connection unexpectedly")


def test_a_database_outage_during_a_delivery_uses_up_no_attempt(sp1_assessment, complete, settings):
    settings.HANDOVER_CHANNELS = ["handover.tests.test_outbox.OutageChannel"]
    settings.HANDOVER_MAX_ATTEMPTS = 1
    message = HandoverMessage.objects.get(pk=complete(sp1_assessment).get(reason="municipality").pk)
    Delivery.objects.filter(message=message).delete()
    Delivery.objects.create(message=message, channel="outage", idempotency_key="k-1", next_attempt_at=timezone.now())
    with pytest.raises(OperationalError):  # to the worker, which backs off and reconnects
        outbox.deliver_due()
    delivery = message.deliveries.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (Status.PENDING, 0, "")
    message.refresh_from_db()
    assert message.failed_at is None


def test_a_delivery_given_up_is_logged_as_an_error(sp1_assessment, complete, flaky, caplog, settings):
    message = complete(sp1_assessment).get(reason="municipality")
    flaky.failures_per_key = 5
    settings.HANDOVER_MAX_ATTEMPTS = 1
    outbox.deliver_due()
    delivery = message.deliveries.get(channel="flaky")
    assert delivery.status == Status.FAILED
    errors = [r for r in caplog.records if r.name == "handover.outbox" and r.levelname == "ERROR"]
    assert f"handover delivery {delivery.pk} (channel flaky) given up after 1 attempts (ConnectionError)" in [
        r.getMessage() for r in errors
    ]


def test_a_delivery_for_a_channel_no_longer_configured_is_retried_not_lost(sp1_assessment, complete, settings):
    complete(sp1_assessment)
    settings.HANDOVER_CHANNELS = ["handover.channels.HeimvegChannel"]
    outbox.deliver_due()
    email = Delivery.objects.filter(channel="email")
    assert all(d.status == Status.PENDING and d.attempts == 1 for d in email)
    assert "not configured" in email.first().last_error


def test_the_task_delivers_and_schedules_the_next_try(sp1_assessment, complete, flaky):
    from django_tasks_db.models import DBTaskResult

    from handover import tasks

    complete(sp1_assessment)
    flaky.failures_per_key = 1
    result = tasks.deliver_outbox.call()
    assert result == {"delivered": 2, "retrying": 2, "failed": 0}
    waiting = DBTaskResult.objects.filter(task_path=tasks.deliver_outbox.module_path, status="READY")
    assert waiting.count() == 1
    assert waiting.get().run_after == min(d.next_attempt_at for d in Delivery.objects.filter(status=Status.PENDING))
    tasks.schedule_retry()
    assert waiting.count() == 1  # not twice


def test_completing_enqueues_the_delivery_after_commit(sp1_assessment, complete, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        complete(sp1_assessment)
    assert DBTaskResult.objects.filter(task_path="handover.tasks.deliver_outbox", status="READY").exists()
