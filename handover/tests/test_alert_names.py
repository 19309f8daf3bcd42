"""A late handover message's alert names the other side ("– to Askøy (Vestland), not acknowledged
by …"), and every row names the patient with their birth date."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from handover import outbox
from handover.models import HandoverMessage


@pytest.fixture
def late(sp1_assessment, complete):
    complete(sp1_assessment)
    outbox.deliver_due()
    message = HandoverMessage.objects.get(reason="municipality")
    HandoverMessage.objects.filter(pk=message.pk).update(
        acknowledge_by=timezone.localdate() - datetime.timedelta(days=1)
    )
    return message


def test_the_senders_alert_names_the_receiver(late, client_for, personas):
    page = client_for(personas["nurse"]).get(reverse("handover:inbox")).content.decode()
    day = (timezone.localdate() - datetime.timedelta(days=1)).strftime("%d.%m.%Y")
    assert f"to Askøy (Vestland), not acknowledged by {day}" in page
    assert "to , not" not in page
    assert "Pasient, Test: " in page and "born 17.05.1961" in page


def test_the_receivers_alert_names_the_sender(late, client_for, personas):
    page = client_for(personas["coordinator"]).get(reverse("handover:inbox")).content.decode()
    assert "from Haukeland universitetssjukehus, to be acknowledged by" in page
    assert "born 17.05.1961" in page


@pytest.mark.norwegian
def test_the_alert_names_the_receiver_in_norwegian(late, client_for, personas):
    page = client_for(personas["nurse"]).get(reverse("handover:inbox")).content.decode()
    assert "til Askøy (Vestland), ikke kvittert innen" in page
    assert "født 17.05.1961" in page
