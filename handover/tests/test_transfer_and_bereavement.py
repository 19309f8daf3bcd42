"""A move sends the new municipality a transfer message; a death sends the municipality a
bereavement follow-up message with the registered relatives."""

import datetime

import pytest
from django.utils import timezone

from handover.models import HandoverMessage
from pathway.tests.test_moves_and_contact_person import move
from patients.models import Relative
from testsupport.confirming import post_confirmed

Kind = HandoverMessage.Kind


@pytest.fixture
def followed_up(sp1_assessment, complete):
    """The first point completed with a planned follow-up action; the patient is in Askøy."""
    complete(sp1_assessment)
    return sp1_assessment


def test_a_move_sends_the_new_municipality_the_open_points_and_follow_ups(
    followed_up, client_for, personas, patient, orgs
):
    move(client_for(personas["nurse"]), patient, orgs["voss"])
    message = HandoverMessage.objects.get(kind=Kind.TRANSFER)
    assert (message.sender, message.recipient) == (orgs["haukeland"], orgs["voss"])
    body = message.content
    assert (body["from"], body["to"]) == ("Askøy", "Voss")
    assert [(p["key"], p["responsible"]) for p in body["open_points"]] == [("sp2", "Voss"), ("sp3", "Voss")]
    assert [f["action"] for f in body["follow_ups"]] == ["Meeting with NAV"]
    assert message.deliveries.count() == 2


def test_follow_ups_the_patient_did_not_want_shared_stay_out_of_the_transfer(
    sp1_assessment, complete, client_for, personas, patient, orgs
):
    complete(sp1_assessment, sharing_declined=True)
    move(client_for(personas["nurse"]), patient, orgs["voss"])
    assert HandoverMessage.objects.get(kind=Kind.TRANSFER).content["follow_ups"] == []


def test_the_new_municipality_recording_the_move_itself_sends_itself_nothing(
    followed_up, client_for, personas, patient, orgs, actor_of
):
    from accounts.models import Role
    from conftest import make_user
    from patients import access

    voss_nurse = make_user("voss-nurse", orgs["voss"], Role.MUNICIPAL_COORDINATOR)
    # Before the move Voss has no care relation (having registered the patient would not give one
    # either): it opens the patient by emergency access.
    access.grant_emergency_access(actor_of(voss_nurse), patient, "The patient moved here and needs care from today")
    move(client_for(voss_nurse), patient, orgs["voss"])
    assert not HandoverMessage.objects.filter(kind=Kind.TRANSFER).exists()


def record_death(client, patient, on):
    response = post_confirmed(
        client,
        f"/patients/{patient.public_id}/edit/",
        {
            "national_id": patient.national_id,
            "given_name": patient.given_name,
            "family_name": patient.family_name,
            "municipality": patient.municipality_id,
            "gp_office": patient.gp_office_id or "",
            "preferred_language": "nb",
            "date_of_death": on.isoformat(),
        },
        follow=False,
    )
    assert response.status_code == 302


def test_a_death_sends_the_municipality_a_bereavement_message_with_the_relatives(
    enrolment, client_for, personas, patient, orgs
):
    patient.relatives.create(
        name="Kari Pasient", relation=Relative.Relation.SPOUSE, phone="900 00 001", is_next_of_kin=True
    )
    patient.relatives.create(name="Ola Pasient", relation=Relative.Relation.CHILD, is_child=True)
    died = timezone.localdate() - datetime.timedelta(days=1)
    record_death(client_for(personas["nurse"]), patient, died)
    message = HandoverMessage.objects.get(kind=Kind.BEREAVEMENT)
    assert (message.sender, message.recipient) == (orgs["haukeland"], orgs["askoy"])
    assert message.content["died_on"] == died.isoformat()
    assert [(r["name"], r["is_child"], r["is_next_of_kin"]) for r in message.content["relatives"]] == [
        ("Kari Pasient", False, True),
        ("Ola Pasient", True, False),
    ]


def test_a_death_recorded_by_the_municipality_itself_sends_no_message(enrolment, client_for, personas, patient):
    record_death(client_for(personas["coordinator"]), patient, timezone.localdate())
    assert not HandoverMessage.objects.filter(kind=Kind.BEREAVEMENT).exists()
    assert patient.enrolments.get().bereavement_follow_up  # it is on the municipality's worklist


def test_a_completed_follow_up_is_not_in_the_transfer(followed_up, client_for, personas, patient, orgs):
    follow_up = followed_up.follow_ups.get()
    follow_up.status = "done"
    follow_up.save()
    move(client_for(personas["nurse"]), patient, orgs["voss"])
    assert HandoverMessage.objects.get(kind=Kind.TRANSFER).content["follow_ups"] == []
