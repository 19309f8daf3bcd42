import datetime
import re
from types import SimpleNamespace

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


IDPORTEN = SimpleNamespace(key="idporten", kind="idporten")


def idporten_sign_in(client, pid, **claims):
    """What the OpenID Connect callback does once ID-porten's answer passed every check: call the
    portal's handler for the purpose "citizen" with the verified claims, in this client's session.
    Returns the handler's response; the client holds the session it opened."""
    from django.conf import settings
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.test import RequestFactory

    from accounts.oidc import purposes

    request = RequestFactory().get("/accounts/oidc/callback/")
    SessionMiddleware(lambda r: None).process_request(request)
    if settings.SESSION_COOKIE_NAME in client.cookies:
        request.session = client.session
    response = purposes.handler("citizen")(
        request, IDPORTEN, {"sub": f"sub-{pid}", "pid": pid, "acr": "idporten-loa-substantial", **claims}
    )
    request.session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = request.session.session_key
    return response
