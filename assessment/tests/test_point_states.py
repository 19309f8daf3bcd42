"""The assessment page renders for a point in every state, for the responsible organisation and
for the others with a care relation (the hospital, the municipality, the GP), and shows the
point's status. A point closed by the system (no outcome_by), an assessment whose author is gone
(no completed_by) and an unassigned point once gave a 500 (VariableDoesNotExist)."""

import datetime
import re
from dataclasses import dataclass

import pytest
from django.utils import timezone

from assessment import services as assessment_services
from assessment.models import Assessment
from assessment.tests import factories
from conftest import synthetic_id
from lib import nin
from pathway import services
from pathway.models import CollaborationPoint
from pathway.schedule import STATUSES
from patients import signals
from patients.models import Patient
from testsupport.enrolling import enable_definition

Outcome = CollaborationPoint.Outcome
LABELS = {
    "waiting": "Waiting",
    "planned": "Coming up",
    "due": "Due",
    "overdue": "Overdue",
    "declined": "Declined: ask again later",
    "ask_again": "Ask again",
    "completed": "Completed",
    "not_wanted": "Not wanted",
    "cancelled": "Cancelled",
}
VIEWERS = ("nurse", "coordinator", "gp")


@dataclass
class World:
    today: datetime.date
    nurse: object
    coordinator: object
    orgs: dict
    count: int = 0

    def patient(self):
        self.count += 1
        born = datetime.date(1950, 1, 1) + datetime.timedelta(days=97 * self.count)
        return Patient.objects.create(
            national_id=synthetic_id(born),
            national_id_kind=nin.FODSELSNUMMER,
            date_of_birth=born,
            given_name="Punkt",
            family_name=f"Tilstand{self.count}",
            municipality=self.orgs["askoy"],
            gp_office=self.orgs["gp_office"],
            registered_by=self.orgs["haukeland"],
        )

    def day(self, days_ago):
        return self.today - datetime.timedelta(days=days_ago)

    def enrol(self, days_ago, patient=None, **kwargs):
        values = {"icd10_code": "C50.9", "treatment_intent": "curative", "offer": "accepted", "today": self.today}
        return services.enrol(
            self.nurse, patient or self.patient(), diagnosis_date=self.day(days_ago), **{**values, **kwargs}
        )

    def close(self, point, outcome, days_ago=0, actor=None):
        actor = actor or (self.nurse if point.care_level == "hospital" else self.coordinator)
        reason = "The patient is in hospital" if outcome == Outcome.CANCELLED else ""
        services.close_point(actor, point, outcome, on_date=self.day(days_ago), reason=reason, today=self.today)
        point.refresh_from_db()
        return point

    def completed_assessment(self, point):
        assessment = assessment_services.start_assessment(self.coordinator, point)
        assessment.point = point
        questionnaire = assessment.response.questionnaire
        errors = assessment_services.save_assessment(
            self.coordinator, assessment, factories.patient_answers(questionnaire), "Talked about work and rest."
        )
        assert errors == {}
        assessment_services.complete_assessment(self.coordinator, assessment, on_date=self.today, today=self.today)
        point.refresh_from_db()
        return point


def point(enrolment, key):
    return enrolment.points.get(key=key)


# Each state: (how to make a point in it, its status, text the page must show).


def waiting(w):
    enable_definition(w.nurse.organisation, "hearing-draft-2021")
    return point(w.enrol(10, definition_key="hearing-draft-2021"), "hp2"), "waiting", "when its anchor has happened"


def planned(w):
    return point(w.enrol(10), "sp2"), "planned", "Start the assessment"


def due(w):
    return point(w.enrol(10), "sp1"), "due", ""


def overdue(w):
    return point(w.enrol(60), "sp1"), "overdue", ""


def declined(w):
    return point(w.enrol(60, offer="declined"), "sp1"), "declined", ""


def ask_again(w):
    sp1 = point(w.enrol(60, offer="declined"), "sp1")
    sp1.enrolment.ask_again_on = w.day(1)  # the patient is to be asked again from yesterday
    sp1.enrolment.save(update_fields=["ask_again_on"])
    return sp1, "ask_again", ""


def booked(w):
    sp1 = point(w.enrol(10), "sp1")
    when = timezone.make_aware(datetime.datetime.combine(w.day(-3), datetime.time(10, 0)))
    services.book_point(w.nurse, sp1, when)
    return sp1, "due", "Booked"


def assigned(w):
    sp1 = point(w.enrol(10), "sp1")
    services.assign_point(w.nurse, sp1, w.nurse.user)
    return sp1, "due", ""


def unassigned_again(w):
    sp1 = point(w.enrol(10), "sp1")
    services.assign_point(w.nurse, sp1, w.nurse.user)
    services.assign_point(w.nurse, sp1, None)
    return sp1, "due", ""


def completed_by_a_user_without_a_record(w):
    return w.close(point(w.enrol(20), "sp1"), Outcome.COMPLETED, 2), "completed", "closed without an assessment record"


def completed_with_an_assessment(w):
    return w.completed_assessment(point(w.enrol(100), "sp2")), "completed", "by Coordinator, Askøy"


def completed_with_no_user(w):
    """The author's account is gone (completed_by is SET_NULL) and the point has no outcome_by."""
    sp2 = w.completed_assessment(point(w.enrol(100), "sp2"))
    Assessment.objects.filter(point=sp2).update(completed_by=None)
    CollaborationPoint.objects.filter(pk=sp2.pk).update(outcome_by=None, assigned_to=None)
    return sp2, "completed", f"{w.today:%d.%m.%Y} by Askøy."


def draft_assessment(w):
    sp2 = point(w.enrol(100), "sp2")
    assessment_services.start_assessment(w.coordinator, sp2)
    return sp2, "due", ""


def not_wanted(w):
    return w.close(point(w.enrol(20), "sp1"), Outcome.NOT_WANTED, 1), "not_wanted", ""


def cancelled_by_a_user(w):
    return w.close(point(w.enrol(20), "sp1"), Outcome.CANCELLED, 1), "cancelled", ""


def cancelled_by_the_system_after_death(w):
    enrolment = w.enrol(20)
    patient = enrolment.patient
    patient.date_of_death = w.day(1)
    patient.save(update_fields=["date_of_death"])
    signals.patient_died.send(Patient, actor=w.coordinator, patient=patient)
    sp1 = point(enrolment, "sp1")
    assert sp1.outcome_by is None
    return sp1, "cancelled", "This pathway has ended"


def cancelled_by_the_system_after_relapse(w):
    first = w.enrol(100)
    w.enrol(5, patient=first.patient, is_relapse=True)
    return point(first, "sp2"), "cancelled", "This pathway has ended"


def withdrawn(w):
    enrolment = w.enrol(20)
    services.withdraw(w.nurse, enrolment, reason="Wants no more conversations")
    return point(enrolment, "sp3"), "cancelled", "This pathway has ended"


def ended_pathway(w):
    enrolment = w.enrol(500)
    w.close(point(enrolment, "sp1"), Outcome.COMPLETED, 490)
    w.close(point(enrolment, "sp2"), Outcome.NOT_WANTED, 400)
    return w.close(point(enrolment, "sp3"), Outcome.COMPLETED, 100), "completed", "This pathway has ended"


STATES = [
    waiting,
    planned,
    due,
    overdue,
    declined,
    ask_again,
    booked,
    assigned,
    unassigned_again,
    completed_by_a_user_without_a_record,
    completed_with_an_assessment,
    completed_with_no_user,
    draft_assessment,
    not_wanted,
    cancelled_by_a_user,
    cancelled_by_the_system_after_death,
    cancelled_by_the_system_after_relapse,
    withdrawn,
    ended_pathway,
]


@pytest.fixture
def world(actor_of, personas, orgs):
    return World(timezone.localdate(), actor_of(personas["nurse"]), actor_of(personas["coordinator"]), orgs)


def shown_status(page):
    match = re.search(r"<dt>Status</dt><dd>(.*?)</dd>", page, re.S)
    assert match, "the page shows no status"
    tag = re.search(r'<span class="ds-tag"[^>]*>(.*?)</span>', match.group(1))
    return tag.group(1)


@pytest.mark.parametrize("make", STATES, ids=lambda make: make.__name__)
def test_the_assessment_page_renders_every_point_state_for_everyone_involved(make, world, client_for, personas):
    target, status, text = make(world)
    assert target.status(world.today) == status
    for viewer in VIEWERS:
        response = client_for(personas[viewer]).get(f"/assessment/points/{target.public_id}/")
        assert response.status_code == 200, (viewer, response.status_code)
        page = response.content.decode()
        assert shown_status(page) == LABELS[status], viewer
        if text and viewer == "coordinator":
            assert text in page, (viewer, text)


def test_the_states_cover_every_status():
    assert set(LABELS) == set(STATUSES)
