"""The organisation admin's audit log: names where the organisation has a care relation, the public
id otherwise; filters by user, patient (looked up by national id or name through patients.access),
action and date range; paged; reading names is audited."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit import services as audit
from audit.models import AuditEntry
from conftest import make_user, synthetic_id
from lib import nin
from patients.models import Patient

Action = AuditEntry.Action
URL = reverse("audit:organisation_log")


@pytest.fixture
def stranger(orgs):
    """A patient in Voss, registered by Voss: Askøy has no care relation."""
    birth = datetime.date(1970, 2, 3)
    return Patient.objects.create(
        national_id=synthetic_id(birth),
        national_id_kind=nin.FODSELSNUMMER,
        date_of_birth=birth,
        given_name="Sigrid",
        family_name="Framand",
        municipality=orgs["voss"],
        registered_by=orgs["voss"],
    )


@pytest.fixture
def entries(actor_of, personas, patient, stranger):
    coordinator = actor_of(personas["coordinator"])
    gp_office_user = actor_of(personas["gp"])  # acts for the GP office: not in Askøy's log
    audit.record(coordinator, Action.VIEW, patient_public_id=patient.public_id)
    audit.record(coordinator, Action.DENIED, patient_public_id=stranger.public_id)
    audit.record(gp_office_user, Action.VIEW, patient_public_id=patient.public_id)
    return coordinator


def log(client, params=None):
    response = client.get(URL, params or {})
    assert response.status_code == 200
    return response.content.decode()


def test_names_for_patients_with_a_care_relation_and_the_reference_otherwise(
    client_for, personas, entries, patient, stranger
):
    page = log(client_for(personas["admin"]))
    assert "Test Pasient" in page
    assert "Framand" not in page and "Sigrid" not in page
    assert f"patient={stranger.public_id}" in page
    assert str(stranger.public_id)[:8] in page
    # Reading the names is audited: one entry for the named patients only.
    shown = AuditEntry.objects.filter(action=Action.VIEW_AUDIT_TRAIL, username="admin")
    assert {p for e in shown for p in e.patient_ids} == {patient.public_id}


def test_filters_by_user_action_and_patient(client_for, personas, entries, patient, stranger):
    client = client_for(personas["admin"])
    other = make_user("second", personas["admin"].memberships.get().organisation, "municipal_coordinator")
    assert "Test Pasient" in log(client, {"user": str(personas["coordinator"].public_id), "action": "view"})
    page = log(client, {"user": str(other.public_id)})
    assert "No entries." in page or "Ingen oppføringar" in page or "Ingen oppføringer" in page
    denied = log(client, {"action": "denied"})
    assert str(stranger.public_id)[:8] in denied and "Test Pasient" not in denied
    only_stranger = log(client, {"patient": str(stranger.public_id)})
    assert "Test Pasient" not in only_stranger and str(stranger.public_id) in only_stranger


def test_filters_by_date_range(client_for, personas, entries):
    # Entries take their time from the database's clock (the hash chain), not the tests' pinned one.
    day = timezone.localdate(AuditEntry.objects.latest("id").occurred_at)
    client = client_for(personas["admin"])
    page = log(client, {"date_from": day.isoformat(), "date_to": day.isoformat(), "action": "view"})
    assert page.count("<tr>") == 1 + 1  # the header and the coordinator's view that day
    before = (day - datetime.timedelta(days=1)).isoformat()
    assert log(client, {"date_to": before}).count("<tr>") == 0  # nothing: no table
    assert log(client, {"date_from": (day + datetime.timedelta(days=1)).isoformat()}).count("<tr>") == 0
    refused = log(client, {"date_from": day.isoformat(), "date_to": before})
    assert 'aria-invalid="true"' in refused


def test_a_lookup_by_national_id_or_name_filters_by_the_patient(client_for, personas, entries, patient, stranger):
    client = client_for(personas["admin"])
    response = client.post(f"{URL}?action=view", {"q": patient.national_id})
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?action=view&patient={patient.public_id}"
    assert patient.national_id not in response["Location"]
    response = client.post(URL, {"q": "pasient"})
    assert response["Location"] == f"{URL}?patient={patient.public_id}"
    assert AuditEntry.objects.filter(action=Action.LIST, username="admin", detail="audit log lookup").count() == 2


def test_a_lookup_answers_alike_for_an_unrelated_and_an_unknown_person(client_for, personas, entries, stranger):
    client = client_for(personas["admin"])
    unrelated = client.post(URL, {"q": stranger.national_id})
    unknown = client.post(URL, {"q": synthetic_id(datetime.date(1980, 1, 1))})
    assert unrelated.status_code == unknown.status_code == 200
    assert "Framand" not in unrelated.content.decode()
    strip = lambda r: r.content.decode().replace(stranger.national_id, "X")  # noqa: E731
    assert 'aria-invalid="true"' in strip(unrelated)
    assert strip(unrelated).count("aria-invalid") == strip(unknown).count("aria-invalid")


def test_several_matches_are_offered_to_choose_from(client_for, personas, entries, patient, orgs):
    Patient.objects.create(
        national_id=synthetic_id(datetime.date(1950, 1, 1)),
        national_id_kind=nin.FODSELSNUMMER,
        date_of_birth=datetime.date(1950, 1, 1),
        given_name="Test",
        family_name="Andre",
        municipality=orgs["askoy"],
        registered_by=orgs["haukeland"],
    )
    page = client_for(personas["admin"]).post(URL, {"q": "Test"}).content.decode()
    assert "Test Andre" in page and "Test Pasient" in page
    assert f"patient={patient.public_id}" in page


def test_the_log_is_paged_and_keeps_its_filters(client_for, personas, entries, patient):
    for _ in range(60):
        audit.record_many(entries, Action.LIST, [patient.public_id], detail="page 1")
    client = client_for(personas["admin"])
    first = log(client, {"action": "list"})
    assert first.count("<tr>") == 1 + 50
    assert "action=list&amp;page=2" in first
    second = log(client, {"action": "list", "page": "2"})
    assert second.count("<tr>") >= 1 + 10


def test_every_filter_has_a_label(client_for, personas, entries):
    page = log(client_for(personas["admin"]))
    for name in ("user", "action", "date_from", "date_to", "emergency", "q"):
        assert f'for="id_{name}"' in page, name


@pytest.mark.parametrize(("language", "label"), [("nb", "Fra dato"), ("nn", "Frå dato"), ("en", "From date")])
def test_the_filters_are_translated(client_for, personas, entries, settings, language, label):
    client = client_for(personas["admin"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    assert label in log(client)


def test_a_list_entry_names_every_patient_it_showed_and_is_found_by_each(
    client_for, personas, entries, patient, stranger
):
    audit.record_many(entries, Action.LIST, [patient.public_id, stranger.public_id], detail="worklist")
    client = client_for(personas["admin"])
    page = log(client, {"action": "list"})
    assert "Test Pasient" in page and str(stranger.public_id)[:8] in page
    assert "Framand" not in page
    for public_id in (patient.public_id, stranger.public_id):
        found = log(client, {"action": "list", "patient": str(public_id)})
        assert found.count("<tr>") == 1 + 1
