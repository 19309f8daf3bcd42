"""The enrolment page makes as many queries for three points the user can act on as for one: each
brings its forms and invitation box, but what they choose from and show is fetched once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from conftest import make_user
from pathway.forms import AssignForm, CloseForm, colleagues, handover_candidates
from pathway.tests.test_pages import enrol_today
from patients.models import Relative
from portal import services as invitations

KEYS = ["sp1", "sp2", "sp3"]


@pytest.fixture
def enrolment(actor_of, personas, orgs, patient):
    patient.mobile_phone, patient.email = "+4791234567", "test.pasient@example.org"
    patient.save()
    Relative.objects.create(patient=patient, name="Kari Pasient", relation="spouse")
    make_user("colleague", orgs["askoy"], Role.MUNICIPAL_COORDINATOR)
    enrolment = enrol_today(actor_of(personas["nurse"]), patient, offer="accepted")
    invitations.send_invitation(actor_of(personas["nurse"]), enrolment.points.get(key="sp1"), link_channel="sms")
    return enrolment


@pytest.mark.parametrize(
    ("persona", "organisation"),
    [
        ("coordinator", "askoy"),  # the patient's municipality, with the contact person form
        ("trust", "haukeland"),  # a health trust: its covered organisations take a query to list
    ],
)
def test_the_enrolment_page_makes_as_many_queries_for_three_points_to_act_on_as_for_one(
    client_for, personas, orgs, enrolment, persona, organisation
):
    user = personas.get(persona) or make_user(persona, orgs["helse_bergen"], Role.HOSPITAL_CLINICIAN)
    client = client_for(user)
    url = f"/pathway/enrolments/{enrolment.public_id}/"
    counts = {}
    for actionable in (1, 3):
        enrolment.points.update(responsible_organisation=orgs["voss"])
        enrolment.points.filter(key__in=KEYS[:actionable]).update(responsible_organisation=orgs[organisation])
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        assert page.count("Steps: ") == actionable
        assert page.count("Relative: Kari Pasient") == actionable
        counts[actionable] = len(queries.captured_queries)
    assert counts[3] == counts[1]


def test_forms_given_fetched_choices_render_and_validate_as_with_their_querysets(actor_of, personas, orgs, enrolment):
    askoy = orgs["askoy"]
    point = enrolment.points.get(key="sp2")
    point.enrolment = enrolment
    people, candidates = list(colleagues(askoy)), list(handover_candidates(point, askoy))
    assert len(people) == 3 and candidates
    pairs = [
        (AssignForm(prefix="sp2", organisation=askoy), AssignForm(prefix="sp2", organisation=askoy, people=people)),
        (CloseForm(prefix="sp2", point=point, sender=askoy), CloseForm(prefix="sp2", candidates=candidates)),
    ]
    for queried, fetched in pairs:
        assert str(fetched) == str(queried)

    colleague, outsider = people[0], personas["outsider"]
    for value, valid in ((colleague.pk, True), (outsider.pk, False)):
        form = AssignForm({"sp2-assigned_to": value}, prefix="sp2", organisation=askoy, people=people)
        assert form.is_valid() is valid
    voss = orgs["voss"]
    for value, valid in ((candidates[0].pk, True), (voss.pk, False)):
        data = {"sp2-outcome": "completed", "sp2-on_date": "2026-01-05", "sp2-extra_recipients": [value]}
        assert CloseForm(data, prefix="sp2", candidates=candidates).is_valid() is valid


def test_the_offer_holder_read_as_none_is_not_read_again(actor_of, personas, patient, django_assert_num_queries):
    """The pathway page reads who records the answer once; None (no open point, or the pathway
    ended) is an answer too, not a reason to read it again."""
    from pathway import services

    actor = actor_of(personas["nurse"])
    enrolment = enrol_today(actor, patient, offer="accepted")
    with django_assert_num_queries(0):
        assert services.may_record_offer(actor, enrolment, None) is False
    services.withdraw(actor, enrolment, reason="Vil ikkje.")
    with django_assert_num_queries(0):
        assert services.may_record_offer(actor, enrolment) is False
