"""Registering, opening and changing patients through the pages."""

import datetime
import uuid

import pytest

from audit.models import AuditEntry
from conftest import synthetic_id
from patients.models import Patient, Relative


def form_data(orgs, **overrides):
    data = {
        "national_id": synthetic_id(datetime.date(1970, 3, 14)),
        "given_name": "Kari",
        "family_name": "Nordmann",
        "municipality": orgs["askoy"].pk,
        "gp_office": orgs["gp_office"].pk,
        "preferred_language": "nn",
        "date_of_death": "",
    }
    data.update(overrides)
    return data


def test_the_coordinator_registers_a_patient_and_it_is_audited(client_for, personas, orgs):
    response = client_for(personas["coordinator"]).post("/patients/new/", form_data(orgs))
    patient = Patient.objects.get(family_name="Nordmann")
    assert response.status_code == 302
    assert response["Location"] == f"/patients/registrations/{patient.registrations.get().public_id}/"
    assert patient.date_of_birth == datetime.date(1970, 3, 14)
    assert patient.registered_by == orgs["askoy"]
    assert patient.national_id_kind == "fnr"
    assert AuditEntry.objects.filter(
        patient_public_id=patient.public_id, action="create", username="coordinator"
    ).exists()


def test_a_bad_number_is_explained_next_to_the_field_and_nothing_typed_is_lost(client_for, personas, orgs):
    good = synthetic_id(datetime.date(1970, 3, 14))
    bad = good[:10] + str((int(good[10]) + 1) % 10)
    response = client_for(personas["coordinator"]).post("/patients/new/", form_data(orgs, national_id=bad))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_national_id_error"' in page
    assert "check digits do not match" in page
    assert 'aria-invalid="true"' in page
    assert 'value="Nordmann"' in page
    assert not Patient.objects.filter(family_name="Nordmann").exists()


def test_a_birth_date_in_the_future_is_refused(client_for, personas, orgs):
    birth = datetime.date.today() + datetime.timedelta(days=30)
    future = next(n for i in range(500, 1000) if (n := __import__("lib.nin").nin.synthetic_number(birth, i)))
    response = client_for(personas["coordinator"]).post("/patients/new/", form_data(orgs, national_id=future))
    assert "is in the future" in response.content.decode()
    assert not Patient.objects.exists()


def test_a_duplicate_answers_as_a_new_person_and_opens_nothing(client_for, personas, orgs, patient):
    """No existence oracle (issue 16; patients/tests/test_emergency_review.py has the rest)."""
    response = client_for(personas["coordinator"]).post(
        "/patients/new/", form_data(orgs, national_id=patient.national_id)
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/patients/registrations/")
    assert str(patient.public_id) not in client_for(personas["coordinator"]).get(response["Location"]).content.decode()
    assert Patient.objects.count() == 1


def test_a_municipality_cannot_register_a_patient_living_elsewhere(client_for, personas, orgs):
    response = client_for(personas["coordinator"]).post("/patients/new/", form_data(orgs, municipality=orgs["voss"].pk))
    assert "can register only patients who live there" in response.content.decode()
    assert not Patient.objects.exists()


def test_a_date_of_death_in_the_future_is_refused(client_for, personas, orgs):
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    response = client_for(personas["nurse"]).post("/patients/new/", form_data(orgs, date_of_death=tomorrow))
    assert "cannot be in the future" in response.content.decode()


def test_the_patient_page_shows_the_patient_and_is_audited(client_for, personas, patient):
    response = client_for(personas["gp"]).get(f"/patients/{patient.public_id}/")
    assert response.status_code == 200
    assert "Test Pasient" in response.content.decode()
    assert AuditEntry.objects.filter(patient_public_id=patient.public_id, action="view", username="gp").exists()


@pytest.mark.parametrize("path", ["/", "/edit/", "/relatives/new/"])
def test_an_outsider_cannot_reach_the_patient_by_guessing_the_url(client_for, personas, patient, path):
    response = client_for(personas["outsider"]).get(f"/patients/{patient.public_id}{path}")
    assert response.status_code == 403
    assert "Pasient" not in response.content.decode()
    assert AuditEntry.objects.filter(patient_public_id=patient.public_id, action="denied", username="outsider").exists()


def test_an_outsider_cannot_change_the_patient(client_for, personas, patient, orgs):
    response = client_for(personas["outsider"]).post(
        f"/patients/{patient.public_id}/edit/", form_data(orgs, national_id=patient.national_id, given_name="X")
    )
    assert response.status_code == 403
    patient.refresh_from_db()
    assert patient.given_name == "Test"


def test_an_outsider_cannot_remove_a_relative(client_for, personas, patient):
    relative = Relative.objects.create(patient=patient, name="Ola Pasient", relation="spouse")
    response = client_for(personas["outsider"]).post(
        f"/patients/{patient.public_id}/relatives/{relative.public_id}/remove/"
    )
    assert response.status_code == 403
    assert Relative.objects.filter(pk=relative.pk).exists()


def test_an_unknown_patient_id_is_not_found(client_for, personas):
    assert client_for(personas["coordinator"]).get(f"/patients/{uuid.uuid4()}/").status_code == 404


@pytest.mark.parametrize("persona", ["analyst", "admin"])
def test_non_clinical_roles_get_no_patient_pages(client_for, personas, patient, persona):
    client = client_for(personas[persona])
    assert client.get("/patients/").status_code == 403
    assert client.get(f"/patients/{patient.public_id}/").status_code == 403


def test_the_list_shows_only_related_patients_and_logs_each(client_for, personas, patient):
    page = client_for(personas["outsider"]).get("/patients/").content.decode()
    assert "Pasient, Test" not in page
    page = client_for(personas["coordinator"]).get("/patients/").content.decode()
    assert "Pasient, Test" in page
    # One list entry per look, naming every patient shown, found per patient.
    assert AuditEntry.objects.concerning(patient.public_id).filter(action="list").count() == 1


def test_search_is_a_post_and_finds_by_name_and_number(client_for, personas, patient):
    client = client_for(personas["coordinator"])
    assert "Pasient, Test" in client.post("/patients/", {"q": "pasient"}).content.decode()
    assert "Pasient, Test" in client.post("/patients/", {"q": patient.national_id}).content.decode()
    assert "Pasient, Test" not in client.post("/patients/", {"q": "Nobody"}).content.decode()


def test_changing_a_patient_is_audited_with_the_changed_fields_only(client_for, personas, patient, orgs):
    client = client_for(personas["coordinator"])
    data = form_data(
        orgs, national_id=patient.national_id, given_name="Tesse", family_name="Pasient", preferred_language="nb"
    )
    response = client.post(f"/patients/{patient.public_id}/edit/", data)
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.given_name == "Tesse"
    entry = AuditEntry.objects.get(patient_public_id=patient.public_id, action="update", object_type="patient")
    assert entry.detail == "given_name"
    assert "Tesse" not in entry.detail


def test_moving_the_patient_away_tells_the_user_they_lose_access(client_for, personas, patient, orgs):
    client = client_for(personas["coordinator"])
    data = form_data(
        orgs,
        national_id=patient.national_id,
        given_name="Test",
        family_name="Pasient",
        municipality=orgs["voss"].pk,
        gp_office="",
    )
    response = client.post(f"/patients/{patient.public_id}/edit/", data, follow=True)
    assert response.redirect_chain[-1][0] == "/patients/"
    assert "no longer has a care relation" in response.content.decode()


def test_relatives_are_added_changed_and_removed(client_for, personas, patient):
    client = client_for(personas["coordinator"])
    response = client.post(
        f"/patients/{patient.public_id}/relatives/new/",
        {"name": "Lille Pasient", "relation": "child", "phone": "", "is_child": "on", "note": ""},
    )
    assert response.status_code == 302
    relative = patient.relatives.get()
    assert relative.is_child
    page = client.get(f"/patients/{patient.public_id}/").content.decode()
    assert "Lille Pasient" in page

    response = client.post(
        f"/patients/{patient.public_id}/relatives/{relative.public_id}/",
        {"name": "Lille Pasient", "relation": "child", "phone": "12", "is_child": "on"},
    )
    assert "Enter a phone number" in response.content.decode()

    client.post(f"/patients/{patient.public_id}/relatives/{relative.public_id}/remove/")
    assert not patient.relatives.exists()
    actions = set(AuditEntry.objects.filter(object_type="relative").values_list("action", flat=True))
    assert {"create", "delete"} <= actions


def test_no_personal_data_in_redirect_urls(client_for, personas, orgs):
    response = client_for(personas["coordinator"]).post("/patients/new/", form_data(orgs))
    patient = Patient.objects.get()
    assert patient.national_id not in response["Location"]
    assert "Nordmann" not in response["Location"]


def test_the_list_is_paged_and_every_shown_patient_is_logged(client_for, personas, orgs, patient):
    from lib import nin

    birth = datetime.date(1950, 1, 1)
    numbers = [n for i in range(100, 200) if (n := nin.synthetic_number(birth, i))][:30]
    Patient.objects.bulk_create(
        Patient(
            national_id=n,
            national_id_kind="fnr",
            date_of_birth=birth,
            given_name="Side",
            family_name=f"P{i:02d}",
            municipality=orgs["askoy"],
            registered_by=orgs["haukeland"],
        )
        for i, n in enumerate(numbers)
    )
    client = client_for(personas["coordinator"])
    first = client.get("/patients/").content.decode()
    second = client.get("/patients/?page=2").content.decode()
    assert "Page 1 of 2" in first and "page=2" in first
    assert "P00, Side" in first and "P00, Side" not in second
    assert "Pasient, Test" in first + second
    # One entry per page looked at, naming the patients that page showed.
    entries = AuditEntry.objects.filter(action="list", username="coordinator").order_by("id")
    assert [len(e.patient_ids) for e in entries] == [25, 6]
    assert len({p for e in entries for p in e.patient_ids}) == 31


def test_a_name_with_a_direction_override_is_refused(client_for, personas, orgs):
    response = client_for(personas["coordinator"]).post("/patients/new/", form_data(orgs, family_name="Nord\u202emann"))
    assert response.status_code == 200
    assert "U+202E" in response.content.decode()
    assert response.context["form"].errors["family_name"]
    assert not Patient.objects.exists()


def test_a_relative_name_with_a_zero_width_character_is_refused(client_for, personas, patient):
    response = client_for(personas["coordinator"]).post(
        f"/patients/{patient.public_id}/relatives/new/",
        {"name": "Kari\u200b Pasient", "relation": "child", "phone": "", "note": ""},
    )
    assert response.status_code == 200
    assert "U+200B" in response.content.decode()
    assert not patient.relatives.exists()
