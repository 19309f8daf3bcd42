"""A collaboration point the user's organisation holds is an ordered list of steps on the pathway
page — plan, prepare, hold the conversation, complete — with the current one marked and open and
the others folded; it moves on as the point is booked, the patient invited, the time passed."""

import datetime
import re

from django.utils import timezone

from assessment import services as assessment_services
from pathway import services
from pathway.tests.test_pages import enrol_today
from portal import services as invitations

STEP = re.compile(r'<li class="hv-step[^"]*"( aria-current="step")?>\s*<details class="ds-details"( open)?>')


def steps(client, enrolment):
    """(current, open) for each step of the page's first point."""
    page = client.get(f"/pathway/enrolments/{enrolment.public_id}/").content.decode()
    return [(bool(current), bool(opened)) for current, opened in STEP.findall(page)][:4]


def current(client, enrolment):
    marks = steps(client, enrolment)
    assert [opened for _current, opened in marks] == [current for current, _opened in marks]  # only it is open
    assert sum(current for current, _opened in marks) == 1
    return [current for current, _opened in marks].index(True)


def test_the_steps_follow_the_point(client_for, actor_of, personas, patient):
    patient.mobile_phone, patient.email = "+4791234567", "test.pasient@example.org"
    patient.save()
    nurse = actor_of(personas["nurse"])
    enrolment = enrol_today(nurse, patient, offer="accepted")
    sp1 = enrolment.points.get(key="sp1")
    client = client_for(personas["nurse"])
    assert current(client, enrolment) == 0  # plan
    services.book_point(nurse, sp1, timezone.now() + datetime.timedelta(days=2))
    assert current(client, enrolment) == 1  # prepare: invite the patient
    invitations.send_invitation(nurse, enrolment.points.get(key="sp1"), link_channel="sms")
    assert current(client, enrolment) == 2  # the conversation
    assessment_services.start_assessment(nurse, enrolment.points.get(key="sp1"))
    assert current(client, enrolment) == 3  # complete


def test_a_gp_sees_no_steps(client_for, actor_of, personas, patient):
    enrolment = enrol_today(actor_of(personas["nurse"]), patient, offer="accepted")
    page = client_for(personas["gp"]).get(f"/pathway/enrolments/{enrolment.public_id}/").content.decode()
    assert "hv-steps" not in page
