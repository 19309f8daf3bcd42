"""The handover pages: the messages list, one message, acknowledging, and the boxes on the
worklist, the enrolment page and the completion form. Each view is access-checked and logged."""

import datetime

import pytest

from audit.models import AuditEntry
from handover import outbox
from handover.models import HandoverMessage
from testsupport.confirming import post_confirmed


@pytest.fixture
def delivered(sp1_assessment, complete):
    complete(sp1_assessment, note="Prefers calls after 12.")
    outbox.deliver_due()
    return HandoverMessage.objects.get(reason="municipality")


def url(message, action=""):
    return f"/handover/messages/{message.public_id}/{action}"


def test_the_receiver_sees_the_message_in_its_list(delivered, client_for, personas):
    page = client_for(personas["coordinator"]).get("/handover/").content.decode()
    assert "Pasient, Test" in page and "Haukeland universitetssjukehus" in page
    assert url(delivered) in page
    entry = AuditEntry.objects.get(action="list", detail="handover messages")
    assert entry.patient_ids == [delivered.enrolment.patient.public_id]


def test_the_sender_sees_its_sent_messages_with_their_status(delivered, client_for, personas):
    page = client_for(personas["nurse"]).get("/handover/?box=sent").content.decode()
    assert page.count("Delivered") >= 2 and "Askøy" in page and "Testvik legesenter" in page


def test_acknowledged_messages_leave_the_default_list_but_not_the_full_one(delivered, client_for, personas):
    client = client_for(personas["coordinator"])
    client.post(url(delivered, "acknowledge/"))
    assert url(delivered) not in client.get("/handover/").content.decode()
    assert url(delivered) in client.get("/handover/?show=all").content.decode()


def test_the_message_page_shows_the_summary_follow_ups_next_point_and_note(delivered, client_for, personas):
    response = client_for(personas["coordinator"]).get(url(delivered))
    page = response.content.decode()
    for text in (
        "Tired, wants to get back to work.",
        "Meeting with NAV",
        "Prefers calls after 12.",
        "Next collaboration point",
        "Work",
        "Acknowledge",
    ):
        assert text in page, text
    assert AuditEntry.objects.filter(action="view", object_type="handover_message").count() == 1


def test_acknowledging_on_the_page_shows_who_and_when_to_the_sender(delivered, client_for, personas):
    response = client_for(personas["coordinator"]).post(url(delivered, "acknowledge/"), follow=True)
    assert "The message is acknowledged" in response.content.decode()
    page = client_for(personas["nurse"]).get(url(delivered)).content.decode()
    assert "Acknowledged" in page and personas["coordinator"].get_full_name() in page
    assert "Acknowledge:" not in page  # no button for the sender


def test_acknowledging_twice_gives_a_message_not_an_error(delivered, client_for, personas):
    client = client_for(personas["coordinator"])
    client.post(url(delivered, "acknowledge/"))
    response = client.post(url(delivered, "acknowledge/"), follow=True)
    assert response.status_code == 200 and "already acknowledged" in response.content.decode()


@pytest.mark.parametrize("who", ["outsider", "gp"])
def test_other_organisations_cannot_open_the_message(delivered, client_for, personas, who):
    # The GP received its own copy; this one is the municipality's.
    assert client_for(personas[who]).get(url(delivered)).status_code == 404
    assert client_for(personas[who]).post(url(delivered, "acknowledge/")).status_code == 404


def test_an_analyst_cannot_open_messages(delivered, client_for, personas):
    assert client_for(personas["analyst"]).get("/handover/").status_code == 403


def test_a_message_not_yet_delivered_is_not_shown_to_the_receiver(sp1_assessment, complete, client_for, personas):
    message = complete(sp1_assessment).get(reason="municipality")
    assert client_for(personas["coordinator"]).get(url(message)).status_code == 404
    assert client_for(personas["nurse"]).get(url(message)).status_code == 200


def test_the_sender_sees_each_channels_delivery(delivered, client_for, personas):
    page = client_for(personas["nurse"]).get(url(delivered)).content.decode()
    assert "To the receiver&#x27;s inbox in Heimveg" in page or "To the receiver's inbox in Heimveg" in page
    assert "E-mail notice" in page


def test_the_worklist_counts_messages_waiting_for_acknowledgement(delivered, client_for, personas):
    page = client_for(personas["coordinator"]).get("/pathway/worklist/").content.decode()
    assert "1 received message is not acknowledged yet" in page


def test_the_enrolment_page_lists_the_messages_of_the_pathway(delivered, client_for, personas):
    page = client_for(personas["nurse"]).get(f"/pathway/enrolments/{delivered.enrolment.public_id}/").content.decode()
    assert url(delivered) in page


def test_the_completion_form_hands_over_with_the_note_and_the_choices(sp1_assessment, client_for, personas, orgs):
    point = sp1_assessment.point
    client = client_for(personas["nurse"])
    page = client.get(f"/assessment/points/{point.public_id}/").content.decode()
    assert "Completing sends a handover message to: Askøy, Testvik legesenter." in page
    data = {
        "step": "complete",
        "summary": "Tired, wants to get back to work.",
        "handover_note": "Call her daughter first.",
        "sharing_declined": "on",
    }
    shown = client.post(f"/assessment/points/{point.public_id}/", data).content.decode()
    assert "To Askøy (the patient&#x27;s municipality)" in shown and "Call her daughter first." in shown
    assert not HandoverMessage.objects.exists()
    response = post_confirmed(client, f"/assessment/points/{point.public_id}/", data, reason="Why", follow=False)
    assert response.status_code == 302
    message = HandoverMessage.objects.get()
    assert message.recipient == orgs["askoy"] and message.sharing_declined
    assert message.note == "Call her daughter first."


def test_a_refused_hand_over_keeps_what_was_typed(sp1_assessment, client_for, personas, orgs):
    point = sp1_assessment.point
    other_hospital = orgs["haukeland"].parent.children.exclude(pk=orgs["haukeland"].pk).filter(kind="hospital").first()
    response = client_for(personas["nurse"]).post(
        f"/assessment/points/{point.public_id}/",
        {
            "step": "complete",
            "summary": "Summary I typed",
            "handover_note": "A note I typed",
            "extra_recipients": [other_hospital.pk],
            "sharing_declined": "on",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "does not want the assessment shared" in page
    assert "A note I typed" in page and "Summary I typed" in page
    assert not HandoverMessage.objects.exists()


def test_a_late_message_is_marked_on_its_page_and_in_the_lists(delivered, client_for, personas):
    client = client_for(personas["coordinator"])
    assert "Not acknowledged in time" not in client.get(url(delivered)).content.decode()
    HandoverMessage.objects.filter(pk=delivered.pk).update(acknowledge_by=datetime.date(2020, 1, 2))
    assert "Not acknowledged in time" in client.get(url(delivered)).content.decode()
    assert "Not acknowledged in time" in client.get("/handover/").content.decode()
