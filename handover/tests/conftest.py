import pytest

from assessment import services as assessment
from assessment.tests import factories
from pathway.services import HandoverChoice


@pytest.fixture
def enrolment(actor_of, personas, patient):
    """Enrolled at Haukeland ten days after the diagnosis, offer accepted: the first point is due."""
    return factories.enrol(actor_of(personas["nurse"]), patient, days_ago=10)


@pytest.fixture
def sp1_assessment(enrolment, actor_of, personas, orgs):
    """The nurse's record of the first point, from the patient's own answers, with a summary and
    a follow-up action for the municipality; not yet completed."""
    nurse = actor_of(personas["nurse"])
    sp1 = enrolment.points.get(key="sp1")
    factories.completed_patient_response(sp1)
    record = assessment.start_assessment(nurse, sp1)
    assessment.save_assessment(nurse, record, record.response.answers, "Tired, wants to get back to work.")
    assessment.add_follow_up(
        nurse, record, need="Work", action="Meeting with NAV", responsible_organisation=orgs["askoy"]
    )
    return record


@pytest.fixture
def complete(actor_of, personas):
    """Complete an assessment as the nurse, with hand-over choices."""

    def run(record, user=None, **choice):
        actor = actor_of(user or personas["nurse"])
        assessment.complete_assessment(actor, record, handover=HandoverChoice(**choice))
        return record.point.handover_messages.order_by("reason", "id")

    return run


@pytest.fixture
def receivers_with_addresses(orgs):
    """Both receivers of the first point's hand-over (Askøy and the GP office) have a contact
    point with an e-mail address, so every e-mail notice can go out."""
    orgs["askoy"].contact_points.create(name="Kreftkoordinator", email="kreft@askoy.example.test")
    orgs["gp_office"].contact_points.create(name="Legekontoret", email="post@testvik-legesenter.example.test")
