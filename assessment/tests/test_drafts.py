"""Nothing typed is lost on the assessment page: the draft keeps where and when the conversation
took place, the page autosaves the draft (and nothing else), follow-up changes are htmx partial
updates that post the unsaved draft along (and keep it without JavaScript too), and a validation
error keeps every field of both forms."""

import datetime

import pytest
from django.utils import timezone

from assessment import services
from assessment.models import Assessment, FollowUp
from assessment.tests import factories
from audit.models import AuditEntry
from pathway.models import PathwayEvent

HTMX = {"HTTP_HX_REQUEST": "true"}
SUMMARY = "Wants to be able to walk the dog again."
PLACE = "Askøy helsehus, room 3"


def page_url(point):
    return f"/assessment/points/{point.public_id}/"


@pytest.fixture
def own(sp2):
    return factories.completed_patient_response(sp2, distress=7)


@pytest.fixture
def coordinator(client_for, personas):
    return client_for(personas["coordinator"])


@pytest.fixture
def assessment(coordinator, sp2, own):
    coordinator.post(page_url(sp2), {"step": "start"})
    return Assessment.objects.get(point=sp2)


def posted(assessment, **overrides):
    """The draft's form as the browser sends it: the stored answers, a summary, place and date."""
    from assessment.forms import initial_from_answers

    response = assessment.response
    data = initial_from_answers(response.questionnaire, response.answers)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    data.update({"summary": SUMMARY, "on_date": yesterday.isoformat(), "place": PLACE})
    data.update(overrides)
    return data


def follow_up(**overrides):
    return {
        "follow-up-need": "Work",
        "follow-up-action": "Meeting with NAV and the employer",
        "follow-up-responsible_service": "NAV",
        "follow-up-status": "planned",
        **overrides,
    }


def updates(detail):
    return AuditEntry.objects.filter(action="update", object_type="assessment", detail=detail).count()


# --- "Save draft" keeps the place and the date --------------------------------------------------


def test_save_draft_keeps_the_place_and_date_and_the_journal_note_shows_them(coordinator, sp2, assessment):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assert coordinator.post(page_url(sp2), {**posted(assessment), "step": "save"}).status_code == 302
    assessment.refresh_from_db()
    assert (assessment.summary, assessment.place, assessment.held_on) == (SUMMARY, PLACE, yesterday)
    page = coordinator.get(page_url(sp2)).content.decode()
    assert f'name="place" value="{PLACE}"' in page
    assert f'name="on_date" value="{yesterday.isoformat()}"' in page
    note = coordinator.get(f"{page_url(sp2)}note/").content.decode()
    assert f"<dt>Where</dt><dd>{PLACE}</dd>" in note
    assert f"<dt>Date</dt><dd>{yesterday:%d.%m.%Y}</dd>" in note


def test_completing_takes_the_place_and_date_from_the_draft_when_not_given(actor_of, personas, sp2, assessment):
    coordinator = actor_of(personas["coordinator"])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    services.save_assessment(coordinator, assessment, {}, SUMMARY, place=PLACE, held_on=yesterday)
    services.complete_assessment(coordinator, assessment)
    sp2.refresh_from_db()
    assert (sp2.outcome, sp2.place, sp2.outcome_on) == ("completed", PLACE, yesterday)


# --- Autosave ----------------------------------------------------------------------------------


def test_autosave_saves_the_draft_and_never_completes(coordinator, sp2, assessment):
    data = posted(assessment, **{"q-distress-score": "4", "step": "complete"})
    answer = coordinator.post(f"{page_url(sp2)}draft/", data)
    assert answer.status_code == 200
    assert answer.json() == {"saved": True, "status": "Draft saved 11:00"}
    assessment.refresh_from_db()
    assessment.response.refresh_from_db()
    assert (assessment.summary, assessment.place) == (SUMMARY, PLACE)
    assert assessment.response.answers["distress-score"] == 4
    assert not assessment.is_completed and assessment.response.status == "in-progress"
    sp2.refresh_from_db()
    assert sp2.outcome == "" and sp2.place == ""
    assert not PathwayEvent.objects.filter(point=sp2, kind="point_completed").exists()
    assert updates("sp2 autosave") == 1

    # Saving the same again writes nothing, not even to the audit log.
    assert coordinator.post(f"{page_url(sp2)}draft/", data).json()["saved"] is True
    assert updates("sp2 autosave") == 1


def test_autosave_with_an_answer_to_correct_saves_nothing(coordinator, sp2, assessment):
    answer = coordinator.post(f"{page_url(sp2)}draft/", posted(assessment, **{"q-distress-score": "11"}))
    assert answer.json()["saved"] is False
    assert "Save draft" in answer.json()["status"]
    assessment.refresh_from_db()
    assert assessment.summary == "" and updates("sp2 autosave") == 0


def test_autosave_of_a_completed_assessment_changes_nothing(actor_of, personas, coordinator, sp2, assessment):
    actor = actor_of(personas["coordinator"])
    services.save_assessment(actor, assessment, assessment.response.answers, "Done.")
    services.complete_assessment(actor, assessment)
    answer = coordinator.post(f"{page_url(sp2)}draft/", posted(assessment))
    assert answer.json()["saved"] is False
    assessment.refresh_from_db()
    assert assessment.summary == "Done." and updates("sp2 autosave") == 0


@pytest.mark.parametrize("persona", ["nurse", "gp"])
def test_autosave_is_refused_to_others(client_for, personas, sp2, assessment, persona):
    answer = client_for(personas[persona]).post(f"{page_url(sp2)}draft/", posted(assessment))
    assert answer.json()["saved"] is False
    assessment.refresh_from_db()
    assert assessment.summary == ""
    assert client_for(personas["outsider"]).post(f"{page_url(sp2)}draft/", posted(assessment)).status_code == 403


def test_the_page_autosaves_through_a_static_script(coordinator, sp2, assessment):
    page = coordinator.get(page_url(sp2)).content.decode()
    assert f'id="hv-assessment-form" data-autosave-url="{page_url(sp2)}draft/"' in page
    assert 'id="hv-draft-status" role="status"' in page
    assert "assessment/draft.js" in page
    assert "<script>" not in page and " style=" not in page and "hx-on" not in page


# --- Follow-up actions: htmx partial updates, the draft posted along ---------------------------


def test_adding_a_follow_up_with_htmx_answers_the_section_alone_and_saves_the_draft(coordinator, sp2, assessment):
    answer = coordinator.post(f"{page_url(sp2)}follow-ups/", {**posted(assessment), **follow_up()}, **HTMX)
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "<html" not in html and 'name="summary"' not in html  # the draft's form is left alone
    assert "Meeting with NAV and the employer" in html  # the list, with the new action
    assert 'id="add-follow-up"' in html and 'form="hv-assessment-form"' in html  # the form again, empty
    assert 'name="follow-up-action"' in html and "Meeting with NAV and the employer</textarea>" not in html
    assert '<p id="follow-up-status" hx-swap-oob="innerHTML">The follow-up action is added.</p>' in html
    assert '<p id="hv-draft-status" hx-swap-oob="innerHTML">Draft saved 11:00</p>' in html
    assert FollowUp.objects.get().need == "Work"
    assessment.refresh_from_db()
    assert (assessment.summary, assessment.place) == (SUMMARY, PLACE)


def test_a_follow_up_error_with_htmx_keeps_what_was_typed(coordinator, sp2, assessment):
    data = {**posted(assessment), **follow_up(**{"follow-up-responsible_service": ""})}
    html = coordinator.post(f"{page_url(sp2)}follow-ups/", data, **HTMX).content.decode()
    assert "Say who is responsible: choose a service or write its name." in html
    assert "Meeting with NAV and the employer</textarea>" in html and 'value="Work"' in html
    assert "The follow-up action is not added: see the fields marked." in html
    assert not FollowUp.objects.exists()
    assessment.refresh_from_db()
    assert assessment.summary == SUMMARY  # the draft is saved all the same


def test_without_javascript_adding_a_follow_up_saves_the_draft_first(coordinator, sp2, assessment):
    answer = coordinator.post(f"{page_url(sp2)}follow-ups/", {**posted(assessment), **follow_up()})
    assert answer.status_code == 302 and answer["Location"].endswith("#follow-ups")
    page = coordinator.get(answer["Location"]).content.decode()
    assert SUMMARY in page and f'value="{PLACE}"' in page
    assert "Meeting with NAV and the employer" in page and FollowUp.objects.count() == 1


def test_without_javascript_a_follow_up_error_keeps_both_forms(coordinator, sp2, assessment):
    data = {**posted(assessment, **{"q-distress-score": "11"}), **follow_up(**{"follow-up-action": ""})}
    page = coordinator.post(f"{page_url(sp2)}follow-ups/", data).content.decode()
    assert "Please correct the following" in page
    assert f"{SUMMARY}</textarea>" in page and f'value="{PLACE}"' in page
    assert 'id="id_q-distress-score_error"' in page
    assert 'name="follow-up-need" value="Work"' in page
    assert not FollowUp.objects.exists()


def test_changing_a_follow_up_status_with_htmx_answers_the_section(actor_of, personas, coordinator, sp2, assessment):
    action = services.add_follow_up(
        actor_of(personas["coordinator"]), assessment, need="Pain", action="Call", responsible_service="GP"
    )
    data = {**posted(assessment), f"status-{action.pk}-status": "done"}
    html = coordinator.post(f"/assessment/follow-ups/{action.public_id}/status/", data, **HTMX).content.decode()
    assert "<html" not in html and "The status is changed." in html
    assert f'id="change-status-{action.public_id}"' in html
    action.refresh_from_db()
    assert action.status == "done"
    assessment.refresh_from_db()
    assert assessment.place == PLACE


def test_changing_a_status_of_a_completed_record_with_htmx(actor_of, personas, coordinator, sp2, assessment):
    actor = actor_of(personas["coordinator"])
    action = services.add_follow_up(actor, assessment, need="Pain", action="Call", responsible_service="GP")
    services.save_assessment(actor, assessment, assessment.response.answers, "Done.")
    services.complete_assessment(actor, assessment)
    page = coordinator.get(page_url(sp2)).content.decode()
    assert f'hx-post="/assessment/follow-ups/{action.public_id}/status/"' in page
    data = {f"status-{action.pk}-status": "started"}
    html = coordinator.post(f"/assessment/follow-ups/{action.public_id}/status/", data, **HTMX).content.decode()
    assert "The status is changed." in html and 'id="hv-draft-status"' not in html
    action.refresh_from_db()
    assert action.status == "started"


# --- A validation error keeps every field -------------------------------------------------------


def test_a_validation_error_on_save_keeps_every_field(coordinator, sp2, assessment):
    data = posted(assessment, **{"q-distress-score": "11", "q-what-matters": "My garden"})
    page = coordinator.post(page_url(sp2), {**data, "step": "save"}).content.decode()
    assert "Please correct the following" in page
    assert f"{SUMMARY}</textarea>" in page and f'value="{PLACE}"' in page
    assert f'value="{data["on_date"]}"' in page and "My garden" in page
    assessment.refresh_from_db()
    assert assessment.summary == ""
