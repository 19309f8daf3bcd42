"""Outer apps add to the pathway page's points through pathway.panels, registered at start-up:
the pathway itself imports neither the portal nor the assessment."""

from types import SimpleNamespace

from pathway import panels


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
