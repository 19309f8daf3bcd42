"""A patient with a mobile phone but no e-mail address is invited by text message: the link and
the one-time code go as two separate SMS (the code only once the link is opened and a code asked
for), never in one message, within the same limits on codes sent. With e-mail and mobile, the link
goes by one channel and the code by the other, as before."""

import re

import pytest
from django.core import mail
from django.test import Client

from pathway.services import PathwayRuleError
from portal import services
from portal.models import Invitation
from portal.senders import MemorySMSBackend
from portal.tests.conftest import code_from, token_from

PHONE = "+4791234567"


@pytest.fixture(autouse=True)
def _patient_reads_english(point):
    """Messages go in the patient's language; these tests read the English texts."""
    patient = point.enrolment.patient
    patient.preferred_language = "en"
    patient.save()


@pytest.fixture
def mobile_only(point):
    patient = point.enrolment.patient
    patient.email = ""
    patient.save()
    return point


def texts():
    return [text for _phone, text in MemorySMSBackend.outbox]


def test_without_e_mail_the_link_and_the_code_go_as_two_separate_sms(mobile_only, actor_of, personas):
    invitation = services.send_invitation(actor_of(personas["coordinator"]), mobile_only, link_channel="sms")
    assert invitation.sms_only and invitation.code_channel == Invitation.Channel.SMS
    [(phone, link_text)] = MemorySMSBackend.outbox
    assert phone == PHONE and token_from(link_text)
    assert "separate text message" in link_text
    assert not re.search(r"\b\d{6}\b", link_text.replace(token_from(link_text), ""))  # no code in it
    assert mail.outbox == []

    # The patient opens the link and asks for the code: a second SMS, with the code and no link.
    client = Client()
    client.get(f"/p/{token_from(link_text)}/")
    assert client.post("/p/invitation/")["Location"] == "/p/code/"
    assert len(MemorySMSBackend.outbox) == 2
    phone, code_text = MemorySMSBackend.outbox[-1]
    assert phone == PHONE and "/p/" not in code_text
    code = code_from(code_text)
    assert code not in link_text and mail.outbox == []
    response = client.post("/p/code/", {"code": code})
    assert response.status_code == 302 and response["Location"] == "/p/start/"


def test_the_codes_by_sms_keep_the_limits_on_codes_sent(mobile_only, actor_of, personas, settings):
    settings.PORTAL_CODES_PER_INVITATION = 2
    invitation = services.send_invitation(actor_of(personas["coordinator"]), mobile_only, link_channel="sms")
    sent = [services.send_code(invitation) for _ in range(4)]
    assert [bool(s) for s in sent] == [True, True, False, False] and sent[-1].wait_seconds > 0
    assert len(MemorySMSBackend.outbox) == 1 + 2  # the link and two codes, each its own message


def test_without_e_mail_the_link_cannot_go_by_e_mail(mobile_only, actor_of, personas):
    with pytest.raises(PathwayRuleError, match="No e-mail address is registered"):
        services.send_invitation(actor_of(personas["coordinator"]), mobile_only, link_channel="email")
    assert not Invitation.objects.exists() and texts() == []


def test_with_e_mail_and_mobile_the_code_goes_by_the_other_channel(point, actor_of, personas):
    invitation = services.send_invitation(actor_of(personas["coordinator"]), point, link_channel="sms")
    assert not invitation.sms_only and "other contact channel" in texts()[-1]
    services.send_code(invitation)
    assert len(texts()) == 1 and code_from(mail.outbox[-1].body)


def test_the_pathway_page_offers_the_invitation_for_a_patient_with_a_mobile_phone_only(
    mobile_only, client_for, personas
):
    client = client_for(personas["coordinator"])
    enrolment = mobile_only.enrolment
    page = client.get(f"/pathway/enrolments/{enrolment.public_id}/").content.decode()
    assert "the link and the code in two separate messages" in page
    assert "E-mail (the code by text message)" not in page
    response = client.post(
        f"/invitations/points/{mobile_only.public_id}/send/",
        {f"invite-{mobile_only.key}-respondent": "patient", f"invite-{mobile_only.key}-link_channel": "sms"},
    )
    assert response.status_code == 302
    assert Invitation.objects.get(point=mobile_only).sms_only
    assert len(texts()) == 1 and token_from(texts()[0])
