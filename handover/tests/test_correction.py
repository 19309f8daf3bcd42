"""Correcting a completion within HEIMVEG_COMPLETION_CORRECTION_HOURS by the person who recorded it:
the messages are entered in error and replaced, a receiver that had acknowledged acknowledges the
replacement, and both stay on the timeline and in the audit log."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEntry
from conftest import make_user
from handover import corrections, outbox, services
from handover.models import Delivery, HandoverMessage
from pathway import services as pathway
from pathway.models import CollaborationPoint, PathwayEvent
from pathway.services import PathwayConflict, PathwayRuleError

Event = PathwayEvent.Kind
ERROR = HandoverMessage.Status.ENTERED_IN_ERROR


@pytest.fixture
def completed(sp1_assessment, complete):
    """The first point completed by the nurse (messages to Askøy and the GP), delivered, and the
    municipality's message acknowledged by its coordinator."""
    complete(sp1_assessment, note="Calls after 12.")
    outbox.deliver_due()
    return CollaborationPoint.objects.select_related("enrolment__patient").get(pk=sp1_assessment.point_id)


@pytest.fixture
def correct(actor_of, personas, today):
    def run(point, user=None, **facts):
        values = {
            "on_date": today - datetime.timedelta(days=1),
            "place": "Room 4",
            "note": "Calls after 14.",
            "reason": "Wrong date and room.",
            "seen": corrections.corrections_made(point),
        }
        return corrections.correct_completion(actor_of(user or personas["nurse"]), point, **{**values, **facts})

    return run


def acknowledge(actor_of, user, message):
    fresh = HandoverMessage.objects.select_related("point", "enrolment").get(pk=message.pk)
    services.acknowledge(actor_of(user), fresh)


def test_the_author_corrects_within_the_period_and_each_receiver_gets_a_replacement(
    completed, correct, actor_of, personas, orgs, today
):
    askoy_message = completed.handover_messages.get(recipient=orgs["askoy"])
    acknowledge(actor_of, personas["coordinator"], askoy_message)

    written = correct(completed)

    point = CollaborationPoint.objects.get(pk=completed.pk)
    assert point.outcome == CollaborationPoint.Outcome.COMPLETED
    assert (point.outcome_on, point.place) == (today - datetime.timedelta(days=1), "Room 4")
    old = HandoverMessage.objects.filter(point=point, replaces__isnull=True)
    assert {m.status for m in old} == {ERROR}
    assert sorted(m.recipient.name for m in written) == ["Askøy", "Testvik legesenter"]
    for message in written:
        message.refresh_from_db()
        assert message.replaces.recipient == message.recipient
        assert message.status == HandoverMessage.Status.SENDING  # through the outbox, like any message
        assert message.note == "Calls after 14."
        assert message.correction_reason == "Wrong date and room."
        assert message.content["point"]["completed_on"] == (today - datetime.timedelta(days=1)).isoformat()
        assert message.content["point"]["place"] == "Room 4"
        assert message.content["assessment"]["summary"] == "Tired, wants to get back to work."
        assert {d.status for d in message.deliveries.all()} == {Delivery.Status.PENDING}
    # The acknowledged original keeps its acknowledgement; the replacement waits for a new one.
    askoy_message.refresh_from_db()
    assert askoy_message.acknowledged_at is not None and askoy_message.entered_in_error_at is not None
    outbox.deliver_due()
    replacement = HandoverMessage.objects.get(replaces=askoy_message)
    assert replacement.status == HandoverMessage.Status.DELIVERED and replacement.acknowledged_at is None
    assert services.summary(orgs["askoy"], today)["waiting"] == 1  # the replacement, not the original
    acknowledge(actor_of, personas["coordinator"], replacement)
    assert services.summary(orgs["askoy"], today)["waiting"] == 0


def test_the_correction_is_on_the_timeline_and_in_the_audit_log_last(completed, correct):
    correct(completed)
    event = completed.enrolment.events.get(kind=Event.CORRECTION)
    assert event.point_id == completed.pk and event.note == "Wrong date and room."
    assert event.data["what"] == "completion"
    assert event.data["place"] == "Room 4"
    assert sorted(event.data["entered_in_error"]) == ["Askøy", "Testvik legesenter"]
    assert sorted(event.data["replacements"]) == ["Askøy", "Testvik legesenter"]
    # Both completions' handovers stay on the timeline.
    assert completed.enrolment.events.filter(kind=Event.HANDOVER_SENT).count() == 2
    last = list(AuditEntry.objects.order_by("-id")[:2])
    assert [e.detail for e in last] == ["2 entered in error, 2 replacements", "sp1 completion corrected"]
    assert all(e.patient_public_id == completed.enrolment.patient.public_id for e in last)


def test_an_unacknowledged_original_needs_no_acknowledgement_and_cannot_be_acknowledged(
    completed, correct, actor_of, personas, orgs, today
):
    gp_message = completed.handover_messages.get(recipient=orgs["gp_office"])
    correct(completed)
    outbox.deliver_due()
    assert services.summary(orgs["gp_office"], today)["waiting"] == 1
    assert list(services.inbox(orgs["gp_office"]).filter(**services.OPEN)) == [
        HandoverMessage.objects.get(replaces=gp_message)
    ]
    with pytest.raises(PathwayConflict, match="entered in error"):
        acknowledge(actor_of, personas["gp"], gp_message)


def test_declining_sharing_in_a_correction_withdraws_the_gps_message_without_a_replacement(completed, correct, orgs):
    written = correct(completed, declined=True)
    assert [m.recipient for m in written] == [orgs["askoy"]]
    assert written[0].sharing_declined and written[0].content["assessment"] is None
    gp_message = completed.handover_messages.get(recipient=orgs["gp_office"])
    assert gp_message.status == ERROR and gp_message.correction_reason == "Wrong date and room."
    assert not hasattr(gp_message, "replaced_by") or gp_message.replaced_by is None
    assert completed.enrolment.events.filter(kind=Event.SHARING_DECLINED, point=completed).count() == 1


def test_a_second_correction_within_the_period_replaces_the_replacement(completed, correct, today):
    first = correct(completed)
    second = correct(completed, place="Room 5", reason="Room again.")
    by_receiver = sorted(first, key=lambda m: m.recipient_id), sorted(second, key=lambda m: m.recipient_id)
    for old, new in zip(*by_receiver, strict=True):
        new.refresh_from_db()
        assert new.replaces_id == old.pk
        assert HandoverMessage.objects.get(pk=old.pk).status == ERROR
    assert corrections.corrections_made(completed) == 2


def test_refused_after_the_period(completed, correct, pinned_clock, settings):
    settings.HEIMVEG_COMPLETION_CORRECTION_HOURS = 24
    pinned_clock.shift(datetime.timedelta(hours=24, seconds=1))
    with pytest.raises(PathwayRuleError, match="can be corrected for 24 hours after it was recorded"):
        correct(completed)
    assert not HandoverMessage.objects.filter(entered_in_error_at__isnull=False).exists()
    assert not completed.enrolment.events.filter(kind=Event.CORRECTION).exists()


def test_the_period_is_a_setting(completed, correct, pinned_clock, settings):
    settings.HEIMVEG_COMPLETION_CORRECTION_HOURS = 48
    pinned_clock.shift(datetime.timedelta(hours=30))
    assert len(correct(completed)) == 2


def test_refused_for_another_user_even_of_the_same_organisation(completed, correct, personas, orgs):
    colleague = make_user("colleague", orgs["haukeland"], Role.HOSPITAL_CLINICIAN)
    with pytest.raises(PathwayRuleError, match="who recorded the completion, can correct it"):
        correct(completed, user=colleague)
    with pytest.raises(PathwayRuleError):
        correct(completed, user=personas["coordinator"])
    assert not HandoverMessage.objects.filter(entered_in_error_at__isnull=False).exists()


def test_refused_when_the_point_is_not_completed(enrolment, correct, actor_of, personas, today):
    sp1 = enrolment.points.get(key="sp1")
    with pytest.raises(PathwayConflict, match="not completed"):
        correct(sp1)
    pathway.close_point(actor_of(personas["nurse"]), sp1, CollaborationPoint.Outcome.NOT_WANTED, today=today)
    with pytest.raises(PathwayConflict, match="not completed"):
        correct(CollaborationPoint.objects.get(pk=sp1.pk))


def test_a_reason_is_required_and_the_date_checked(completed, correct, today):
    with pytest.raises(PathwayRuleError, match="Give a reason"):
        correct(completed, reason="  ")
    with pytest.raises(PathwayRuleError, match="future"):
        correct(completed, on_date=today + datetime.timedelta(days=1))
    assert not completed.enrolment.events.filter(kind=Event.CORRECTION).exists()


def test_a_correction_seen_before_another_is_refused_as_a_conflict(completed, correct):
    correct(completed)
    with pytest.raises(PathwayConflict, match="corrected just now"):
        correct(completed, seen=0)
    assert corrections.corrections_made(completed) == 1


# --- The pages ---------------------------------------------------------------------------------


def correction_url(point):
    return f"/handover/points/{point.public_id}/correct/"


def form_data(point, **values):
    return {
        "on_date": "",
        "place": "Room 4",
        "note": "Calls after 14.",
        "reason": "Wrong room.",
        "seen": corrections.corrections_made(point),
        **values,
    }


def test_the_pathway_and_assessment_pages_offer_the_correction_to_the_author_only(
    completed, client_for, personas, orgs, pinned_clock
):
    pathway_page = reverse("pathway:enrolment", args=[completed.enrolment.public_id])
    assessment_page = reverse("assessment:point", args=[completed.public_id])
    client = client_for(personas["nurse"])
    for page in (pathway_page, assessment_page):
        body = client.get(page).content.decode()
        assert "Correct the completion" in body and correction_url(completed) in body, page
    colleague = make_user("colleague", orgs["haukeland"], Role.HOSPITAL_CLINICIAN)
    assert correction_url(completed) not in client_for(colleague).get(pathway_page).content.decode()
    pinned_clock.shift(datetime.timedelta(hours=25))
    assert correction_url(completed) not in client_for(personas["nurse"]).get(pathway_page).content.decode()


def test_correcting_on_the_page_marks_the_messages_in_every_list(completed, client_for, personas, today):
    client = client_for(personas["nurse"])
    form = client.get(correction_url(completed)).content.decode()
    assert "Askøy" in form and "Testvik legesenter" in form  # what the correction does, to whom
    response = client.post(correction_url(completed), form_data(completed, on_date=today.isoformat()))
    assert response.status_code == 302 and response["Location"] == reverse(
        "pathway:enrolment", args=[completed.enrolment.public_id]
    )
    outbox.deliver_due()
    old = completed.handover_messages.get(recipient__name="Askøy", replaces__isnull=True)
    new = old.replaced_by
    pathway_page = client.get(response["Location"]).content.decode()
    assert "entered in error, replaced by" in pathway_page and f"/handover/messages/{new.public_id}/" in pathway_page
    inbox = client_for(personas["coordinator"]).get("/handover/?show=all").content.decode()
    assert "Entered in error" in inbox and "corrects an earlier message" in inbox
    old_page = client_for(personas["coordinator"]).get(f"/handover/messages/{old.public_id}/").content.decode()
    assert "Entered in error: the sender corrected this completion" in old_page and "Wrong room." in old_page
    assert f"/handover/messages/{old.public_id}/acknowledge/" not in old_page
    new_page = client_for(personas["coordinator"]).get(f"/handover/messages/{new.public_id}/").content.decode()
    assert "This message corrects an earlier one" in new_page
    assert f"/handover/messages/{new.public_id}/acknowledge/" in new_page


def test_a_refusal_keeps_what_was_typed_and_changes_nothing(completed, client_for, personas, today):
    response = client_for(personas["nurse"]).post(
        correction_url(completed), form_data(completed, on_date=today.isoformat(), reason="", place="Room 9")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Room 9"' in page and "Reason for the correction" in page
    assert not HandoverMessage.objects.filter(entered_in_error_at__isnull=False).exists()


def test_a_conflict_shows_what_is_recorded_now(completed, correct, client_for, personas, today):
    stale = form_data(completed, on_date=today.isoformat(), place="Room 9")
    correct(completed, place="Room 4")
    response = client_for(personas["nurse"]).post(correction_url(completed), stale)
    assert response.status_code == 409
    page = response.content.decode()
    assert "The completion was corrected just now" in page and "Room 4" in page and 'value="Room 9"' in page
    assert corrections.corrections_made(completed) == 1


def test_another_user_is_told_why_and_cannot_post(completed, client_for, personas, orgs, today):
    colleague = make_user("colleague", orgs["haukeland"], Role.HOSPITAL_CLINICIAN)
    client = client_for(colleague)
    page = client.get(correction_url(completed)).content.decode()
    assert (
        "Only the person who recorded a completion can correct it" in page
        and f'action="{correction_url(completed)}"' not in page
    )
    response = client.post(correction_url(completed), form_data(completed, on_date=today.isoformat()))
    assert response.status_code == 200 and "who recorded the completion, can correct it" in response.content.decode()
    assert not HandoverMessage.objects.filter(entered_in_error_at__isnull=False).exists()


def test_the_municipal_worklist_lists_a_corrected_hand_over_once(completed, correct, orgs):
    correct(completed)
    outbox.deliver_due()
    assert [m.point_id for m in services.handed_over_lately(orgs["askoy"])] == [completed.pk]


def test_the_lists_read_the_correction_links_without_a_query_per_message(
    completed, correct, client_for, personas, today
):
    """The inbox and the pathway page link each message entered in error to its replacement and
    back (handover/correction_note.html): read with the messages, not one query per message."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    enrolment_url = reverse("pathway:enrolment", args=[completed.enrolment.public_id])
    pages = (("coordinator", "/handover/?show=all"), ("nurse", "/handover/?box=sent"), ("nurse", enrolment_url))

    def queries():
        counts = []
        for who, url in pages:
            client = client_for(personas[who])
            with CaptureQueriesContext(connection) as captured:
                page = client.get(url)
            assert page.status_code == 200 and "entered in error, replaced by" in page.content.decode(), url
            counts.append(len(captured))
        return counts

    correct(completed)
    outbox.deliver_due()
    once = queries()
    correct(completed, place="Room 5", reason="Wrong room again.")
    outbox.deliver_due()
    assert queries() == once
