"""The patient's pages: from the link to the receipt, resuming after an interruption, and the
patient's own pathway. They speak bokmål until the patient's own language is known, so the
tests assert the bokmål text."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from assessment import questionnaires
from assessment.models import QuestionnaireResponse
from audit.models import AuditEntry
from pathway import services as pathway
from pathway.models import PathwayEvent
from portal.senders import MemorySMSBackend
from portal.tests.conftest import code_from, token_from

pytestmark = pytest.mark.norwegian


def open_link(client, token):
    """Open the link: the token is exchanged for the session and the browser sent on without it."""
    response = client.get(f"/p/{token}/")
    assert response.status_code == 302 and response["Location"] == "/p/invitation/"
    return client.get("/p/invitation/")


def sign_in(client, token):
    assert "Send meg koden" in open_link(client, token).content.decode()
    assert client.post("/p/invitation/")["Location"] == "/p/code/"
    response = client.post("/p/code/", {"code": code_from(mail.outbox[-1].body)})
    assert response.status_code == 302 and response["Location"] == "/p/start/"
    return response


def test_the_link_shows_nothing_about_the_patient_before_the_code(point, invite):
    _invitation, token = invite(point)
    page = open_link(Client(), token).content.decode()
    patient = point.enrolment.patient
    assert patient.family_name not in page and patient.given_name not in page
    assert "C50" not in page
    assert Client().get("/p/start/").status_code == 403
    assert Client().get("/p/not-a-token/").status_code == 404


def test_a_wrong_code_is_explained_with_the_tries_left(point, invite):
    _invitation, token = invite(point)
    client = Client()
    open_link(client, token)
    client.post("/p/invitation/")
    right = code_from(mail.outbox[-1].body)
    page = client.post("/p/code/", {"code": "000000" if right != "000000" else "111111"}).content.decode()
    assert "Koden er feil. Du har 5 forsøk igjen." in page
    assert client.get("/p/start/").status_code == 403


def test_the_link_works_once(point, invite):
    _invitation, token = invite(point)
    sign_in(Client(), token)
    page = open_link(Client(), token).content.decode()  # another browser
    assert "Lenken er allerede brukt" in page
    assert "Send meg en ny lenke" in page


def answer_page(client, number, data, button="next"):
    return client.post(f"/p/page/{number}/", {**data, button: ""})


def test_the_patient_answers_page_by_page_and_resumes_after_an_interruption(point, invite):
    invitation, token = invite(point)
    client = Client()
    response = sign_in(client, token)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nb"
    questionnaire = questionnaires.get(questionnaires.ADULT)
    assert "22" in client.get("/p/start/").content.decode()
    page = client.get("/p/page/1/").content.decode()
    assert "Side 1 av 22" in page and 'name="what-matters"' in page
    assert answer_page(client, 1, {"what-matters": "Å være med barnebarna"})["Location"] == "/p/page/2/"
    # A required question left empty is explained on the page, and nothing is lost.
    page = answer_page(client, 2, {}).content.decode()
    assert "Svar på dette spørsmålet for å gå videre." in page
    answer_page(client, 2, {"distress-score": "6"})
    answer_page(client, 3, {"topic-family": "yes", "topic-family-help": "yes"}, button="later")
    # The connection drops; the patient comes back with a new link in a new browser.
    invitation.refresh_from_db()
    response_row = QuestionnaireResponse.objects.get(point=point, source="patient")
    assert response_row.answers == {
        "what-matters": "Å være med barnebarna",
        "distress-score": 6,
        "topic-family": True,
        "topic-family-help": True,
    }
    reissuer = Client()
    open_link(reissuer, token)
    reissuer.post("/p/new-link/")
    fresh_token = token_from(MemorySMSBackend.outbox[-1][1])
    other = Client()
    sign_in(other, fresh_token)
    start = other.get("/p/start/").content.decode()
    assert "/p/page/4/" in start  # go on where you left off
    assert re.search(r'<input[^>]*value="6"[^>]*checked', other.get("/p/page/2/").content.decode())
    # The last page leads to the check page, and sending gives a receipt.
    last = len(questionnaire.pages)
    assert answer_page(other, last, {"other": "Takk"})["Location"] == "/p/review/"
    review = other.get("/p/review/").content.decode()
    assert "Å være med barnebarna" in review
    assert other.post("/p/review/")["Location"] == "/p/receipt/"
    receipt = other.get("/p/receipt/").content.decode()
    assert "Takk: svarene dine er sendt" in receipt and "Askøy" in receipt
    response_row.refresh_from_db()
    assert response_row.status == "completed" and response_row.distress_score == 6
    assert response_row.help_areas == ["topic-family"]
    assert response_row.language == "nb"  # the language the questions were shown in
    assert point.enrolment.events.filter(kind=PathwayEvent.Kind.ANSWERS_RECEIVED).exists()
    # Sent answers cannot be changed.
    assert other.get("/p/page/1/")["Location"] == "/p/receipt/"


def test_a_help_answer_under_a_no_is_dropped(point, invite):
    _invitation, token = invite(point)
    client = Client()
    sign_in(client, token)
    answer_page(client, 3, {"topic-family": "no", "topic-family-help": "yes"})
    assert QuestionnaireResponse.objects.get(point=point).answers == {"topic-family": False}


@pytest.mark.parametrize("language, heading", [("nn", "Kva er viktig for deg?"), ("en", "What matters to you?")])
def test_the_form_speaks_the_patients_language(point, invite, language, heading):
    patient = point.enrolment.patient
    patient.preferred_language = language
    patient.save()
    _invitation, token = invite(point)
    client = Client()
    sign_in(client, token)
    assert heading in client.get("/p/page/1/").content.decode()


def test_the_patient_sees_their_own_pathway_and_contact_person(point, invite, actor_of, personas):
    pathway.set_contact_person(actor_of(personas["coordinator"]), point.enrolment, personas["coordinator"])
    _invitation, token = invite(point)
    client = Client()
    sign_in(client, token)
    page = client.get("/p/pathway/").content.decode()
    assert "Haukeland" in page and "Askøy" in page
    assert personas["coordinator"].get_full_name() in page
    assert AuditEntry.objects.filter(username="patient (portal)", detail="my pathway").exists()


def test_signing_out_ends_the_session(point, invite):
    _invitation, token = invite(point)
    client = Client()
    sign_in(client, token)
    client.post("/p/sign-out/")
    assert client.get("/p/start/").status_code == 403


def test_the_nurse_sends_the_invitation_from_the_enrolment_page(point, client_for, personas):
    client = client_for(personas["coordinator"])
    page = client.get(f"/pathway/enrolments/{point.enrolment.public_id}/").content.decode()
    assert "Send invitasjon" in page
    response = client.post(
        f"/invitations/points/{point.public_id}/send/",
        {"invite-sp2-respondent": "patient", "invite-sp2-link_channel": "email"},
    )
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["pasient@example.test"]
    assert client_for(personas["outsider"]).post(f"/invitations/points/{point.public_id}/send/", {}).status_code == 403
