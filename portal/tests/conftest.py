import datetime
import re

import pytest

from pathway import services as pathway
from portal import services
from portal.senders import MemorySMSBackend


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    MemorySMSBackend.outbox.clear()


@pytest.fixture
def point(actor_of, personas, patient):
    """The second (municipal) point of an accepted enrolment of a patient with phone and e-mail."""
    patient.mobile_phone, patient.email = "+4791234567", "pasient@example.test"
    patient.save()
    enrolment = pathway.enrol(
        actor_of(personas["nurse"]),
        patient,
        diagnosis_date=datetime.date(2026, 7, 1),
        icd10_code="C50.9",
        treatment_intent="curative",
        offer="accepted",
        today=datetime.date(2026, 11, 23),
    )
    return enrolment.points.get(key="sp2")


def token_from(text):
    return re.search(r"/p/([A-Za-z0-9_-]+)/", text).group(1)


def code_from(text):
    return re.search(r"\b(\d{6})\b", text).group(1)


@pytest.fixture
def invite(actor_of, personas):
    """Send an invitation (link by SMS, code by e-mail); returns (invitation, token)."""

    def send(point, channel="sms"):
        invitation = services.send_invitation(actor_of(personas["coordinator"]), point, link_channel=channel)
        return invitation, token_from(MemorySMSBackend.outbox[-1][1])

    return send
