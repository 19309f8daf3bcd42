"""A message not in the receiver's inbox HANDOVER_UNDELIVERED_ALERT_MINUTES after it was written
is an alert for the sender (its list and worklist box) and for its organisation's admins (start
page); `deliver_handovers --now` delivers at once after an outage, ignoring back-off; a notice
with no e-mail address to go to is an alert for the receiver's admins, never a silent success."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Role
from conftest import make_user
from directory.models import MissingAddressAlert
from handover import outbox, services
from handover.models import Delivery, HandoverMessage
from handover.tests.test_outbox import FLAKY

MINUTES = datetime.timedelta(minutes=1)


@pytest.fixture
def written(sp1_assessment, complete, settings):
    """The completion's messages, written and not yet delivered (no worker has run)."""
    settings.HANDOVER_UNDELIVERED_ALERT_MINUTES = 15
    messages = list(complete(sp1_assessment))
    assert all(m.delivered_at is None for m in messages)
    return messages


def test_an_undelivered_message_is_an_alert_for_the_sender_after_the_delay(written, orgs):
    hospital = orgs["haukeland"]
    created = max(m.created_at for m in written)
    today = timezone.localdate(created)
    soon, later = created + 14 * MINUTES, created + 16 * MINUTES
    assert services.alerts(hospital, today, now=soon).count() == 0
    assert services.summary(hospital, today, now=soon)["alerts"] == 0
    assert set(services.alerts(hospital, today, now=later)) == set(written)
    assert services.summary(hospital, today, now=later)["alerts"] == len(written)
    assert services.undelivered_count(hospital, now=later) == len(written)
    # Not the receiver's: it has not arrived there.
    assert services.summary(orgs["askoy"], today, now=later) == {"waiting": 0, "alerts": 0}
    outbox.deliver_due()
    assert services.alerts(hospital, today, now=later).count() == 0
    assert services.undelivered_count(hospital, now=later) == 0


def test_the_sender_sees_the_alert_on_the_messages_page(written, client_for, personas, settings, time_machine):
    time_machine.move_to(max(m.created_at for m in written) + 20 * MINUTES)
    page = client_for(personas["nurse"]).get("/handover/?box=sent")
    assert page.status_code == 200
    assert b"not delivered yet" in page.content
    assert page.content.count(b"not delivered yet") == len(written)


def test_the_senders_admin_sees_it_on_the_start_page(written, client_for, orgs, time_machine):
    admin = make_user("hospital-admin", orgs["haukeland"], Role.ORG_ADMIN)
    time_machine.move_to(max(m.created_at for m in written) + 20 * MINUTES)
    page = client_for(admin).get("/")
    assert f"{len(written)} handover messages from your organisation are not delivered yet".encode() in page.content
    outbox.deliver_due()
    assert b"not delivered yet" not in client_for(admin).get("/").content


def test_deliver_handovers_now_ignores_back_off(sp1_assessment, complete, settings):
    settings.HANDOVER_CHANNELS = FLAKY
    from handover.tests.channels import FlakyChannel

    FlakyChannel.failures_per_key, FlakyChannel.attempts, FlakyChannel.delivered_keys = 1, {}, []
    try:
        complete(sp1_assessment)
        outbox.deliver_due()  # the flaky channel fails once: its retry waits a minute
        waiting = Delivery.objects.filter(status=Delivery.Status.PENDING)
        assert waiting.count() == 2 and all(d.next_attempt_at > timezone.now() for d in waiting)
        out = StringIO()
        call_command("deliver_handovers", stdout=out)
        assert "delivered 0" in out.getvalue()  # without --now the back-off holds
        call_command("deliver_handovers", "--now", stdout=out)
        assert "2 waiting deliveries made due now" in out.getvalue()
        assert "delivered 2, retrying 0, failed 0" in out.getvalue()
        assert not Delivery.objects.filter(status=Delivery.Status.PENDING).exists()
    finally:
        FlakyChannel.failures_per_key = 0


def test_a_notice_with_no_address_is_an_alert_for_the_receivers_admins(written, orgs, client_for, personas):
    outbox.deliver_due()
    assert HandoverMessage.objects.filter(delivered_at__isnull=False).count() == len(written)  # in the inbox
    alerts = MissingAddressAlert.objects.filter(kind="handover_notice", resolved_at__isnull=True)
    assert {a.organisation for a in alerts} == {orgs["askoy"], orgs["gp_office"]}
    page = client_for(personas["admin"]).get("/")  # Askøy's admin
    assert page.content.decode().count("has no contact point with an e-mail address") == 1
    assert "Askøy" in page.content.decode()

    # Once an address exists, the next notice reaches it and the alert is resolved.
    message = HandoverMessage.objects.filter(recipient=orgs["askoy"]).first()
    notice = message.deliveries.get(channel="email")
    assert (notice.status, notice.last_error) == ("pending", "no e-mail address registered")  # never "sent"
    orgs["askoy"].contact_points.create(name="Kreftkoordinator", email="kreft@askoy.example.test")
    outbox.deliver_due(now=notice.next_attempt_at)  # its next try, an hour later
    notice.refresh_from_db()
    assert notice.status == "delivered"
    assert [m.to for m in mail.outbox] == [["kreft@askoy.example.test"]]
    assert not MissingAddressAlert.objects.filter(organisation=orgs["askoy"], resolved_at__isnull=True).exists()
    assert MissingAddressAlert.objects.filter(organisation=orgs["gp_office"], resolved_at__isnull=True).exists()
    assert "has no contact point" not in client_for(personas["admin"]).get("/").content.decode()


def test_a_national_admin_sees_every_missing_address(written, client):
    from accounts.models import User

    outbox.deliver_due()
    national = User.objects.create_superuser("national", password="x" * 16)
    client.force_login(national)
    page = client.get("/")
    assert page.content.count(b"has no contact point with an e-mail address") == 2
