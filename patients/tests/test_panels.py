"""Outer apps add to the patients' pages through patients.panels, registered at start-up: the
patients app imports no outer app, and its templates name none of their templates, tags or URLs."""

import pytest

from conftest import synthetic_id
from patients import panels
from patients.models import Registration


def test_the_pathway_fills_the_patient_pages_slots_at_start_up():
    assert {name: slot.names() for name, slot in panels.SLOTS.items()} == {
        "patient_sections": ["pathway.enrolments"],
        "own_records_sections": ["pathway.own_records"],
        "registration_actions": ["pathway.enrol"],
    }


@pytest.fixture
def without_outer_apps(monkeypatch):
    """Every slot of the patients' pages as if no outer app had filled it."""
    for slot in panels.SLOTS.values():
        monkeypatch.setattr(slot, "_panels", {})


@pytest.fixture
def registration(client_for, personas, orgs):
    client_for(personas["coordinator"]).post(
        "/patients/new/",
        {
            "national_id": synthetic_id(),
            "given_name": "Kari",
            "family_name": "Nordmann",
            "municipality": orgs["askoy"].pk,
            "preferred_language": "nb",
        },
    )
    return Registration.objects.get()


def test_the_patient_page_shows_the_pathways_section(client_for, personas, patient):
    page = client_for(personas["nurse"]).get(f"/patients/{patient.public_id}/").content.decode()
    assert "The pathway home" in page and f'href="/pathway/patients/{patient.public_id}/enrol/"' in page


def test_the_patient_page_renders_without_the_outer_apps(client_for, personas, patient, without_outer_apps):
    response = client_for(personas["nurse"]).get(f"/patients/{patient.public_id}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "The pathway home" not in page and "/pathway/patients/" not in page
    assert "Relatives" in page  # the page's own


def test_the_registration_page_offers_enrolling(client_for, personas, registration):
    page = client_for(personas["coordinator"]).get(f"/patients/registrations/{registration.public_id}/")
    assert f'href="/pathway/registrations/{registration.public_id}/enrol/"' in page.content.decode()


def test_the_registration_page_renders_without_the_outer_apps(client_for, personas, registration, without_outer_apps):
    response = client_for(personas["coordinator"]).get(f"/patients/registrations/{registration.public_id}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "/pathway/registrations/" not in page
    assert f'href="/patients/registrations/{registration.public_id}/record/"' in page  # the page's own
