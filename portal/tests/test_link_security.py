"""The invitation link as a security review reads it (issue 16): the token is exchanged for the
session on first use and appears in no later address; a used link cannot touch the patient's open
session; codes sent are limited per invitation and per patient; the console SMS backend never
prints a link that opens the invitation."""

import datetime
import re

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client as DjangoClient
from django.utils import timezone

from audit.models import AuditEntry
from lib.logfilter import scrub
from portal import services
from portal.models import Invitation
from portal.senders import MemorySMSBackend
from portal.tests.conftest import code_from, token_from


def open_link(client, token):
    response = client.get(f"/p/{token}/")
    assert response.status_code == 302 and response["Location"] == "/p/invitation/"
    return client.get("/p/invitation/")


def Client():  # noqa: N802 (a test client in English, as the tests read)
    client = DjangoClient()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def sign_in(client, token):
    open_link(client, token)
    assert client.post("/p/invitation/")["Location"] == "/p/code/"
    response = client.post("/p/code/", {"code": code_from(mail.outbox[-1].body)})
    assert response["Location"] == "/p/start/"


def test_the_token_is_exchanged_for_the_session_and_is_in_no_later_address(point, invite):
    _invitation, token = invite(point)
    client = Client()
    page = open_link(client, token)
    assert page.status_code == 200 and token not in page.content.decode()
    assert token not in str(dict(client.session.items()))  # the session holds the invitation's id only
    assert client.post("/p/invitation/")["Location"] == "/p/code/"
    code_page = client.get("/p/code/").content.decode()
    assert token not in code_page and 'action="/p/code/again/"' in code_page
    assert client.post("/p/code/again/")["Location"] == "/p/code/"
    # The old addresses with the token in them are gone.
    assert Client().get(f"/p/{token}/code/").status_code == 404


def test_the_code_pages_need_a_link_opened_in_this_browser(point, invite):
    invitation, token = invite(point)
    stranger = Client()
    assert stranger.get("/p/invitation/").status_code == 403
    assert stranger.get("/p/code/").status_code == 403
    assert stranger.post("/p/code/", {"code": "123456"}).status_code == 403
    assert stranger.post("/p/code/again/").status_code == 403
    assert stranger.post("/p/new-link/").status_code == 403
    assert not mail.outbox and len(MemorySMSBackend.outbox) == 1  # only the invitation itself
    invitation.refresh_from_db()
    assert invitation.failed_attempts == 0


def test_an_opened_link_is_held_for_a_limited_time(point, invite, pinned_clock):
    _invitation, token = invite(point)
    client = Client()
    open_link(client, token)
    pinned_clock.shift(datetime.timedelta(hours=1, minutes=1))
    assert client.get("/p/code/").status_code == 403


def test_a_used_link_cannot_end_or_enter_the_patients_open_session(point, invite):
    invitation, token = invite(point)
    patient = Client()
    sign_in(patient, token)
    assert patient.get("/p/start/").status_code == 200
    # Someone else holds the used link (from the patient's phone, or an access log) and asks for a
    # new link: it goes to the patient's own phone, and the patient's session stays open.
    holder = Client()
    page = open_link(holder, token).content.decode()
    assert 'action="/p/new-link/"' in page
    assert holder.post("/p/new-link/").status_code == 200
    assert MemorySMSBackend.outbox[-1][0] == "+4791234567"
    holder.post("/p/sign-out/")
    assert holder.get("/p/start/").status_code == 403
    assert holder.post("/p/code/again/").status_code == 302 and len(mail.outbox) == 1  # no code for a used link
    assert patient.get("/p/start/").status_code == 200
    assert patient.get("/p/page/1/").status_code == 200
    invitation.refresh_from_db()
    assert services.state(invitation) == "used"
    # Opening the used link again in the patient's own browser goes back to the pages.
    assert patient.get(f"/p/{token}/")["Location"] == "/p/start/"


def test_a_new_link_asked_for_again_replaces_only_the_unused_one(point, invite):
    invitation, token = invite(point)
    sign_in(Client(), token)
    holder = Client()
    open_link(holder, token)
    holder.post("/p/new-link/")
    first_fresh = Invitation.objects.get(
        token_hash=services.tokens.hash_token(token_from(MemorySMSBackend.outbox[-1][1]))
    )
    holder.post("/p/new-link/")
    first_fresh.refresh_from_db()
    invitation.refresh_from_db()
    assert services.state(first_fresh) == "revoked"
    assert services.state(invitation) == "used"
    assert Invitation.objects.filter(revoked_at__isnull=True, used_at__isnull=True).count() == 1


def test_codes_sent_are_limited_per_invitation_with_a_clear_message(point, invite, settings):
    settings.PORTAL_CODES_PER_INVITATION = 2
    _invitation, token = invite(point)
    client = Client()
    open_link(client, token)
    assert client.post("/p/invitation/")["Location"] == "/p/code/"
    assert client.post("/p/code/again/")["Location"] == "/p/code/"
    refused = client.post("/p/code/again/")
    assert refused.status_code == 429
    assert "Try again in 60 minutes" in refused.content.decode()
    assert len(mail.outbox) == 2
    assert AuditEntry.objects.filter(action="denied", detail="code not sent: too many codes").count() == 1
    # The first step (asking for the code on the link's page) counts too.
    assert client.post("/p/invitation/").status_code == 429
    # The last code sent still works.
    assert client.post("/p/code/", {"code": code_from(mail.outbox[-1].body)})["Location"] == "/p/start/"


@pytest.mark.norwegian
def test_the_limit_message_is_translated(point, invite, settings):
    settings.PORTAL_CODES_PER_INVITATION = 1
    _invitation, token = invite(point)
    client = DjangoClient()  # bokmål, the default
    open_link(client, token)
    client.post("/p/invitation/")
    page = client.post("/p/code/again/").content.decode()
    assert "Prøv igjen om 60 minutter" in page


def test_codes_sent_are_limited_per_patient_across_invitations(point, invite, settings):
    settings.PORTAL_CODES_PER_INVITATION = 5
    settings.PORTAL_CODES_PER_PATIENT = 3
    first, _ = invite(point)
    assert services.send_code(first) and services.send_code(first)
    second, _ = invite(point)  # a new invitation does not start the patient's count again
    assert services.send_code(second)
    refused = services.send_code(second)
    assert not refused and refused.wait_seconds > 0
    assert len(mail.outbox) == 3


def test_the_code_limit_starts_again_in_the_next_window(point, invite, settings):
    settings.PORTAL_CODES_PER_INVITATION = 1
    invitation, _ = invite(point)
    now = timezone.now()
    assert services.send_code(invitation, now)
    assert not services.send_code(invitation, now + datetime.timedelta(minutes=1))
    assert services.send_code(invitation, now + settings.PORTAL_CODES_PER_INVITATION_WINDOW)


def test_the_console_sms_backend_never_prints_the_link_or_the_whole_phone_number(
    point, actor_of, personas, settings, capsys
):
    settings.SMS_BACKEND = "portal.senders.ConsoleSMSBackend"
    invitation = services.send_invitation(actor_of(personas["coordinator"]), point, link_channel="sms")
    printed = capsys.readouterr().out
    assert "--- SMS to …67 ---" in printed and "91234567" not in printed
    assert re.findall(r"/p/([^/\s]+)/", printed) == ["[token]"]
    assert not MemorySMSBackend.outbox
    # The token printed is not the invitation's: nothing printed opens it.
    assert all(services.find(word) is None for word in re.split(r"[\s/]+", printed) if word)
    # With the link by e-mail, the code comes by SMS and is printed (the demo reads it there).
    invitation = services.send_invitation(actor_of(personas["coordinator"]), point, link_channel="email")
    services.send_code(invitation)
    printed = capsys.readouterr().out
    assert re.search(r"\b\d{6}\b", printed)


def test_log_lines_keep_the_portals_own_pages_and_mask_tokens():
    assert scrub("GET /p/code/ HTTP/1.1") == "GET /p/code/ HTTP/1.1"
    assert scrub("GET /p/who-looked/?page=2 HTTP/1.1") == "GET /p/who-looked/?page=2 HTTP/1.1"
    assert scrub("GET /p/Zm9vYmFy-token_1/ HTTP/1.1") == "GET /p/[token]/ HTTP/1.1"
