"""Changes that cannot be taken back are shown first and made on a second POST with the token of
what was shown (pathway.confirmation); a token for a state that has changed since shows the new
summary and changes nothing. Also: a completion outside the window or before the patient's answer
needs a reason, and the answer to the offer belongs to the organisation of the next open point."""

import datetime

import pytest
from django.utils import timezone

from handover.models import HandoverMessage
from handover.tests.test_untouched_forms import state
from pathway import services
from pathway.models import PathwayEvent
from pathway.tests.test_pages import enrol_today
from patients.models import Patient
from testsupport.confirming import post_confirmed, token_of


def close_url(point):
    return f"/pathway/points/{point.public_id}/close/"


def completion(point, **extra):
    return {f"{point.key}-outcome": "completed", f"{point.key}-on_date": timezone.localdate().isoformat(), **extra}


@pytest.fixture
def sp1(actor_of, personas, patient):
    """SP1 at the hospital, in its window, the patient having accepted the offer."""
    return enrol_today(actor_of(personas["nurse"]), patient, offer="accepted").points.get(key="sp1")


def test_a_completion_is_shown_with_its_messages_first_and_made_only_with_the_token(client_for, personas, sp1):
    client = client_for(personas["nurse"])
    before = state()
    shown = client.post(close_url(sp1), completion(sp1, **{"sp1-handover_note": "Ring dottera først."}))
    page = shown.content.decode()
    assert shown.status_code == 200 and "What will happen" in page
    assert "is recorded as completed on" in page
    assert (
        "To Askøy (the patient&#x27;s municipality)" in page and "To Testvik legesenter (the patient&#x27;s gp)" in page
    )
    assert "Ring dottera først." in page  # the note that goes with the messages
    assert state() == before  # the first POST changes nothing

    confirmed = client.post(
        close_url(sp1),
        {**completion(sp1, **{"sp1-handover_note": "Ring dottera først."}), "confirmation": token_of(page)},
    )
    assert confirmed.status_code == 302
    sp1.refresh_from_db()
    assert sp1.outcome == "completed"
    messages = HandoverMessage.objects.filter(point=sp1)
    assert sorted(m.recipient.name for m in messages) == ["Askøy", "Testvik legesenter"]
    assert {m.note for m in messages} == {"Ring dottera først."}


def test_a_token_for_a_state_that_changed_shows_the_new_summary_and_changes_nothing(
    client_for, actor_of, personas, sp1
):
    client = client_for(personas["nurse"])
    token = token_of(client.post(close_url(sp1), completion(sp1)))
    # Someone books the conversation in between.
    services.book_point(actor_of(personas["nurse"]), sp1, timezone.now() + datetime.timedelta(days=1))
    before = state()
    again = client.post(close_url(sp1), {**completion(sp1), "confirmation": token})
    page = again.content.decode()
    assert again.status_code == 200
    assert "Something changed since you opened this summary" in page and "What will happen" in page
    assert state() == before
    new_token = token_of(page)
    assert new_token and new_token != token
    assert client.post(close_url(sp1), {**completion(sp1), "confirmation": new_token}).status_code == 302
    sp1.refresh_from_db()
    assert sp1.outcome == "completed"


def test_a_second_confirmation_of_a_point_completed_meanwhile_changes_nothing(client_for, personas, sp1):
    client = client_for(personas["nurse"])
    token = token_of(client.post(close_url(sp1), completion(sp1)))
    assert client.post(close_url(sp1), {**completion(sp1), "confirmation": token}).status_code == 302
    before = state()
    late = client.post(close_url(sp1), {**completion(sp1), "confirmation": token}, follow=True)
    assert "already closed" in late.content.decode()
    assert state() == before and HandoverMessage.objects.count() == 2


def test_a_token_for_another_change_is_refused(client_for, personas, sp1):
    client = client_for(personas["nurse"])
    enrolment = sp1.enrolment
    withdraw_token = token_of(
        client.post(f"/pathway/enrolments/{enrolment.public_id}/withdraw/", {"reason": "Orkar ikkje meir"})
    )
    before = state()
    page = client.post(close_url(sp1), {**completion(sp1), "confirmation": withdraw_token}).content.decode()
    assert "Something changed since you opened this summary" in page
    assert state() == before


def test_withdrawal_needs_what_the_patient_said_and_shows_the_points_it_cancels(client_for, personas, sp1):
    client = client_for(personas["nurse"])
    enrolment = sp1.enrolment
    url = f"/pathway/enrolments/{enrolment.public_id}/withdraw/"
    before = state()
    refused = client.post(url, {"reason": ""}, follow=True).content.decode()
    assert "Write what the patient said about withdrawing." in refused
    shown = client.post(url, {"reason": "Vil ikkje ha fleire samtalar"}).content.decode()
    assert shown.count("is recorded as cancelled") == 3 and "The pathway ends: withdrawn by the patient." in shown
    assert state() == before
    post_confirmed(client, url, {"reason": "Vil ikkje ha fleire samtalar"})
    enrolment.refresh_from_db()
    assert enrolment.end_reason == "withdrawn"
    assert PathwayEvent.objects.get(kind="withdrawn").note == "Vil ikkje ha fleire samtalar"


def test_not_wanted_and_cancelled_are_confirmed_too(client_for, personas, sp1):
    client = client_for(personas["nurse"])
    data = {"sp1-outcome": "not_wanted", "sp1-on_date": timezone.localdate().isoformat()}
    before = state()
    assert "is recorded as not wanted by the patient" in client.post(close_url(sp1), data).content.decode()
    assert state() == before
    post_confirmed(client, close_url(sp1), data)
    sp1.refresh_from_db()
    assert sp1.outcome == "not_wanted" and not HandoverMessage.objects.exists()


# --- A reason outside the window or before the answer -------------------------------------------


def test_the_service_refuses_a_completion_outside_the_window_without_a_reason(actor_of, personas, patient, today):
    nurse = actor_of(personas["nurse"])
    enrolment = services.enrol(
        nurse,
        patient,
        diagnosis_date=today - datetime.timedelta(days=120),
        icd10_code="C61",
        treatment_intent="curative",
        offer="accepted",
        today=today,
    )
    sp1 = enrolment.points.get(key="sp1")
    assert sp1.window_closes < today
    with pytest.raises(services.PathwayRuleError, match="after the point's window closed") as caught:
        services.close_point(nurse, sp1, "completed", today=today)
    assert caught.value.field == "reason"
    sp1.refresh_from_db()
    assert sp1.outcome == ""
    services.close_point(nurse, sp1, "completed", reason="The patient was in hospital for weeks", today=today)
    sp1.refresh_from_db()
    assert sp1.outcome == "completed" and sp1.reason == "The patient was in hospital for weeks"


def test_completing_before_the_answer_to_the_offer_asks_for_a_reason_on_the_confirmation(
    client_for, actor_of, personas, patient
):
    sp1 = enrol_today(actor_of(personas["nurse"]), patient).points.get(key="sp1")  # the answer not recorded
    client = client_for(personas["nurse"])
    page = client.post(close_url(sp1), completion(sp1)).content.decode()
    assert "The patient&#x27;s answer to the offer of the pathway is not recorded yet." in page
    assert 'id="confirm-reason" name="sp1-reason"' in page
    before = state()
    refused = client.post(close_url(sp1), {**completion(sp1), "confirmation": token_of(page)}).content.decode()
    assert "State the reason for completing it now." in refused  # refused, the summary shown again
    assert state() == before
    post_confirmed(client, close_url(sp1), completion(sp1), reason="Asked at the conversation; answer follows")
    sp1.refresh_from_db()
    assert sp1.outcome == "completed" and sp1.reason == "Asked at the conversation; answer follows"


# --- The answer to the offer --------------------------------------------------------------------


def test_a_gp_sees_the_answer_and_cannot_change_it(client_for, actor_of, personas, patient):
    enrolment = enrol_today(actor_of(personas["nurse"]), patient, offer="accepted")
    client = client_for(personas["gp"])
    page = client.get(f"/pathway/enrolments/{enrolment.public_id}/").content.decode()
    assert "/offer/" not in page and "Accepted" in page
    response = client.post(f"/pathway/enrolments/{enrolment.public_id}/offer/", {"offer": "declined"}, follow=True)
    assert "records the patient&#x27;s answer" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.offer == "accepted"
    with pytest.raises(services.PathwayRuleError):
        services.record_offer(actor_of(personas["gp"]), enrolment, "declined")


def test_the_answer_belongs_to_the_organisation_of_the_next_open_point(actor_of, personas, patient, today):
    nurse, coordinator = actor_of(personas["nurse"]), actor_of(personas["coordinator"])
    enrolment = enrol_today(nurse, patient)
    with pytest.raises(services.PathwayRuleError, match="Haukeland"):
        services.record_offer(coordinator, enrolment, "accepted")  # SP1, the hospital's, is next
    services.record_offer(nurse, enrolment, "accepted")
    services.close_point(nurse, enrolment.points.get(key="sp1"), "completed", today=today)
    enrolment.refresh_from_db()
    with pytest.raises(services.PathwayRuleError):
        services.record_offer(nurse, enrolment, "declined")  # now SP2, the municipality's, is next
    with pytest.raises(services.PathwayRuleError, match="needs a reason"):
        services.record_offer(coordinator, enrolment, "declined")
    services.record_offer(coordinator, enrolment, "declined", reason="Vil ta ein pause")
    enrolment.refresh_from_db()
    assert enrolment.offer == "declined"


def test_changing_the_answer_after_a_held_point_is_confirmed_with_a_reason(
    client_for, actor_of, personas, patient, today
):
    nurse = actor_of(personas["nurse"])
    enrolment = enrol_today(nurse, patient, offer="accepted")
    services.close_point(nurse, enrolment.points.get(key="sp1"), "completed", today=today)
    client = client_for(personas["coordinator"])
    url = f"/pathway/enrolments/{enrolment.public_id}/offer/"
    before = state()
    page = client.post(url, {"offer": "declined"}).content.decode()
    assert "changes from “Accepted” to “Declined”" in page and 'name="reason"' in page
    assert state() == before
    post_confirmed(client, url, {"offer": "declined"}, reason="Vil ta ein pause")
    enrolment.refresh_from_db()
    assert enrolment.offer == "declined"
    assert PathwayEvent.objects.filter(kind="offer_declined").latest("pk").note == "Vil ta ein pause"


# --- Death --------------------------------------------------------------------------------------


def test_recording_a_death_shows_what_ends_first(client_for, actor_of, personas, patient, orgs):
    enrolment = enrol_today(actor_of(personas["nurse"]), patient, offer="accepted")
    client = client_for(personas["nurse"])
    url = f"/patients/{patient.public_id}/edit/"
    data = {
        "national_id": patient.national_id,
        "given_name": patient.given_name,
        "family_name": patient.family_name,
        "municipality": orgs["askoy"].pk,
        "gp_office": orgs["gp_office"].pk,
        "preferred_language": "nb",
        "date_of_death": timezone.localdate().isoformat(),
    }
    before = state()
    page = client.post(url, data).content.decode()
    assert "The pathway ends: the patient died." in page and "Follow-up of the bereaved" in page
    assert state() == before
    post_confirmed(client, url, data)
    assert Patient.objects.get(pk=patient.pk).date_of_death == timezone.localdate()
    enrolment.refresh_from_db()
    assert enrolment.end_reason == "deceased"
    assert HandoverMessage.objects.filter(kind="bereavement").count() == 1


def test_the_page_asks_why_a_point_is_completed_after_its_window(client_for, actor_of, personas, patient, today):
    enrolment = services.enrol(
        actor_of(personas["nurse"]),
        patient,
        diagnosis_date=today - datetime.timedelta(days=120),
        icd10_code="C61",
        treatment_intent="curative",
        offer="accepted",
        today=today,
    )
    sp1 = enrolment.points.get(key="sp1")
    client = client_for(personas["nurse"])
    page = client.post(close_url(sp1), completion(sp1)).content.decode()
    assert "is after the point&#x27;s window closed" in page and 'name="sp1-reason"' in page
    before = state()
    client.post(close_url(sp1), {**completion(sp1), "confirmation": token_of(page)})
    assert state() == before  # refused without a reason
    post_confirmed(client, close_url(sp1), completion(sp1), reason="Innlagt i tre veker")
    sp1.refresh_from_db()
    assert sp1.outcome == "completed" and sp1.reason == "Innlagt i tre veker"


def test_a_confirmation_holds_when_the_user_switches_language_in_between(client_for, personas, sp1, settings):
    client = client_for(personas["nurse"])
    token = token_of(client.post(close_url(sp1), completion(sp1)))  # shown in English
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    assert client.post(close_url(sp1), {**completion(sp1), "confirmation": token}).status_code == 302
    sp1.refresh_from_db()
    assert sp1.outcome == "completed"


def test_the_summary_is_audited_as_one_view_and_its_preview_leaves_no_entry(client_for, personas, sp1):
    """The page shows the patient's name and the messages' content: one VIEW entry. The change it
    previews is rolled back, its UPDATE entry with it; the confirmed change writes its own."""
    from audit.models import AuditEntry

    patient_id = sp1.enrolment.patient.public_id
    client = client_for(personas["nurse"])
    entries = AuditEntry.objects.filter(patient_public_id=patient_id)
    seen = entries.count()
    shown = client.post(close_url(sp1), completion(sp1))
    assert shown.status_code == 200 and token_of(shown)
    written = list(entries.order_by("seq")[seen:].values_list("action", "object_type", "detail"))
    assert written == [(AuditEntry.Action.VIEW, "enrolment", "confirmation close")]

    seen = entries.count()
    client.post(close_url(sp1), {**completion(sp1), "confirmation": token_of(shown)})
    written = list(entries.order_by("seq")[seen:].values_list("action", flat=True))
    assert AuditEntry.Action.VIEW not in written and AuditEntry.Action.UPDATE in written
