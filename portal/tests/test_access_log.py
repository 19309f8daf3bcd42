"""The patient's page "Who has looked at my information" (issue 16, pasientjournalloven § 18):
every audit entry about the patient, told in the patient's words, in bokmål, nynorsk and English;
emergency access flagged with its reason; the look itself audited as the patient's own."""

import datetime
import types

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client as DjangoClient

from audit import services as audit
from audit.models import AuditEntry
from conftest import synthetic_id
from lib import nin
from patients import access
from patients.models import Patient, Relative
from portal import services
from portal.senders import MemorySMSBackend
from portal.tests.conftest import code_from, token_from

Action = AuditEntry.Action


def Client():  # noqa: N802 (a test client in English, as the tests read)
    client = DjangoClient()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def sign_in(client, token):
    client.get(f"/p/{token}/")
    client.post("/p/invitation/")
    assert client.post("/p/code/", {"code": code_from(mail.outbox[-1].body)})["Location"] == "/p/start/"
    return client


def signed_in(point, invite, language="en"):
    patient = point.enrolment.patient
    patient.preferred_language = language
    patient.save()
    _invitation, token = invite(point)
    return sign_in(Client(), token)


def looked(client, query=""):
    response = client.get(f"/p/who-looked/{query}")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "language, heading",
    [
        ("nb", "Hvem har sett opplysningene mine"),
        ("nn", "Kven har sett opplysningane mine"),
        ("en", "Who has looked at my information"),
    ],
)
def test_the_page_is_linked_from_the_portal_in_the_patients_language(point, invite, language, heading):
    client = signed_in(point, invite, language)
    start = client.get("/p/start/").content.decode()
    assert 'href="/p/who-looked/"' in start and heading in start
    page = looked(client)
    assert f'<h1 class="ds-heading" data-size="lg">{heading}</h1>' in page


def test_a_staff_member_is_shown_by_name_role_and_organisation(point, invite, actor_of, personas):
    patient = point.enrolment.patient
    access.open_patient(actor_of(personas["nurse"]), patient.public_id, Action.VIEW)
    page = looked(signed_in(point, invite))
    assert "Nurse, Hospital clinician" in page
    assert "Haukeland universitetssjukehus" in page
    assert "Looked at your information" in page


@pytest.mark.parametrize(
    "language, flag, reason_label",
    [
        ("nb", "Nødtilgang", "Oppgitt begrunnelse"),
        ("nn", "Nødtilgang", "Oppgitt grunngjeving"),
        ("en", "Emergency access", "Reason given"),
    ],
)
def test_emergency_access_is_flagged_with_its_reason(point, invite, actor_of, personas, language, flag, reason_label):
    patient = point.enrolment.patient
    outsider = actor_of(personas["outsider"])
    reason = "Innlagt akutt på legevakten i Voss, trenger oversikt"
    access.grant_emergency_access(outsider, patient, reason)
    access.open_patient(outsider, patient.public_id, Action.VIEW)
    page = looked(signed_in(point, invite, language))
    assert page.count('class="ds-card hv-emergency"') == 2  # the grant and the look under it
    assert f'<span class="ds-tag" data-color="danger">{flag}</span>' in page
    assert f"{reason_label}: " in page and reason in page
    assert "Outsider" in page and "Voss" in page


def test_list_system_fhir_and_refused_entries_are_told_in_the_patients_words(point, invite, actor_of, personas):
    patient = point.enrolment.patient
    coordinator = actor_of(personas["coordinator"])
    audit.record_many(coordinator, Action.LIST, [patient.public_id], detail="worklist")
    audit.record(None, Action.UPDATE, patient_public_id=patient.public_id, object_type="reminder")
    fhir = types.SimpleNamespace(
        user=personas["gp"], organisation=coordinator.organisation, role="gp", client_name="Journalsystem X"
    )
    audit.record(fhir, Action.VIEW, patient_public_id=patient.public_id)
    access_denied = actor_of(personas["outsider"])
    with pytest.raises(PermissionDenied):
        access.open_patient(access_denied, patient.public_id, Action.VIEW)
    page = looked(signed_in(point, invite))
    assert "Saw you in a list" in page and "Coordinator, Municipal coordinator" in page
    assert "Heimveg (automatic)" in page
    assert "The system Journalsystem X, System (FHIR API)" in page
    assert "Was refused access" in page


def test_the_patients_own_actions_show_as_you_and_the_look_is_audited(point, invite):
    client = signed_in(point, invite)
    client.get("/p/page/1/")
    page = looked(client)
    assert "Signed in with the code" in page
    assert "Looked at your pages" in page
    assert "Looked at who has seen your information" in page  # this very look, at the top
    first_card = page.split('<li class="ds-card')[1]
    assert "Looked at who has seen your information" in first_card and "<dd>You</dd>" in first_card
    entry = AuditEntry.objects.filter(action=Action.VIEW_AUDIT_TRAIL).get()
    assert entry.username == "patient (portal)" and entry.role == "patient" and entry.detail == "who looked"
    assert entry.patient_public_id == point.enrolment.patient.public_id


def test_a_wrong_code_is_not_shown_as_the_patients_own(point, invite):
    point.enrolment.patient.preferred_language = "en"
    point.enrolment.patient.save()
    _invitation, token = invite(point)
    stranger = Client()
    stranger.get(f"/p/{token}/")
    stranger.post("/p/invitation/")
    right = code_from(mail.outbox[-1].body)
    stranger.post("/p/code/", {"code": "000000" if right != "000000" else "111111"})
    client = sign_in(Client(), token)
    page = looked(client)
    assert "Someone with your invitation link" in page and "Entered a wrong code" in page


def test_only_this_patients_entries_are_shown(point, invite, actor_of, personas, orgs):
    birth = datetime.date(1970, 1, 2)
    other = Patient.objects.create(
        national_id=synthetic_id(birth),
        national_id_kind=nin.FODSELSNUMMER,
        date_of_birth=birth,
        given_name="Annen",
        family_name="Person",
        municipality=orgs["askoy"],
        registered_by=orgs["haukeland"],
    )
    audit.record(actor_of(personas["nurse"]), Action.UPDATE, patient_public_id=other.public_id)
    page = looked(signed_in(point, invite))
    assert "Changed information" not in page


def test_the_log_is_paged(point, invite, actor_of, personas, settings):
    settings.PORTAL_ACCESS_LOG_PAGE_SIZE = 5
    patient = point.enrolment.patient
    nurse = actor_of(personas["nurse"])
    for _ in range(12):
        audit.record(nurse, Action.VIEW, patient_public_id=patient.public_id)
    client = signed_in(point, invite)
    total = len(audit.trail_for_patient(patient.public_id)) + 1  # and the look itself
    first = looked(client)
    assert first.count('<li class="ds-card') == 5
    assert 'href="?page=2"' in first and f"Page 1 of {-(-total // 5)}" in first
    last = looked(client, f"?page={-(-(total + 1) // 5)}")
    assert 0 < last.count('<li class="ds-card') <= 5


def test_a_relative_in_the_portal_does_not_see_the_patients_log(point, actor_of, personas):
    patient = point.enrolment.patient
    patient.preferred_language = "en"
    patient.save()
    relative = Relative.objects.create(
        patient=patient, name="Kari Pårørende", relation="spouse", phone="+4799887766", email="kari@example.test"
    )
    invitation = services.send_invitation(
        actor_of(personas["coordinator"]), point, link_channel="sms", relative=relative
    )
    assert invitation.relative == relative
    client = sign_in(Client(), token_from(MemorySMSBackend.outbox[-1][1]))
    assert 'href="/p/who-looked/"' not in client.get("/p/start/").content.decode()
    response = client.get("/p/who-looked/")
    assert response.status_code == 403
    assert "Only the patient can see" in response.content.decode()
    assert not AuditEntry.objects.filter(action=Action.VIEW_AUDIT_TRAIL).exists()


def test_signed_out_nobody_sees_the_log():
    assert Client().get("/p/who-looked/").status_code == 403
