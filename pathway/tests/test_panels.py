"""Outer apps add to the pathway's pages through pathway.panels, registered at start-up: the
pathway itself imports neither the handover, the portal nor the assessment, and its templates
name none of their templates, tags or URLs."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from pathway import panels, services


def test_the_portal_and_the_assessment_register_their_point_loaders_at_start_up():
    assert {"portal.invitation_box", "assessment.started"} <= set(panels._point_loaders)


def test_every_loader_gets_the_points_and_the_patient_and_a_new_registration_replaces_an_old_one(monkeypatch):
    monkeypatch.setattr(panels, "_point_loaders", {})
    calls = []
    panels.register_point_loader("one", lambda points, patient: calls.append(("old", len(points), patient)))
    panels.register_point_loader("two", lambda points, patient: calls.append(("two", len(points), patient)))
    panels.register_point_loader("one", lambda points, patient: calls.append(("one", len(points), patient)))
    points = [SimpleNamespace(pk=1), SimpleNamespace(pk=2)]
    panels.load_points(points, "the patient")
    assert calls == [("one", 2, "the patient"), ("two", 2, "the patient")]


def test_the_outer_apps_fill_the_pathway_pages_slots_at_start_up():
    assert {name: slot.names() for name, slot in panels.SLOTS.items()} == {
        "point_title": ["assessment.point"],
        "prepare_step": ["portal.invitation_box"],
        "conversation_step": ["assessment.conversation"],
        "completion_fields": ["handover.completion_fields"],
        "point_corrections": ["handover.correction"],
        "enrolment_sections": ["handover.messages"],
        "worklist_alerts": ["portal.requests", "handover.summary"],
        "worklist_sections": ["handover.handed_over"],
    }


@pytest.fixture
def enrolment(actor_of, personas, patient):
    return services.enrol(
        actor_of(personas["nurse"]),
        patient,
        diagnosis_date=timezone.localdate() - datetime.timedelta(days=10),
        icd10_code="C61",
        treatment_intent="curative",
        offer="accepted",
    )


@pytest.fixture
def without_outer_apps(monkeypatch):
    """Every slot of the pathway's pages as if no outer app had filled it."""
    for slot in panels.SLOTS.values():
        monkeypatch.setattr(slot, "_panels", {})


def test_the_pathway_page_shows_the_outer_apps_panels(client_for, personas, enrolment):
    sp1 = enrolment.points.get(key="sp1")
    page = client_for(personas["nurse"]).get(f"/pathway/enrolments/{enrolment.public_id}/").content.decode()
    assert page.count(f'href="/assessment/points/{sp1.public_id}/"') == 2  # the title and the step
    assert "The patient's own answers from home" in page  # the portal's invitation box
    assert "Handover when completed" in page and 'id="handover-heading"' in page


def test_the_pathway_page_renders_without_the_outer_apps(client_for, personas, enrolment, without_outer_apps):
    sp1 = enrolment.points.get(key="sp1")
    response = client_for(personas["nurse"]).get(f"/pathway/enrolments/{enrolment.public_id}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert f"<td>{sp1.display_title}</td>" in page  # the title without a link
    assert "/assessment/" not in page and "The patient's own answers from home" not in page
    assert "Handover when completed" not in page and 'id="handover-heading"' not in page
    assert "Show what will happen" in page and "Timeline" in page  # the pathway's own


def test_the_worklist_renders_without_the_outer_apps(client_for, personas, enrolment, without_outer_apps):
    response = client_for(personas["coordinator"]).get("/pathway/worklist/")
    assert response.status_code == 200
    assert "Handed over from the hospital" not in response.content.decode()
