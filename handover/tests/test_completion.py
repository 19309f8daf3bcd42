"""Completing a collaboration point writes its handover messages in the same transaction."""

import pytest

from assessment import services as assessment
from audit.models import AuditEntry
from handover.models import Delivery, HandoverMessage
from pathway import services as pathway
from pathway.models import CollaborationPoint, PathwayEvent
from pathway.services import HandoverChoice, PathwayRuleError

Event = PathwayEvent.Kind


def test_the_hospitals_point_is_handed_over_to_the_municipality_and_the_gp(sp1_assessment, complete, orgs):
    messages = list(complete(sp1_assessment))
    assert [(m.recipient, m.reason) for m in messages] == [(orgs["gp_office"], "gp"), (orgs["askoy"], "municipality")]
    assert {m.sender for m in messages} == {orgs["haukeland"]}
    assert all(m.status == HandoverMessage.Status.SENDING for m in messages)


def test_the_message_holds_the_summary_follow_ups_next_window_and_contacts(sp1_assessment, complete, personas):
    message = complete(sp1_assessment, note="She prefers calls after 12.").get(reason="municipality")
    body = message.content
    assert body["assessment"]["summary"] == "Tired, wants to get back to work."
    assert body["assessment"]["help_areas"] == ["topic-work"]
    assert body["assessment"]["distress_score"] == 6
    assert body["follow_ups"] == [
        {"need": "Work", "action": "Meeting with NAV", "responsible": "Askøy", "status": "planned"}
    ]
    sp2 = sp1_assessment.point.enrolment.points.get(key="sp2")
    assert body["next_point"]["key"] == "sp2"
    assert body["next_point"]["opens"] == sp2.window_opens.isoformat()
    assert body["next_point"]["closes"] == sp2.window_closes.isoformat()
    assert body["contacts"]["sender"]["organisation"] == "Haukeland universitetssjukehus"
    assert body["contacts"]["sender"]["person"] == personas["nurse"].get_full_name()
    assert body["contacts"]["municipality"]["organisation"] == "Askøy"
    assert message.note == "She prefers calls after 12."


def test_each_message_gets_one_delivery_per_channel_with_its_own_key(sp1_assessment, complete):
    messages = list(complete(sp1_assessment))
    deliveries = Delivery.objects.filter(message__in=messages)
    assert sorted((d.message_id, d.channel) for d in deliveries) == sorted(
        (m.pk, channel) for m in messages for channel in ("heimveg", "email")
    )
    assert len({d.idempotency_key for d in deliveries}) == 4
    assert all(d.status == Delivery.Status.PENDING for d in deliveries)


def test_chosen_receivers_get_it_too(sp1_assessment, complete, orgs):
    voss_hospital = sp1_assessment.point.enrolment.enrolling_organisation  # Haukeland: the sender itself
    messages = complete(sp1_assessment, extra_recipients=(orgs["voss"], voss_hospital))
    assert sorted(m.recipient.name for m in messages) == ["Askøy", "Testvik legesenter", "Voss"]
    assert messages.get(recipient=orgs["voss"]).reason == "chosen"


def test_the_timeline_and_the_audit_log_record_the_handover(sp1_assessment, complete):
    complete(sp1_assessment)
    enrolment = sp1_assessment.point.enrolment
    sent = enrolment.events.get(kind=Event.HANDOVER_SENT)
    assert sorted(sent.data["to"]) == ["Askøy", "Testvik legesenter"]
    assert AuditEntry.objects.filter(object_type="handover_message", action="create").count() == 1


def test_declined_sharing_is_recorded_and_the_municipality_is_told_only_of_the_next_point(
    sp1_assessment, complete, orgs
):
    messages = list(complete(sp1_assessment, sharing_declined=True))
    assert [m.recipient for m in messages] == [orgs["askoy"]]
    message = messages[0]
    assert message.sharing_declined
    assert message.content["assessment"] is None and message.content["follow_ups"] == []
    assert message.content["next_point"]["key"] == "sp2"
    assert sp1_assessment.point.enrolment.events.filter(kind=Event.SHARING_DECLINED).exists()


def test_declined_sharing_with_extra_receivers_is_refused_and_nothing_is_completed(sp1_assessment, complete, orgs):
    with pytest.raises(PathwayRuleError, match="does not want the assessment shared"):
        complete(sp1_assessment, sharing_declined=True, extra_recipients=(orgs["voss"],))
    sp1_assessment.refresh_from_db()
    point = CollaborationPoint.objects.get(pk=sp1_assessment.point_id)
    assert not sp1_assessment.is_completed and point.outcome == ""
    assert not HandoverMessage.objects.exists()


def test_a_municipal_point_goes_to_the_gp(enrolment, actor_of, personas, orgs):
    askoy = actor_of(personas["coordinator"])
    sp2 = enrolment.points.get(key="sp2")
    CollaborationPoint.objects.filter(pk=sp2.pk).update(window_opens=enrolment.diagnosis_date)
    sp2.refresh_from_db()
    record = assessment.start_assessment(askoy, sp2)
    assessment.save_assessment(askoy, record, {}, "Follow-up going well.")
    assessment.complete_assessment(askoy, record, handover=HandoverChoice(extra_recipients=(orgs["haukeland"],)))
    messages = sp2.handover_messages.order_by("reason")
    assert [(m.recipient, m.reason) for m in messages] == [(orgs["haukeland"], "chosen"), (orgs["gp_office"], "gp")]
    assert all(m.sender == orgs["askoy"] for m in messages)


def test_a_point_completed_without_an_assessment_is_handed_over_without_one(enrolment, actor_of, personas):
    sp1 = enrolment.points.get(key="sp1")
    pathway.close_point(actor_of(personas["nurse"]), sp1, CollaborationPoint.Outcome.COMPLETED, place="Ward 3")
    message = sp1.handover_messages.get(reason="municipality")
    assert message.content["assessment"] is None
    assert message.content["point"]["place"] == "Ward 3"


@pytest.mark.parametrize("outcome", ["not_wanted", "cancelled"])
def test_a_point_not_completed_is_not_handed_over(enrolment, actor_of, personas, outcome):
    sp1 = enrolment.points.get(key="sp1")
    pathway.close_point(actor_of(personas["nurse"]), sp1, outcome, reason="Too ill")
    assert not HandoverMessage.objects.exists()
