"""The nightly status update: points marked due and overdue, one e-mail per organisation and
change, no personal data in it, nothing sent twice."""

import datetime

from django.core import mail

from directory.models import ContactPoint
from pathway import reminders, services
from pathway.models import CollaborationPoint
from testsupport.enrolling import enrol

DIAGNOSIS = datetime.date(2026, 1, 31)


def test_due_and_overdue_points_are_marked_and_notified_once(actor_of, personas, patient, orgs):
    ContactPoint.objects.create(organisation=orgs["askoy"], name="Kreftkoordinator", email="kreft@askoy.example.no")
    ContactPoint.objects.create(organisation=orgs["haukeland"], name="Forløp", email="forlop@haukeland.example.no")
    enrol(actor_of(personas["nurse"]), patient, diagnosis_date=DIAGNOSIS, today=datetime.date(2026, 2, 1))

    first = reminders.run(datetime.date(2026, 5, 1))  # sp1 overdue (closed 28 Feb), sp2 due (30 Apr–31 May)
    assert (first.marked, first.emails) == (2, 2)
    statuses = dict(CollaborationPoint.objects.values_list("key", "notified_status"))
    assert statuses == {"sp1": "overdue", "sp2": "due", "sp3": ""}
    askoy_mail = next(m for m in mail.outbox if m.to == ["kreft@askoy.example.no"])
    assert "1 samhandlingspunkt er nå aktuelt." in askoy_mail.body  # sent in the default language, bokmål
    assert "/pathway/worklist/" in askoy_mail.body
    for message in mail.outbox:
        for secret in (patient.national_id, patient.family_name, patient.given_name):
            assert secret not in message.body + message.subject

    again = reminders.run(datetime.date(2026, 5, 1))
    assert (again.marked, again.emails) == (0, 0)
    assert len(mail.outbox) == 2

    later = reminders.run(datetime.date(2026, 6, 1))  # sp2 has now become overdue: one new message
    assert (later.marked, later.emails) == (1, 1)


def test_closed_points_and_ended_pathways_are_left_alone(actor_of, personas, patient):
    enrolment = services.enrol(
        actor_of(personas["nurse"]),
        patient,
        diagnosis_date=DIAGNOSIS,
        icd10_code="C50.9",
        treatment_intent="curative",
        today=datetime.date(2026, 2, 1),
    )
    services.withdraw(actor_of(personas["nurse"]), enrolment, reason="Wants out")
    assert reminders.run(datetime.date(2026, 12, 1)).marked == 0


def test_municipal_points_of_a_patient_who_has_not_accepted_are_not_notified(actor_of, personas, patient, orgs):
    ContactPoint.objects.create(organisation=orgs["askoy"], name="Kreftkoordinator", email="kreft@askoy.example.no")
    ContactPoint.objects.create(organisation=orgs["haukeland"], name="Forløp", email="forlop@haukeland.example.no")
    services.enrol(
        actor_of(personas["nurse"]),
        patient,
        diagnosis_date=DIAGNOSIS,
        icd10_code="C50.9",
        treatment_intent="curative",
        offer="declined",
        today=datetime.date(2026, 2, 1),
    )
    assert reminders.run(datetime.date(2026, 5, 1)).marked == 1  # only the hospital's point
    assert not [m for m in mail.outbox if "kreft@askoy.example.no" in m.to]


def test_the_sql_status_agrees_with_the_python_rule_on_every_day(actor_of, personas, patient):
    """worklists.with_status (SQL, for the nightly run), worklists.status_filter (SQL, for the
    worklist's status filter) and schedule.point_status (Python, for the pages) must never disagree."""
    from pathway.worklists import status_filter, with_status

    enrol(actor_of(personas["nurse"]), patient, diagnosis_date=DIAGNOSIS, today=datetime.date(2026, 2, 1))
    for offset in range(0, 560, 7):
        today = DIAGNOSIS + datetime.timedelta(days=offset)
        for point in with_status(CollaborationPoint.objects.all(), today):
            assert point.current_status == point.status(today), (point.key, today)
        for status in ("overdue", "due", "planned"):
            chosen = CollaborationPoint.objects.filter(status_filter(status, today))
            assert {p.key for p in chosen} == {
                p.key for p in CollaborationPoint.objects.all() if p.status(today) == status
            }, (status, today)


def test_a_reminder_with_no_address_is_not_marked_sent_but_an_alert_and_is_sent_once_an_address_exists(
    actor_of, personas, patient, orgs
):
    from directory.models import MissingAddressAlert

    ContactPoint.objects.create(organisation=orgs["haukeland"], name="Forløp", email="forlop@haukeland.example.no")
    enrol(actor_of(personas["nurse"]), patient, diagnosis_date=DIAGNOSIS, today=datetime.date(2026, 2, 1))
    first = reminders.run(datetime.date(2026, 5, 1))  # Askøy (sp2 due) has no e-mail address
    assert (first.marked, first.emails, first.unaddressed) == (1, 1, 1)
    statuses = dict(CollaborationPoint.objects.values_list("key", "notified_status"))
    assert statuses == {"sp1": "overdue", "sp2": "", "sp3": ""}  # Askøy's point is not marked as told
    alert = MissingAddressAlert.objects.get(resolved_at__isnull=True)
    assert (alert.organisation, alert.kind, alert.count) == (orgs["askoy"], "reminder", 1)

    again = reminders.run(datetime.date(2026, 5, 2))  # still no address: still an alert, one of it
    assert (again.marked, again.emails, again.unaddressed) == (0, 0, 1)
    assert MissingAddressAlert.objects.filter(resolved_at__isnull=True).count() == 1

    ContactPoint.objects.create(organisation=orgs["askoy"], name="Kreftkoordinator", email="kreft@askoy.example.no")
    later = reminders.run(datetime.date(2026, 5, 3))  # the next night: sent, marked, alert resolved
    assert (later.marked, later.emails, later.unaddressed) == (1, 1, 0)
    assert [m.to for m in mail.outbox][-1] == ["kreft@askoy.example.no"]
    assert CollaborationPoint.objects.get(key="sp2").notified_status == "due"
    assert not MissingAddressAlert.objects.filter(resolved_at__isnull=True).exists()
