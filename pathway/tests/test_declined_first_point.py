"""A declined patient's hospital point leaves the hospital's due and overdue reminders and worklist
statuses while declined; it comes back when the patient accepts, or on the day to ask again as
"ask again" rather than overdue."""

import datetime

from django.core import mail

from directory.models import ContactPoint
from pathway import reminders, services, worklists
from pathway.models import CollaborationPoint, Offer

DIAGNOSIS = datetime.date(2026, 1, 31)  # sp1's window: 31 Jan – 28 Feb
ENROLLED = datetime.date(2026, 2, 2)


def enrol_declined(actor, patient, settings):
    settings.PATHWAY_ASK_AGAIN_DAYS = 40  # ask again from 14 March, after the window has closed
    return services.enrol(
        actor,
        patient,
        diagnosis_date=DIAGNOSIS,
        icd10_code="C50.9",
        treatment_intent="curative",
        offer=Offer.DECLINED,
        today=ENROLLED,
    )


def listed(organisation, today, status=""):
    return list(worklists.open_points(organisation, today, status=status).values_list("key", flat=True))


def test_a_declined_first_point_is_in_no_reminder_and_no_due_or_overdue_list(
    actor_of, personas, patient, orgs, settings
):
    ContactPoint.objects.create(organisation=orgs["haukeland"], name="Forløp", email="forlop@haukeland.example.no")
    enrolment = enrol_declined(actor_of(personas["nurse"]), patient, settings)
    assert enrolment.ask_again_on == datetime.date(2026, 3, 14)
    sp1 = enrolment.points.get(key="sp1")

    for day in (datetime.date(2026, 2, 10), datetime.date(2026, 3, 5)):  # due, then overdue, were it not declined
        assert reminders.run(day).marked == 0
        assert listed(orgs["haukeland"], day) == []
        for status in ("due", "overdue", "planned"):
            assert listed(orgs["haukeland"], day, status) == []
        assert sp1.status(day) == "declined"
    assert not mail.outbox

    # On the day to ask again it comes back, as "ask again", never as overdue.
    day = enrolment.ask_again_on
    assert sp1.status(day) == "ask_again"
    assert listed(orgs["haukeland"], day) == ["sp1"]
    assert listed(orgs["haukeland"], day, "overdue") == []
    assert listed(orgs["haukeland"], day, "ask_again") == ["sp1"]
    run = reminders.run(day)
    assert (run.marked, run.emails) == (1, 1)
    assert CollaborationPoint.objects.get(pk=sp1.pk).notified_status == "ask_again"
    assert "1 pasient som takket nei til forløpet, skal nå spørres igjen." in mail.outbox[0].body
    assert reminders.run(day).marked == 0  # told once


def test_accepting_brings_the_first_point_back(actor_of, personas, patient, orgs, settings):
    ContactPoint.objects.create(organisation=orgs["haukeland"], name="Forløp", email="forlop@haukeland.example.no")
    nurse = actor_of(personas["nurse"])
    enrolment = enrol_declined(nurse, patient, settings)
    day = datetime.date(2026, 3, 5)
    assert listed(orgs["haukeland"], day, "overdue") == []
    services.record_offer(nurse, enrolment, Offer.ACCEPTED, today=day)
    assert listed(orgs["haukeland"], day, "overdue") == ["sp1"]
    assert enrolment.points.get(key="sp1").status(day) == "overdue"
    assert reminders.run(day).marked == 1


def test_the_sql_status_agrees_with_the_python_rule_for_a_declined_patient(actor_of, personas, patient, settings):
    enrolment = enrol_declined(actor_of(personas["nurse"]), patient, settings)
    for offset in range(0, 120, 3):
        today = DIAGNOSIS + datetime.timedelta(days=offset)
        for point in worklists.with_status(CollaborationPoint.objects.filter(enrolment=enrolment), today):
            assert point.current_status == point.status(today), (point.key, today)


def test_the_hospital_worklist_page_shows_no_overdue_point_for_a_declined_patient(
    actor_of, personas, patient, client_for, today, settings
):
    nurse = actor_of(personas["nurse"])
    settings.PATHWAY_ASK_AGAIN_DAYS = 28
    services.enrol(
        nurse,
        patient,
        diagnosis_date=today - datetime.timedelta(days=60),
        icd10_code="C50.9",
        treatment_intent="curative",
        offer=Offer.DECLINED,
    )
    page = client_for(personas["nurse"]).get("/pathway/worklist/").content.decode()
    points_list = page.split("Collaboration points (")[1]
    assert "Pasient, Test" not in points_list
    assert 'data-color="danger"' not in points_list
