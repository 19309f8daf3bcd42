"""Issue 16, items 2 and 4: emergency access that is reviewed, and registration that is neither an
existence oracle nor a back door (docs/emergency-access.md)."""

import datetime

import pytest
from django.core import mail

from accounts.models import Role
from audit.models import AuditEntry
from conftest import make_user, synthetic_id
from directory.models import Organisation
from patients import emergency
from patients.models import EmergencyAccess, Patient, Registration
from patients.tests.test_patient_views import form_data

REASON = "The patient is admitted acutely to our short-term unit"


@pytest.fixture
def other_hospital(orgs):
    """A hospital with no care relation to the `patient` fixture (registered by Haukeland)."""
    return Organisation.objects.filter(kind=Organisation.Kind.HOSPITAL).exclude(pk=orgs["haukeland"].pk).first()


@pytest.fixture
def stranger(other_hospital):
    return make_user("stranger", other_hospital, Role.HOSPITAL_CLINICIAN)


def grant(client, national_id, reason=REASON):
    return client.post("/patients/emergency-access/", {"national_id": national_id, "reason": reason})


# --- The reason ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("short", "at least 20 characters"),
        ("   Acute admission          ", "at least 20 characters"),
        ("aaaaaaaaaaaaaaaaaaaaaaaaa", "Describe the clinical situation in words"),
        ("aaaa aaaa aaaa aaaa aaaa aaaa", "Describe the clinical situation in words"),
        ("asdasdasd asdasdasd asdasdasd", "Describe the clinical situation in words"),
        ("x" * 200_000, "at most 1000 characters"),
    ],
)
def test_a_reason_too_short_junk_or_too_long_is_refused_and_never_stored(
    client_for, personas, patient, reason, message
):
    response = grant(client_for(personas["outsider"]), patient.national_id, reason)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not EmergencyAccess.objects.exists()
    assert not AuditEntry.objects.filter(reason__startswith="x").exists()
    assert not AuditEntry.objects.filter(action="emergency_access").exists()


def test_the_minimum_length_is_a_setting(client_for, personas, patient, settings):
    settings.EMERGENCY_REASON_MIN_LENGTH = 40
    response = grant(client_for(personas["outsider"]), patient.national_id, "Acute admission, unconscious")
    assert "at least 40 characters" in response.content.decode()


def test_the_reason_is_stored_stripped(client_for, personas, patient):
    grant(client_for(personas["outsider"]), patient.national_id, f"   {REASON}   \n")
    assert EmergencyAccess.objects.get().reason == REASON


# --- No existence oracle in the emergency-access form ------------------------------------------


def test_the_form_answers_a_known_and_an_unknown_number_alike(client_for, personas, patient):
    client = client_for(personas["outsider"])
    known = grant(client, patient.national_id)
    unknown = grant(client, synthetic_id(start=300))
    assert known.status_code == unknown.status_code == 302
    assert known["Location"].startswith("/patients/emergency-access/")
    assert unknown["Location"].startswith("/patients/emergency-access/")
    assert len(known["Location"]) == len(unknown["Location"])
    # Both are written, audited, counted and wait for review.
    assert EmergencyAccess.objects.filter(user=personas["outsider"]).count() == 2
    assert AuditEntry.objects.filter(action="emergency_access", username="outsider").count() == 2
    assert emergency.count_today(personas["outsider"]) == 2
    # Where each leads: the record, or a page that says no patient has the number.
    assert "Test Pasient" in client.get(known["Location"], follow=True).content.decode()
    assert "No patient with this number is registered" in client.get(unknown["Location"]).content.decode()


def test_a_grant_page_is_the_users_own(client_for, personas, patient, stranger):
    response = grant(client_for(personas["outsider"]), patient.national_id)
    assert client_for(stranger).get(response["Location"]).status_code == 404


# --- The daily count, the alert and the review queue --------------------------------------------


@pytest.fixture
def voss_admin(orgs):
    admin = make_user("voss-admin", orgs["voss"], Role.ORG_ADMIN)
    admin.email = "admin@voss.example"
    admin.save()
    return admin


def test_past_the_daily_count_access_is_granted_and_the_admins_are_alerted(
    client_for, personas, patient, voss_admin, django_capture_on_commit_callbacks
):
    client = client_for(personas["outsider"])
    for number in range(3):
        grant(client, synthetic_id(start=400 + 10 * number))
    assert not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        response = grant(client, patient.national_id)
    page = client.get(response["Location"], follow=True).content.decode()
    assert "Test Pasient" in page  # care cannot wait
    fourth = EmergencyAccess.objects.get(patient=patient)
    assert fourth.over_cap
    assert EmergencyAccess.objects.filter(over_cap=True).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["admin@voss.example"]
    assert "outsider" in mail.outbox[0].subject
    assert patient.national_id not in mail.outbox[0].body and "Pasient" not in mail.outbox[0].body
    home = client_for(voss_admin).get("/").content.decode()
    assert "past a user's daily count waits for your review" in home


def test_the_daily_count_is_a_setting_and_starts_again_the_next_day(client_for, personas, patient, settings):
    settings.EMERGENCY_DAILY_CAP = 1
    client = client_for(personas["outsider"])
    grant(client, synthetic_id(start=400))
    grant(client, patient.national_id)
    assert EmergencyAccess.objects.get(patient=patient).over_cap
    tomorrow = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    assert emergency.count_today(personas["outsider"], now=tomorrow) == 0


def test_the_admin_reviews_each_access_once(client_for, personas, patient, voss_admin):
    grant(client_for(personas["outsider"]), patient.national_id)
    access = EmergencyAccess.objects.get()
    admin = client_for(voss_admin)
    queue = admin.get("/patients/reviews/").content.decode()
    assert REASON in queue and "Outsider" in queue and "(outsider)" not in queue
    form = {"kind": "emergency", "public_id": str(access.public_id), "comment": "Checked with the ward: needed."}
    assert admin.post("/patients/reviews/", form).status_code == 302
    access.refresh_from_db()
    assert access.reviewed_by == voss_admin and access.review_comment == "Checked with the ward: needed."
    assert REASON not in admin.get("/patients/reviews/").content.decode()
    assert REASON in admin.get("/patients/reviews/?reviewed=1").content.decode()
    # A second review (a second admin, a page read before) is told who was first.
    again = admin.post("/patients/reviews/", {**form, "comment": "again"}, follow=True).content.decode()
    assert "voss-admin reviewed this already" in again
    access.refresh_from_db()
    assert access.review_comment == "Checked with the ward: needed."


def test_another_organisations_admin_cannot_review(client_for, personas, patient):
    grant(client_for(personas["outsider"]), patient.national_id)
    access = EmergencyAccess.objects.get()
    response = client_for(personas["admin"]).post(
        "/patients/reviews/", {"kind": "emergency", "public_id": str(access.public_id), "comment": "x"}
    )
    assert response.status_code == 403
    assert client_for(personas["outsider"]).get("/patients/reviews/").status_code == 403


def test_emergency_access_shows_in_the_log_of_the_patients_organisations(client_for, personas, patient):
    grant(client_for(personas["outsider"]), patient.national_id)
    page = client_for(personas["admin"]).get("/audit/").content.decode()  # Askøy: the patient's municipality
    assert "Emergency access by others to your patients" in page
    table = page[page.index("<table") :]
    assert "outsider" in table and REASON in table
    only = client_for(personas["admin"]).get("/audit/", {"emergency": "1"}).content.decode()
    assert REASON in only[only.index("<table") :]


def test_patients_opened_by_emergency_access_are_flagged_in_the_list_and_search(client_for, personas, patient):
    client = client_for(personas["outsider"])
    grant(client, patient.national_id)
    listed = client.get("/patients/").content.decode()
    assert "Pasient, Test" in listed and 'data-color="danger">Emergency access<' in listed
    searched = client.post("/patients/", {"q": "Pasient"}).content.decode()
    assert 'data-color="danger">Emergency access<' in searched
    own = client_for(personas["coordinator"]).get("/patients/").content.decode()
    assert 'data-color="danger">Emergency access<' not in own


# --- Registration: the same answer, and no back door ---------------------------------------------


def test_registering_a_known_and_a_new_person_answers_alike(client_for, orgs, patient, stranger):
    client = client_for(stranger)
    known = client.post(
        "/patients/new/", form_data(orgs, national_id=patient.national_id, given_name="Ola", family_name="Prober")
    )
    new = client.post("/patients/new/", form_data(orgs))
    assert known.status_code == new.status_code == 302
    assert known["Location"].startswith("/patients/registrations/")
    assert new["Location"].startswith("/patients/registrations/")
    known_page = client.get(known["Location"])
    new_page = client.get(new["Location"])
    assert known_page.status_code == new_page.status_code == 200
    assert "Prober" in known_page.content.decode()
    assert "Pasient" not in known_page.content.decode()
    # The known person's record is untouched; what was entered is kept on the registration.
    patient.refresh_from_db()
    assert (patient.given_name, patient.family_name) == ("Test", "Pasient")
    registration = Registration.objects.get(known=True)
    assert registration.entered["family_name"] == "Prober"
    assert Patient.objects.count() == 2


def test_a_registration_of_a_known_person_opens_nothing_of_the_record(client_for, personas, orgs, patient, stranger):
    client = client_for(stranger)
    data = form_data(orgs, national_id=patient.national_id, given_name="Ola", family_name="Prober")
    response = client.post("/patients/new/", data)
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.known and registration.patient == patient
    assert client.get(f"/patients/{patient.public_id}/").status_code == 403
    record = client.get(f"/patients/registrations/{registration.public_id}/record/")
    assert record.status_code == 403
    assert "Pasient" not in record.content.decode()
    assert "Pasient" not in client.get("/patients/").content.decode()
    # It is audited, counted and waits for review by the stranger's admin.
    entry = AuditEntry.objects.get(object_type="registration", action="create")
    assert entry.patient_public_id == patient.public_id and entry.detail == "already registered"
    assert emergency.count_today(stranger) == 1
    assert [item.public_id for item in emergency.queue(stranger.memberships.get().organisation)] == [
        registration.public_id
    ]


def test_reading_a_registration_is_audited(client_for, orgs, patient, stranger):
    client = client_for(stranger)
    client.post("/patients/new/", form_data(orgs, national_id=patient.national_id, given_name="Ola"))
    registration = Registration.objects.get()
    assert client.get(f"/patients/registrations/{registration.public_id}/").status_code == 200
    entry = AuditEntry.objects.get(object_type="registration", action="view")
    assert entry.patient_public_id == patient.public_id and entry.username == stranger.username


def test_a_registration_by_an_organisation_with_a_care_relation_is_not_for_review(client_for, personas, orgs, patient):
    client = client_for(personas["coordinator"])  # Askøy: the patient's municipality
    response = client.post("/patients/new/", form_data(orgs, national_id=patient.national_id))
    registration = Registration.objects.get()
    assert response["Location"] == f"/patients/registrations/{registration.public_id}/"
    assert not registration.known
    assert emergency.count_today(personas["coordinator"]) == 0
    record = client.get(f"/patients/registrations/{registration.public_id}/record/")
    assert record["Location"] == f"/patients/{patient.public_id}/"


def test_a_new_persons_registration_leads_to_the_record(client_for, personas, orgs):
    client = client_for(personas["coordinator"])
    response = client.post("/patients/new/", form_data(orgs))
    registration = Registration.objects.get()
    assert not registration.known
    record = client.get(f"/patients/registrations/{registration.public_id}/record/")
    assert record["Location"] == f"/patients/{registration.patient.public_id}/"
    assert response.status_code == 302
    assert emergency.count_today(personas["coordinator"]) == 0  # new persons do not count


def test_a_hospital_enrols_from_its_registration_of_a_known_person(client_for, orgs, patient, stranger, today):
    client = client_for(stranger)
    data = form_data(orgs, national_id=patient.national_id, given_name="Ola", family_name="Prober")
    client.post("/patients/new/", data)
    registration = Registration.objects.get()
    page = client.get(f"/pathway/registrations/{registration.public_id}/enrol/").content.decode()
    assert "Ola Prober" in page and "Test Pasient" not in page
    response = client.post(
        f"/pathway/registrations/{registration.public_id}/enrol/",
        {
            "diagnosis_date": (today - datetime.timedelta(days=3)).isoformat(),
            "icd10_code": "C50.9",
            "treatment_intent": "curative",
            "offer": "accepted",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    enrolment = patient.enrolments.get()
    assert enrolment.enrolling_organisation == stranger.memberships.get().organisation
    # Enrolling gives the care relation the pathway gives: the record opens now.
    assert client.get(f"/patients/{patient.public_id}/").status_code == 200


def test_registrations_of_known_persons_and_emergency_accesses_share_the_daily_count(
    client_for, personas, orgs, patient, settings
):
    settings.EMERGENCY_DAILY_CAP = 1
    client = client_for(personas["outsider"])
    client.post(
        "/patients/new/", form_data(orgs, national_id=patient.national_id, municipality=orgs["voss"].pk, gp_office="")
    )
    assert Registration.objects.get(known=True)
    grant(client, synthetic_id(start=500))
    assert EmergencyAccess.objects.get().over_cap


def test_attempts_past_the_throttle_are_refused_and_audited(client_for, personas, orgs, patient, settings):
    settings.IDENTITY_THROTTLE_PER_USER = 2
    client = client_for(personas["coordinator"])
    for number in range(2):
        assert (
            client.post(
                "/patients/new/", form_data(orgs, national_id=synthetic_id(start=600 + 10 * number))
            ).status_code
            == 302
        )
    refused = client.post("/patients/new/", form_data(orgs, national_id=patient.national_id))
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert not Registration.objects.filter(known=True).exists()
    assert AuditEntry.objects.filter(action="denied", object_type="registration", detail="throttled").count() == 1
    refused = grant(client_for(personas["coordinator"]), synthetic_id(start=700))
    assert refused.status_code == 429
    assert not EmergencyAccess.objects.exists()
