"""The worklist's handover section (handover's panel on the pathway worklist): patients handed
over from the hospital once the message has arrived, and patients who moved in."""

import datetime

from django.utils import timezone

from audit.models import AuditEntry
from handover.outbox import deliver_due
from pathway import services


def test_the_municipality_sees_handed_over_and_moved_in_patients(client_for, actor_of, personas, orgs, patient):
    nurse = actor_of(personas["nurse"])
    enrolment = services.enrol(
        nurse,
        patient,
        diagnosis_date=timezone.localdate() - datetime.timedelta(days=10),
        icd10_code="C61",
        treatment_intent="curative",
        offer="accepted",
    )
    services.close_point(nurse, enrolment.points.get(key="sp1"), "completed")
    # Named, so that the "Name a contact person" prompt does not list the patient.
    services.set_contact_person(actor_of(personas["coordinator"]), enrolment, personas["coordinator"])
    client = client_for(personas["coordinator"])
    # The hand-over is the handover message: listed once it has arrived.
    assert "Pasient, Test" not in client.get("/pathway/worklist/").content.decode()
    deliver_due()
    page = client.get("/pathway/worklist/").content.decode()
    assert "Handed over from the hospital, last 30 days (1)" in page and "Pasient, Test" in page
    assert (
        AuditEntry.objects.concerning(patient.public_id)
        .filter(user=personas["coordinator"], detail="worklist")
        .exists()
    )
    old = patient.municipality
    patient.municipality = orgs["voss"]
    patient.save()
    services.on_patient_moved(None, actor=nurse, patient=patient, old_municipality=old)
    page = client_for(personas["outsider"]).get("/pathway/worklist/").content.decode()
    assert "moved from Askøy" in page


def test_the_worklist_audits_the_patients_of_its_handover_section(client_for, actor_of, personas, patient):
    """The worklist's view fills the handover section before the page renders and writes the
    patients it shows into the page's one audit entry, also a patient no other list shows."""
    nurse = actor_of(personas["nurse"])
    enrolment = services.enrol(
        nurse,
        patient,
        diagnosis_date=timezone.localdate() - datetime.timedelta(days=10),
        icd10_code="C61",
        treatment_intent="curative",
        offer="accepted",
    )
    services.close_point(nurse, enrolment.points.get(key="sp1"), "completed")
    services.set_contact_person(actor_of(personas["coordinator"]), enrolment, personas["coordinator"])
    deliver_due()
    # Only overdue points: the patient's municipal point is not, so only the handover section
    # shows the patient.
    page = client_for(personas["coordinator"]).get("/pathway/worklist/?status=overdue").content.decode()
    assert "Handed over from the hospital, last 30 days (1)" in page
    assert page.count("Pasient, Test") == 1
    entry = AuditEntry.objects.filter(user=personas["coordinator"], detail="worklist").latest("pk")
    assert entry.action == AuditEntry.Action.LIST
    assert patient.public_id in set(entry.patients.values_list("patient_public_id", flat=True))
