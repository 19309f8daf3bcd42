"""Accepting the offer prompts the patient's municipality to name the fixed contact person (its
worklist's "Name a contact person", until named); a move keeps the old one on record as the
previous contact person and prompts the new municipality."""

import pytest

from assessment.tests import factories
from handover.models import HandoverMessage
from pathway import services, worklists
from pathway.models import Offer, PathwayEvent
from pathway.tests.test_moves_and_contact_person import move


def prompt(page):
    """The "Name a contact person" section of a worklist page."""
    assert 'id="contact-person-heading"' in page
    return page.split('id="contact-person-heading"')[1].split("<h2")[0]


@pytest.fixture
def accepted(actor_of, personas, patient):
    return factories.enrol(actor_of(personas["nurse"]), patient, days_ago=10, offer=Offer.NOT_ASKED)


def test_the_prompt_appears_after_accepting_and_goes_when_a_contact_person_is_named(
    accepted, actor_of, personas, client_for, orgs
):
    client = client_for(personas["coordinator"])
    section = prompt(client.get("/pathway/worklist/").content.decode())
    assert "Name a contact person (0)" in section and "Pasient, Test" not in section  # not asked yet

    services.record_offer(actor_of(personas["nurse"]), accepted, Offer.ACCEPTED)
    section = prompt(client.get("/pathway/worklist/").content.decode())
    assert "Name a contact person (1)" in section
    assert f"/pathway/enrolments/{accepted.public_id}/" in section and "Pasient, Test" in section
    assert list(worklists.contact_person_wanted(orgs["askoy"])) == [accepted]

    services.set_contact_person(actor_of(personas["coordinator"]), accepted, personas["coordinator"])
    section = prompt(client.get("/pathway/worklist/").content.decode())
    assert "Name a contact person (0)" in section and "Pasient, Test" not in section


def test_only_the_patients_municipality_is_prompted(accepted, actor_of, personas, client_for):
    services.record_offer(actor_of(personas["nurse"]), accepted, Offer.ACCEPTED)
    assert "Pasient, Test" not in prompt(client_for(personas["outsider"]).get("/pathway/worklist/").content.decode())
    assert 'id="contact-person-heading"' not in client_for(personas["nurse"]).get("/pathway/worklist/").content.decode()


def test_a_declined_or_ended_pathway_is_not_prompted(accepted, actor_of, personas, orgs):
    nurse = actor_of(personas["nurse"])
    services.record_offer(nurse, accepted, Offer.DECLINED)
    assert not worklists.contact_person_wanted(orgs["askoy"]).exists()
    services.record_offer(nurse, accepted, Offer.ACCEPTED)
    services.withdraw(nurse, accepted, reason="No more")
    assert not worklists.contact_person_wanted(orgs["askoy"]).exists()


def test_a_move_keeps_the_previous_contact_person_and_prompts_the_new_municipality(
    accepted, actor_of, personas, client_for, patient, orgs
):
    services.record_offer(actor_of(personas["nurse"]), accepted, Offer.ACCEPTED)
    services.set_contact_person(actor_of(personas["coordinator"]), accepted, personas["coordinator"])
    move(client_for(personas["nurse"]), patient, orgs["voss"])

    accepted.refresh_from_db()
    assert accepted.contact_person is None  # worked for Askøy
    assert accepted.previous_contact_person == personas["coordinator"]
    assert accepted.previous_contact_municipality == orgs["askoy"]
    moved = accepted.events.get(kind=PathwayEvent.Kind.MOVED)
    assert moved.data["previous_contact_person"] == "Coordinator"

    # Handed on in the move message to the new municipality.
    transfer = HandoverMessage.objects.get(enrolment=accepted, kind=HandoverMessage.Kind.TRANSFER)
    assert transfer.content["previous_contact_person"] == {"name": "Coordinator", "organisation": "Askøy"}

    # Voss is prompted until it names its own; its pathway page shows the previous one.
    voss = client_for(personas["outsider"])
    section = prompt(voss.get("/pathway/worklist/").content.decode())
    assert "Name a contact person (1)" in section and "Pasient, Test" in section
    page = voss.get(f"/pathway/enrolments/{accepted.public_id}/").content.decode()
    assert "Previous contact person, Askøy</dt><dd>Coordinator</dd>" in page
    assert "previous contact person: Coordinator" in page  # the move on the timeline

    services.set_contact_person(actor_of(personas["outsider"]), accepted, personas["outsider"])
    section = prompt(voss.get("/pathway/worklist/").content.decode())
    assert "Name a contact person (0)" in section
    accepted.refresh_from_db()
    assert accepted.previous_contact_person == personas["coordinator"]  # still on record
