"""One winner in every race: two changes of the same point or pathway at once, each on its own
database connection, both starting from what they read before (as two requests that loaded the
same page). The second waits for the first (a row lock on PostgreSQL, the IMMEDIATE transaction
on SQLite), re-reads, and is refused with a clear message (a PathwayConflict); only the winner
writes events and handover messages.

Booking: of two first bookings made at once, one is booked and the other is refused (not turned
into a reschedule): its user never saw the other booking, and moving a booking needs a reason.
"""

import datetime
from collections import Counter

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from assessment.tests import factories
from conftest import make_user
from handover.models import HandoverMessage
from pathway import services
from pathway.models import CollaborationPoint, Enrolment, PathwayEvent
from pathway.services import PathwayConflict
from patients import services as patient_services
from patients.forms import PatientForm
from patients.models import Patient
from testsupport.confirming import token_of
from testsupport.races import race, winner_and_loser

pytest_plugins = ["testsupport.browser"]  # national_directory: the directory around the flush
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("national_directory")]

Event = PathwayEvent.Kind
Outcome = CollaborationPoint.Outcome
CLOSING_EVENTS = {Outcome.COMPLETED: Event.POINT_COMPLETED, Outcome.NOT_WANTED: Event.POINT_NOT_WANTED}


@pytest.fixture
def enrolment(actor_of, personas, patient):
    """Enrolled at Haukeland ten days after the diagnosis, offer accepted: sp1 is the nurse's."""
    return factories.enrol(actor_of(personas["nurse"]), patient, days_ago=10)


def read_point(enrolment, key="sp1"):
    """A point as a request reads it (its own copy, with its enrolment and patient)."""
    return CollaborationPoint.objects.select_related("enrolment__patient").get(enrolment=enrolment, key=key)


def read_enrolment(enrolment):
    return Enrolment.objects.select_related("patient").get(pk=enrolment.pk)


def events(kind, **filters):
    return PathwayEvent.objects.filter(kind=kind, **filters).count()


def assert_one_handover(point, orgs):
    """The messages of one completion of sp1: one to each receiver, and one timeline line."""
    received = Counter(HandoverMessage.objects.filter(point=point).values_list("recipient__name", flat=True))
    assert received == {orgs["askoy"].name: 1, orgs["gp_office"].name: 1}
    assert events(Event.HANDOVER_SENT, point=point) == 1


def assert_no_handover(point):
    assert not HandoverMessage.objects.filter(point=point).exists()
    assert events(Event.HANDOVER_SENT, point=point) == 0


def closed_message(outcome):
    return f"This collaboration point is already closed: {Outcome(outcome).label.lower()}."


def close(actor, point, outcome):
    reason = "The patient moved abroad." if outcome == Outcome.CANCELLED else ""
    return lambda: services.close_point(actor, point, outcome, reason=reason)


def test_two_completions_of_one_point_complete_it_once(enrolment, actor_of, personas, orgs):
    nurse = actor_of(personas["nurse"])
    first, second = read_point(enrolment), read_point(enrolment)

    won, lost = winner_and_loser(race(close(nurse, first, Outcome.COMPLETED), close(nurse, second, Outcome.COMPLETED)))

    assert isinstance(lost, PathwayConflict)
    assert lost.messages == [closed_message(Outcome.COMPLETED)]
    point = CollaborationPoint.objects.get(pk=first.pk)
    assert point.outcome == Outcome.COMPLETED
    assert events(Event.POINT_COMPLETED) == 1
    assert_one_handover(point, orgs)


@pytest.mark.parametrize("other", [Outcome.CANCELLED, Outcome.NOT_WANTED])
def test_a_completion_racing_a_cancellation_or_not_wanted_leaves_one_outcome(
    other, enrolment, actor_of, personas, orgs
):
    nurse = actor_of(personas["nurse"])
    completing, closing = read_point(enrolment), read_point(enrolment)

    results = race(close(nurse, completing, Outcome.COMPLETED), close(nurse, closing, other))
    winner_and_loser(results)

    point = CollaborationPoint.objects.get(pk=completing.pk)
    lost = next(r for r in results if isinstance(r, Exception))
    assert isinstance(lost, PathwayConflict)
    assert lost.messages == [closed_message(point.outcome)]
    assert point.outcome in (Outcome.COMPLETED, other)
    assert events(Event.POINT_COMPLETED) == (point.outcome == Outcome.COMPLETED)
    other_events = events(Event.POINT_CANCELLED if other == Outcome.CANCELLED else Event.POINT_NOT_WANTED)
    assert other_events == (point.outcome == other)
    if point.outcome == Outcome.COMPLETED:
        assert_one_handover(point, orgs)
    else:  # the completion lost: no handover was written for it
        assert_no_handover(point)


def test_two_first_bookings_book_once_and_the_other_is_refused(enrolment, actor_of, personas):
    nurse = actor_of(personas["nurse"])
    first, second = read_point(enrolment), read_point(enrolment)
    monday = timezone.make_aware(datetime.datetime.combine(enrolment.diagnosis_date, datetime.time(10)))
    times = [monday + datetime.timedelta(days=14), monday + datetime.timedelta(days=15)]

    results = race(
        lambda: services.book_point(nurse, first, times[0]), lambda: services.book_point(nurse, second, times[1])
    )
    winner_and_loser(results)

    lost = next(r for r in results if isinstance(r, Exception))
    assert isinstance(lost, PathwayConflict)
    assert lost.messages == [
        "The conversation was booked just now by someone else. Check the time; to move it, book again with a reason."
    ]
    booked = CollaborationPoint.objects.get(pk=first.pk).booked_for
    assert booked == times[results.index(None)]
    assert events(Event.POINT_BOOKED) == 1
    assert events(Event.POINT_RESCHEDULED) == 0


def test_two_assignments_at_once_assign_once(enrolment, actor_of, personas, orgs):
    nurse = actor_of(personas["nurse"])
    colleagues = [make_user(name, orgs["haukeland"], personas["nurse"].memberships.get().role) for name in ("a", "b")]
    first, second = read_point(enrolment), read_point(enrolment)

    results = race(
        lambda: services.assign_point(nurse, first, colleagues[0]),
        lambda: services.assign_point(nurse, second, colleagues[1]),
    )
    winner_and_loser(results)

    lost = next(r for r in results if isinstance(r, Exception))
    assert isinstance(lost, PathwayConflict)
    assert lost.messages == [
        "The collaboration point was assigned just now by someone else. Check who has it before you change it."
    ]
    assert CollaborationPoint.objects.get(pk=first.pk).assigned_to == colleagues[results.index(None)]
    assert events(Event.POINT_ASSIGNED) == 1


def test_two_first_enrolments_at_once_enrol_once(actor_of, personas, patient):
    """No enrolment row to lock yet: the patient's row serialises them (without it, PostgreSQL's
    unique index on open enrolments said no to the second with an IntegrityError, a 500)."""
    nurse = actor_of(personas["nurse"])
    patients = [Patient.objects.get(pk=patient.pk) for _ in range(2)]

    won, lost = winner_and_loser(race(*(lambda p=p: factories.enrol(nurse, p, days_ago=10) for p in patients)))

    assert isinstance(lost, PathwayConflict)
    assert lost.existing == won
    assert lost.messages[0].startswith("The patient is already in the pathway.")
    assert Enrolment.objects.count() == 1
    assert events(Event.ENROLLED) == 1


def test_a_relapse_posted_twice_starts_one_new_pathway(enrolment, actor_of, personas):
    nurse = actor_of(personas["nurse"])
    patients = [Patient.objects.get(pk=enrolment.patient_id) for _ in range(2)]
    relapse = {
        "diagnosis_date": enrolment.diagnosis_date + datetime.timedelta(days=5),
        "icd10_code": "C50.9",
        "treatment_intent": "curative",
        "is_relapse": True,
    }

    won, lost = winner_and_loser(race(*(lambda p=p: services.enrol(nurse, p, **relapse) for p in patients)))

    assert isinstance(lost, PathwayConflict)
    assert lost.messages == ["This relapse has already started the pathway again. Open the enrolment it started."]
    assert lost.existing == won
    assert Enrolment.objects.count() == 2
    assert Enrolment.objects.get(pk=won.pk).previous_id == enrolment.pk
    assert Enrolment.objects.get(pk=enrolment.pk).end_reason == Enrolment.EndReason.SUPERSEDED
    assert events(Event.ENROLLED) == 2  # the first enrolment's and the relapse's
    assert events(Event.SUPERSEDED) == 1


def test_a_withdrawal_racing_the_last_completion_leaves_one_ending(enrolment, actor_of, personas, orgs):
    nurse, coordinator = actor_of(personas["nurse"]), actor_of(personas["coordinator"])
    for key in ("sp2", "sp3"):  # sp1 is then the last open point: its completion ends the pathway
        services.close_point(coordinator, read_point(enrolment, key), Outcome.NOT_WANTED)
    point, withdrawing = read_point(enrolment), read_enrolment(enrolment)

    results = race(
        close(nurse, point, Outcome.COMPLETED), lambda: services.withdraw(nurse, withdrawing, reason="Wants out")
    )
    winner_and_loser(results)

    lost = next(r for r in results if isinstance(r, Exception))
    assert isinstance(lost, PathwayConflict)
    assert lost.messages == ["This pathway has ended and can no longer be changed. Record a correction instead."]
    ended = Enrolment.objects.get(pk=enrolment.pk)
    sp1 = CollaborationPoint.objects.get(pk=point.pk)
    if ended.end_reason == Enrolment.EndReason.COMPLETED:
        assert sp1.outcome == Outcome.COMPLETED
        assert (events(Event.POINT_COMPLETED), events(Event.WITHDRAWN)) == (1, 0)
        assert_one_handover(sp1, orgs)
    else:
        assert ended.end_reason == Enrolment.EndReason.WITHDRAWN
        assert sp1.outcome == Outcome.CANCELLED
        assert (events(Event.POINT_COMPLETED), events(Event.WITHDRAWN)) == (0, 1)
        assert_no_handover(sp1)


def test_a_death_racing_the_last_completion_leaves_one_ending(enrolment, actor_of, personas, orgs):
    nurse, coordinator = actor_of(personas["nurse"]), actor_of(personas["coordinator"])
    for key in ("sp2", "sp3"):  # sp1 is then the last open point: its completion ends the pathway
        services.close_point(coordinator, read_point(enrolment, key), Outcome.NOT_WANTED)
    point, patient = read_point(enrolment), Patient.objects.get(pk=enrolment.patient_id)
    data = {
        **{f: getattr(patient, f) for f in ("national_id", "given_name", "family_name", "preferred_language")},
        "municipality": patient.municipality_id,
        "gp_office": patient.gp_office_id,
        "date_of_death": timezone.localdate().isoformat(),
    }
    death = PatientForm(data=data, instance=patient, actor=nurse)
    assert death.is_valid(), death.errors

    results = race(close(nurse, point, Outcome.COMPLETED), lambda: patient_services.update_patient(nurse, death))

    ended = Enrolment.objects.get(pk=enrolment.pk)
    sp1 = CollaborationPoint.objects.get(pk=point.pk)
    if ended.end_reason == Enrolment.EndReason.COMPLETED:  # the death came second, after the pathway ended
        assert results == [None, results[1]] and not isinstance(results[1], Exception)
        assert sp1.outcome == Outcome.COMPLETED
        assert (events(Event.POINT_COMPLETED), events(Event.DIED)) == (1, 0)
        assert_one_handover(sp1, orgs)
    else:
        assert isinstance(results[0], PathwayConflict)
        assert ended.end_reason == Enrolment.EndReason.DECEASED
        assert sp1.outcome == Outcome.CANCELLED
        assert (events(Event.POINT_COMPLETED), events(Event.DIED)) == (0, 1)
        assert_no_handover(sp1)
        assert HandoverMessage.objects.filter(kind=HandoverMessage.Kind.BEREAVEMENT).count() == 1


def test_two_answers_to_the_offer_at_once_record_one(actor_of, personas, patient):
    nurse = actor_of(personas["nurse"])
    enrolment = factories.enrol(nurse, patient, days_ago=10, offer="not_asked")
    first, second = read_enrolment(enrolment), read_enrolment(enrolment)

    results = race(
        lambda: services.record_offer(nurse, first, "accepted"),
        lambda: services.record_offer(nurse, second, "declined"),
    )
    winner_and_loser(results)

    lost = next(r for r in results if isinstance(r, Exception))
    assert isinstance(lost, PathwayConflict)
    assert events(Event.OFFER_ACCEPTED) + events(Event.OFFER_DECLINED) == 1


@pytest.mark.norwegian
def test_two_users_completing_on_the_page_one_sees_the_point_closed_in_their_language(enrolment, personas, orgs):
    """Two nurses post the close form of the same point at once: one completes it, the other is
    sent back to the pathway page, which shows the point completed and says why, in bokmål."""
    role = personas["nurse"].memberships.get().role
    clients = []
    for name in ("nurse-a", "nurse-b"):
        client = Client()
        client.force_login(make_user(name, orgs["haukeland"], role))
        clients.append(client)
    point = read_point(enrolment)
    url = f"/pathway/points/{point.public_id}/close/"
    data = {"sp1-outcome": "completed", "sp1-on_date": timezone.localdate().isoformat()}

    # Both see what will happen (the first POST), then both confirm at once (the second).
    tokens = [token_of(c.post(url, data)) for c in clients]
    assert all(tokens)
    answers = race(
        *(lambda c=c, t=t: c.post(url, {**data, "confirmation": t}) for c, t in zip(clients, tokens, strict=True))
    )

    page_url = f"/pathway/enrolments/{enrolment.public_id}/"
    assert [a.status_code for a in answers] == [302, 302] and {a["Location"] for a in answers} == {page_url}
    pages = [c.get(page_url).content.decode() for c in clients]
    with translation.override("nb"):
        refused = gettext("This collaboration point is already closed: %(outcome)s.") % {
            "outcome": Outcome.COMPLETED.label.lower()
        }
        saved = gettext("Saved.")
    assert refused != closed_message(Outcome.COMPLETED), "no bokmål translation"
    assert sorted(refused in page for page in pages) == [False, True]
    assert sorted(saved in page for page in pages) == [False, True]
    assert events(Event.POINT_COMPLETED) == 1
    assert_one_handover(CollaborationPoint.objects.get(pk=point.pk), orgs)


def test_two_runs_of_the_nightly_reminders_at_once_send_each_e_mail_once(actor_of, personas, patient, orgs):
    """The worker's nightly job and `schedule_nightly --now` at the same moment: one e-mail per
    organisation, each point marked once (on PostgreSQL both runs used to count and send)."""
    from django.core import mail

    from directory.models import ContactPoint
    from pathway import reminders

    for org in ("askoy", "haukeland"):
        ContactPoint.objects.create(organisation=orgs[org], name="Forløp", email=f"forlop@{org}.example.test")
    factories.enrol(
        actor_of(personas["nurse"]), patient, diagnosis_date=datetime.date(2026, 1, 31), today=datetime.date(2026, 2, 1)
    )
    day = datetime.date(2026, 5, 1)  # sp1 overdue (Haukeland), sp2 due (Askøy)

    runs = race(lambda: reminders.run(day), lambda: reminders.run(day))

    assert not any(isinstance(r, Exception) for r in runs), runs
    assert sorted((r.emails, r.marked) for r in runs) == [(0, 0), (2, 2)]
    assert sorted(m.to[0] for m in mail.outbox) == ["forlop@askoy.example.test", "forlop@haukeland.example.test"]
