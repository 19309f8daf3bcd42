"""The nightly reminders run on every night of a whole year (and a leap day), weekends and public
holidays included: each point is marked due the night its window opens and overdue the night after
it closes, each change is told once, and nothing is sent on a night when nothing changed."""

import datetime

from django.core import mail

from conftest import synthetic_id
from directory.models import ContactPoint
from lib import nin
from pathway import reminders
from pathway.models import CollaborationPoint
from pathway.schedule import point_status
from patients.models import Patient
from testsupport.calendar_year import EVERY_DAY, LEAP_DAY
from testsupport.enrolling import enrol

DIAGNOSES = [datetime.date(2026, 11, 15), datetime.date(2027, 3, 28), datetime.date(2027, 12, 24)]


def test_the_nightly_reminders_on_every_night_of_a_year(actor_of, personas, patient, orgs):
    ContactPoint.objects.create(organisation=orgs["askoy"], name="Kreftkoordinator", email="kreft@askoy.example.no")
    ContactPoint.objects.create(organisation=orgs["haukeland"], name="Forløp", email="forlop@haukeland.example.no")
    patients = [patient] + [
        Patient.objects.create(
            national_id=synthetic_id(patient.date_of_birth, start=200 + 50 * n),
            national_id_kind=nin.FODSELSNUMMER,
            date_of_birth=patient.date_of_birth,
            given_name="Test",
            family_name=f"Pasient{n}",
            municipality=orgs["askoy"],
            registered_by=orgs["haukeland"],
        )
        for n in range(1, len(DIAGNOSES))
    ]
    # Every night from the first diagnosis: the whole of 2027, and on to the leap day.
    nights = [DIAGNOSES[0] + datetime.timedelta(days=n) for n in range((LEAP_DAY - DIAGNOSES[0]).days + 1)]
    assert set(EVERY_DAY) <= set(nights)
    enrolled = set()
    told = {}  # (point pk, status) -> the night it was told
    for night in nights:
        for person, diagnosis in zip(patients, DIAGNOSES, strict=True):
            if diagnosis == night and diagnosis not in enrolled:
                enrolled.add(diagnosis)
                enrol(actor_of(personas["nurse"]), person, diagnosis_date=diagnosis, today=diagnosis)
        sent_before = len(mail.outbox)
        run = reminders.run(night)
        points = list(CollaborationPoint.objects.select_related("responsible_organisation"))
        changed = 0
        for point in points:
            status = point_status(point.window_opens, point.window_closes, point.outcome, night)
            if status in ("due", "overdue"):
                assert point.notified_status == status, (night, point.key)
                if (point.pk, status) not in told:
                    told[point.pk, status] = night
                    changed += 1
            else:
                assert point.notified_status == "", (night, point.key)
        assert run.marked == changed, night
        assert (len(mail.outbox) > sent_before) == bool(changed), night
        assert len(mail.outbox) - sent_before == run.emails
    # Told due the night the window opened and overdue the night after it closed, whatever day it was.
    by_pk = {p.pk: p for p in CollaborationPoint.objects.all()}
    assert len(told) >= 10
    for (pk, status), night in told.items():
        point = by_pk[pk]
        if status == "due":
            assert night == point.window_opens
        else:
            assert night == point.window_closes + datetime.timedelta(days=1)
