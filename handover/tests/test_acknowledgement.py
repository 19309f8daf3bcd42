"""The receiver acknowledges each message (who, when); the sender sees it; late ones are alerts."""

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from handover import outbox, rules, services
from handover.models import HandoverMessage
from pathway.models import PathwayEvent
from pathway.services import PathwayRuleError


@pytest.fixture
def delivered(sp1_assessment, complete):
    complete(sp1_assessment)
    outbox.deliver_due()
    return HandoverMessage.objects.get(reason="municipality")


def test_the_receiver_acknowledges_and_the_sender_sees_who_and_when(delivered, actor_of, personas):
    services.acknowledge(actor_of(personas["coordinator"]), delivered)
    message = HandoverMessage.objects.get(pk=delivered.pk)
    assert message.status == HandoverMessage.Status.ACKNOWLEDGED
    assert message.acknowledged_by == personas["coordinator"]
    assert message.acknowledged_by_name == personas["coordinator"].get_full_name()
    assert abs(message.acknowledged_at - timezone.now()) < datetime.timedelta(minutes=1)
    sent = services.sent(personas["nurse"].memberships.get().organisation)
    assert sent.get(pk=message.pk).status == HandoverMessage.Status.ACKNOWLEDGED
    event = message.enrolment.events.get(kind=PathwayEvent.Kind.HANDOVER_ACKNOWLEDGED)
    assert event.data == {"by": "Askøy", "from": "Haukeland universitetssjukehus"}
    assert AuditEntry.objects.filter(object_type="handover_message", detail="acknowledged").count() == 1


@pytest.mark.parametrize("who", ["nurse", "outsider", "gp"])
def test_only_the_receiver_can_acknowledge(delivered, actor_of, personas, who):
    with pytest.raises(PathwayRuleError, match="Only Askøy"):
        services.acknowledge(actor_of(personas[who]), delivered)


def test_a_message_is_acknowledged_once(delivered, actor_of, personas):
    services.acknowledge(actor_of(personas["coordinator"]), delivered)
    with pytest.raises(PathwayRuleError, match="already acknowledged by"):
        services.acknowledge(actor_of(personas["coordinator"]), HandoverMessage.objects.get(pk=delivered.pk))


def test_a_message_not_yet_delivered_cannot_be_acknowledged(sp1_assessment, complete, actor_of, personas):
    message = complete(sp1_assessment).get(reason="municipality")
    with pytest.raises(PathwayRuleError, match="not arrived"):
        services.acknowledge(actor_of(personas["coordinator"]), message)


def test_only_delivered_messages_are_in_the_inbox(sp1_assessment, complete, orgs):
    complete(sp1_assessment)
    assert not services.inbox(orgs["askoy"]).exists()
    outbox.deliver_due()
    assert services.inbox(orgs["askoy"]).count() == 1
    assert services.inbox(orgs["gp_office"]).count() == 1
    assert not services.inbox(orgs["voss"]).exists()


def test_a_message_not_acknowledged_in_time_is_an_alert_for_both_sides(delivered, orgs, actor_of, personas):
    due = delivered.acknowledge_by
    assert not services.alerts(orgs["askoy"], due).exists()  # the last day is still in time
    day_after = due + datetime.timedelta(days=1)
    assert list(services.alerts(orgs["askoy"], day_after)) == [delivered]
    # The sender sees both of its late messages: to Askøy and to the GP.
    assert set(services.alerts(orgs["haukeland"], day_after)) == set(HandoverMessage.objects.all())
    assert not services.alerts(orgs["voss"], day_after).exists()
    services.acknowledge(actor_of(personas["coordinator"]), delivered)
    assert not services.alerts(orgs["askoy"], day_after).exists()


def test_the_number_of_working_days_is_a_setting(sp1_assessment, complete, settings):
    settings.HANDOVER_ACKNOWLEDGE_WORKING_DAYS = 10
    complete(sp1_assessment)
    outbox.deliver_due()
    message = HandoverMessage.objects.get(reason="municipality")
    delivered_on = timezone.localdate(message.delivered_at)
    # Ten working days after the day of delivery (that day not counted), the last one included:
    # two whole weeks or more, whatever the weekday of delivery (12 calendar days from a Sunday).
    days = [
        delivered_on + datetime.timedelta(days=n) for n in range(1, (message.acknowledge_by - delivered_on).days + 1)
    ]
    assert sum(rules.is_working_day(day) for day in days) == 10
    assert rules.is_working_day(message.acknowledge_by)
    assert message.acknowledge_by - delivered_on >= datetime.timedelta(days=12)


def test_a_failed_delivery_is_an_alert_for_the_sender_only(delivered, orgs):
    HandoverMessage.objects.filter(pk=delivered.pk).update(failed_at=timezone.now())
    today = timezone.localdate()
    assert list(services.alerts(orgs["haukeland"], today)) == [delivered]
    assert not services.alerts(orgs["askoy"], today).exists()
