"""After ID-porten has verified a citizen (portal.citizens.on_verified, purpose "citizen"): the
patient sees their pathway, invitations, answers and who has looked, and answers without link
and code; a relative sees only their own invitations and answers; a person not in the pathway
asks their municipality for it. The OpenID Connect protocol itself is accounts.oidc's (its tests
drive a real provider); here the handler is called as its callback calls it, with checked claims.
The pages are read in English (the language cookie), so the tests assert English text."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from audit.models import AuditEntry
from conftest import synthetic_id
from patients.models import Relative
from portal import pathway_requests
from portal.models import Invitation, PathwayRequest
from portal.senders import MemorySMSBackend
from portal.tests.conftest import code_from, idporten_sign_in, token_from

Action = AuditEntry.Action
STRANGER = synthetic_id(datetime.date(1970, 2, 3))
RELATIVE = synthetic_id(datetime.date(1965, 8, 9))


def english():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def signed_in(pid):
    client = english()
    response = idporten_sign_in(client, pid)
    assert response.status_code == 302 and response["Location"] == "/p/me/"
    return client


def use_link(client, token):
    client.get(f"/p/{token}/")
    client.post("/p/invitation/")
    response = client.post("/p/code/", {"code": code_from(mail.outbox[-1].body)})
    assert response["Location"] == "/p/start/"


@pytest.fixture
def relative(point):
    return Relative.objects.create(
        patient=point.enrolment.patient,
        name="Kari Pårørende",
        relation="spouse",
        phone="+4798765432",
        email="kari@example.test",
    )


def test_the_patient_sees_their_page_and_answers_without_link_and_code(point, invite, patient):
    invitation, _token = invite(point)
    client = signed_in(patient.national_id)

    page = client.get("/p/me/").content.decode()
    assert "You are in the pathway home" in page
    assert f"/p/me/answer/{invitation.public_id}/" in page
    assert "/p/me/who-looked/" in page
    assert client.get("/p/me/pathway/").status_code == 200

    response = client.post(f"/p/me/answer/{invitation.public_id}/")
    assert response["Location"] == "/p/start/"
    assert client.get("/p/start/").status_code == 200
    assert client.get("/p/page/1/").status_code == 200
    invitation.refresh_from_db()
    assert invitation.used_at is None  # the link still works for those who prefer it

    log = client.get("/p/me/who-looked/").content.decode()
    assert "Signed in with ID-porten" in log
    entries = AuditEntry.objects.filter(patient_public_id=patient.public_id, username="patient (ID-porten)")
    assert set(entries.values_list("object_type", flat=True)) >= {"id-porten", "portal"}
    assert entries.filter(action=Action.VIEW_AUDIT_TRAIL).exists()
    assert patient.national_id not in str(list(AuditEntry.objects.values_list("detail", flat=True)))


def test_the_link_and_code_keep_working_beside_id_porten(point, invite, patient):
    _invitation, token = invite(point)
    signed_in(patient.national_id)
    client = english()
    use_link(client, token)
    assert client.get("/p/start/").status_code == 200
    assert client.get("/p/me/").status_code == 403  # a link session is not a person session


def test_sent_answers_are_shown_to_their_author(point, invite, patient):
    invitation, _token = invite(point)
    client = signed_in(patient.national_id)
    client.post(f"/p/me/answer/{invitation.public_id}/")
    client.post("/p/page/1/", {"what-matters": "Å være med barnebarna", "next": ""})
    client.post("/p/page/2/", {"distress-score": "3", "next": ""})
    assert client.post("/p/review/")["Location"] == "/p/receipt/"
    invitation.response.refresh_from_db()
    assert invitation.response.status == "completed"
    page = client.get("/p/me/").content.decode()
    assert f"/p/me/answers/{invitation.public_id}/" in page
    assert "Å være med barnebarna" in client.get(f"/p/me/answers/{invitation.public_id}/").content.decode()
    # Answered: the invitation cannot be opened again for answering.
    assert client.post(f"/p/me/answer/{invitation.public_id}/")["Location"] == f"/p/me/answers/{invitation.public_id}/"


def test_a_relative_is_bound_once_and_then_sees_only_their_own(point, invite, patient, relative, actor_of, personas):
    from portal import services

    own, _ = (
        services.send_invitation(actor_of(personas["coordinator"]), point, link_channel="sms", relative=relative),
        None,
    )
    patients_invitation, _token = invite(point)
    # Unknown to ID-porten's number before: nothing of the patient's.
    client = signed_in(RELATIVE)
    page = client.get("/p/me/").content.decode()
    assert str(own.public_id) not in page and str(patients_invitation.public_id) not in page

    # The relative signs in with their link and code, then with ID-porten in the same browser.
    client = english()
    use_link(client, token_from(MemorySMSBackend.outbox[-2][1]))
    idporten_sign_in(client, RELATIVE)
    relative.refresh_from_db()
    assert relative.national_id_hash and RELATIVE not in relative.national_id_hash

    client = signed_in(RELATIVE)  # later, from anywhere
    page = client.get("/p/me/").content.decode()
    assert f"/p/me/answer/{own.public_id}/" in page
    assert str(patients_invitation.public_id) not in page
    assert "/p/me/who-looked/" not in page and "/p/me/pathway/" not in page
    assert client.post(f"/p/me/answer/{patients_invitation.public_id}/").status_code == 404
    assert client.get("/p/me/who-looked/").status_code == 403
    assert client.get("/p/me/pathway/")["Location"] == "/p/me/"
    assert client.post(f"/p/me/answer/{own.public_id}/")["Location"] == "/p/start/"
    assert client.get("/p/start/").status_code == 200
    assert client.get("/p/pathway/")["Location"] == "/p/me/"  # not the patient's pathway
    assert client.get("/p/who-looked/").status_code == 403


def test_the_patient_cannot_bind_themselves_as_their_relative(point, relative, actor_of, personas, patient):
    from portal import services

    services.send_invitation(actor_of(personas["coordinator"]), point, link_channel="sms", relative=relative)
    client = english()
    use_link(client, token_from(MemorySMSBackend.outbox[-1][1]))
    idporten_sign_in(client, patient.national_id)
    relative.refresh_from_db()
    assert relative.national_id_hash == ""


def test_claims_without_a_national_id_are_refused_and_audited(db):
    client = english()
    response = idporten_sign_in(client, "not-a-number")
    assert response.status_code == 403
    assert AuditEntry.objects.filter(action=Action.DENIED, object_type="id-porten").exists()
    assert client.get("/p/me/").status_code == 403


def test_a_sign_in_below_substantial_opens_nothing(patient):
    client = english()
    assert idporten_sign_in(client, patient.national_id, acr="idporten-loa-low").status_code == 403
    assert client.get("/p/me/").status_code == 403
    assert AuditEntry.objects.filter(action=Action.DENIED, object_type="id-porten", patient_public_id=None).exists()


def test_the_person_session_ends_with_its_time_and_with_sign_out(patient, pinned_clock):
    client = signed_in(patient.national_id)
    assert client.get("/p/me/").status_code == 200
    pinned_clock.shift(datetime.timedelta(hours=settings.PORTAL_SESSION_HOURS, minutes=1))
    assert client.get("/p/me/").status_code == 403
    client = signed_in(patient.national_id)
    client.post("/p/sign-out/")
    assert client.get("/p/me/").status_code == 403


def test_an_unknown_person_asks_their_municipality(orgs):
    client = signed_in(STRANGER)
    page = client.get("/p/me/").content.decode()
    assert "/p/me/ask/" in page

    response = client.post("/p/me/ask/", {"municipality": "", "name": "", "message": "", "phone": "", "email": ""})
    page = response.content.decode()
    assert response.status_code == 200
    for message in (
        "Choose the municipality you live in.",
        "Enter your name.",
        "Write a few words",
        "Give a phone number or an e-mail address",
    ):
        assert message in page
    assert not PathwayRequest.objects.exists()

    data = {
        "municipality": orgs["askoy"].pk,
        "name": "Per Spør",
        "message": "Brystkreft, ferdig behandlet.",
        "phone": "91234567",
        "email": "nope",
    }
    assert "Enter an e-mail address" in client.post("/p/me/ask/", data).content.decode()
    data["email"] = ""
    assert client.post("/p/me/ask/", data)["Location"] == "/p/me/"
    row = PathwayRequest.objects.get()
    assert (row.municipality, row.national_id, row.patient, row.status) == (orgs["askoy"], STRANGER, None, "open")
    assert "Waiting for an answer" in client.get("/p/me/").content.decode()

    again = client.post("/p/me/ask/", data).content.decode()
    assert "You have already asked Askøy" in again
    assert PathwayRequest.objects.count() == 1
    data["municipality"] = orgs["voss"].pk
    client.post("/p/me/ask/", data)
    assert PathwayRequest.objects.count() == 2
    assert STRANGER not in str(list(AuditEntry.objects.values_list("detail", flat=True)))


def test_a_known_patient_outside_the_pathway_asks_with_their_municipality_chosen(patient):
    client = signed_in(patient.national_id)
    form = client.get("/p/me/ask/").content.decode()
    assert f'<option value="{patient.municipality_id}" selected>' in form
    assert "/p/me/pathway/" not in client.get("/p/me/").content.decode()


def test_a_patient_in_the_pathway_does_not_ask(point, patient, orgs):
    client = signed_in(patient.national_id)
    assert "/p/me/ask/" not in client.get("/p/me/").content.decode()
    assert client.get("/p/me/ask/")["Location"] == "/p/me/"
    from portal.persons import lookup

    with pytest.raises(pathway_requests.RequestRefused):
        pathway_requests.create(
            lookup(patient.national_id),
            municipality=orgs["askoy"],
            name="x",
            message="x",
            phone="91234567",
            email="",
            language="nb",
        )


def make_request(orgs, pid=STRANGER, municipality="askoy"):
    from portal.persons import lookup

    return pathway_requests.create(
        lookup(pid),
        municipality=orgs[municipality],
        name="Per Spør",
        message="Hei",
        phone="91234567",
        email="",
        language="nb",
    )


def test_the_worklist_shows_requests_only_to_their_municipality(orgs, personas, client_for):
    row = make_request(orgs)
    coordinator = client_for(personas["coordinator"]).get("/pathway/worklist/").content.decode()
    assert f"/invitations/requests/{row.public_id}/" in coordinator
    assert AuditEntry.objects.filter(action=Action.LIST, object_type="pathway request").exists()
    outsider = client_for(personas["outsider"])
    assert f"/invitations/requests/{row.public_id}/" not in outsider.get("/pathway/worklist/").content.decode()
    assert outsider.get(f"/invitations/requests/{row.public_id}/").status_code == 403
    assert AuditEntry.objects.filter(action=Action.DENIED, user=personas["outsider"]).exists()
    response = outsider.post(f"/invitations/requests/{row.public_id}/", {"status": "declined", "note": "x"})
    assert response.status_code == 403
    row.refresh_from_db()
    assert row.status == "open"


def test_the_municipality_answers_a_request_once(orgs, personas, client_for):
    row = make_request(orgs)
    client = client_for(personas["coordinator"])
    page = client.get(f"/invitations/requests/{row.public_id}/").content.decode()
    assert row.national_id_display in page
    assert client.post(f"/invitations/requests/{row.public_id}/", {"note": "x"}).status_code == 200
    response = client.post(f"/invitations/requests/{row.public_id}/", {"status": "enrolled", "note": "Velkommen."})
    assert response["Location"] == "/pathway/worklist/"
    row.refresh_from_db()
    assert (row.status, row.answer_note, row.answered_by) == ("enrolled", "Velkommen.", personas["coordinator"])
    assert AuditEntry.objects.filter(action=Action.UPDATE, object_type="pathway request").exists()
    later = client.post(f"/invitations/requests/{row.public_id}/", {"status": "declined", "note": ""})
    assert "answered this request already" in later.content.decode()
    row.refresh_from_db()
    assert row.status == "enrolled"
    assert f"/invitations/requests/{row.public_id}/" not in client.get("/pathway/worklist/").content.decode()

    person = signed_in(STRANGER).get("/p/me/").content.decode()
    assert "Enrolled in the pathway" in person and "Velkommen." in person
    # Answered: a new request to the same municipality may be made.
    make_request(orgs)
    assert PathwayRequest.objects.filter(status="open").count() == 1


def test_answering_is_refused_once_answered(orgs, personas, actor_of):
    row = make_request(orgs)
    actor = actor_of(personas["coordinator"])
    pathway_requests.answer(actor, row.public_id, status="answered", note="")
    with pytest.raises(pathway_requests.RequestRefused):
        pathway_requests.answer(actor, row.public_id, status="declined", note="")
    with pytest.raises(pathway_requests.RequestRefused):
        pathway_requests.answer(actor, make_request(orgs, municipality="askoy").public_id, status="nope", note="")
    assert Invitation.objects.count() == 0


def test_a_relative_bound_to_one_number_is_never_rebound(point, relative, actor_of, personas, patient):
    from portal import services

    services.send_invitation(actor_of(personas["coordinator"]), point, link_channel="sms", relative=relative)
    client = english()
    use_link(client, token_from(MemorySMSBackend.outbox[-1][1]))
    idporten_sign_in(client, RELATIVE)
    relative.refresh_from_db()
    bound = relative.national_id_hash

    someone = english()
    services.reissue(Invitation.objects.get(relative=relative))
    use_link(someone, token_from(MemorySMSBackend.outbox[-1][1]))
    idporten_sign_in(someone, STRANGER)
    relative.refresh_from_db()
    assert relative.national_id_hash == bound
    assert "/p/me/answer/" not in someone.get("/p/me/").content.decode()
    log = signed_in(patient.national_id).get("/p/me/who-looked/").content.decode()
    assert "Was refused a sign-in with ID-porten" in log


def test_the_id_porten_button_shows_only_when_id_porten_is_set_up(db, settings, monkeypatch):
    from portal import citizens

    assert "/accounts/oidc/" not in english().get("/p/code/").content.decode()
    settings.IDPORTEN_ISSUER = "https://idporten.example"
    assert citizens.idporten_start_url("/p/me/") is None  # no OpenID Connect URLs on this branch
    monkeypatch.setattr(citizens, "reverse", lambda name, kwargs: f"/accounts/oidc/{kwargs['provider']}/start/")
    page = english().get("/p/code/").content.decode()
    assert 'href="/accounts/oidc/idporten/start/?next=%2Fp%2Fme%2F"' in page
