"""The assessment services: start from the patient's answers, save, complete (which completes the
point), follow-up actions, who may see the patient's own answers, and what an ended pathway refuses."""

import datetime

import pytest
from django.utils import timezone

from assessment import questionnaires, services
from assessment.models import FollowUp, QuestionnaireResponse
from assessment.tests import factories
from audit.models import AuditEntry
from pathway import services as pathway
from pathway.models import PathwayEvent
from pathway.services import PathwayRuleError


@pytest.fixture
def coordinator(actor_of, personas):
    return actor_of(personas["coordinator"])


def test_the_record_starts_from_the_patients_own_answers(coordinator, sp2):
    own = factories.completed_patient_response(sp2, distress=7)
    assessment = services.start_assessment(coordinator, sp2)
    response = assessment.response
    assert response.source == "professional" and response.status == "in-progress"
    assert response.answers == own.answers and response.answers is not own.answers
    assert (response.questionnaire_id, response.author) == (own.questionnaire_id, coordinator.user)
    assert assessment.organisation == coordinator.organisation
    assert services.start_assessment(coordinator, sp2) == assessment  # starting twice gives the same record
    assert AuditEntry.objects.filter(action="create", object_type="assessment", detail="sp2").count() == 1


def test_without_the_patients_answers_the_record_starts_empty(coordinator, sp2):
    response = services.start_assessment(coordinator, sp2).response
    assert response.answers == {} and response.questionnaire_id == questionnaires.ADULT


def test_a_draft_from_home_is_not_the_patients_answers(coordinator, sp2):
    draft = services.home_response(sp2, questionnaires.for_patient(sp2.enrolment.patient))
    draft.answers = {"what-matters": "Not sent yet"}
    draft.save()
    assert services.patient_response(sp2) is None
    assert services.start_assessment(coordinator, sp2).response.answers == {}


def test_only_the_responsible_organisation_starts_the_record(actor_of, personas, sp2):
    for persona in ("nurse", "gp"):
        with pytest.raises(PathwayRuleError, match="Askøy is responsible for this collaboration point"):
            services.start_assessment(actor_of(personas[persona]), sp2)


def test_saving_validates_and_keeps_only_enabled_answers(coordinator, sp2):
    assessment = services.start_assessment(coordinator, sp2)
    errors = services.save_assessment(coordinator, assessment, {"distress-score": 11, "topic-work": "yes"}, "")
    assert errors == {"distress-score": "Choose a number from 0 to 10.", "topic-work": "Answer yes or no."}
    assessment.response.refresh_from_db()
    assert assessment.response.answers == {}

    answers = {"distress-score": 5, "topic-work": False, "topic-work-help": True, "topic-family": True}
    assert services.save_assessment(coordinator, assessment, answers, "  Talked about the family.  ") == {}
    assessment.refresh_from_db()
    response = assessment.response
    response.refresh_from_db()
    assert response.answers == {"distress-score": 5, "topic-work": False, "topic-family": True}
    assert (response.distress_score, response.areas, response.help_areas) == (5, ["topic-family"], [])
    assert assessment.summary == "Talked about the family."


def test_completing_completes_the_point_with_a_timeline_entry(coordinator, sp2):
    factories.completed_patient_response(sp2)
    assessment = services.start_assessment(coordinator, sp2)
    with pytest.raises(PathwayRuleError, match="Write a short summary"):
        services.complete_assessment(coordinator, assessment)
    services.save_assessment(coordinator, assessment, assessment.response.answers, "Agreed on a meeting with NAV.")
    on_date = timezone.localdate() - timezone.timedelta(days=1)
    services.complete_assessment(coordinator, assessment, on_date=on_date, place="Askøy helsehus")
    sp2.refresh_from_db()
    assert (sp2.outcome, sp2.outcome_on, sp2.place, sp2.outcome_by) == (
        "completed",
        on_date,
        "Askøy helsehus",
        coordinator.user,
    )
    event = PathwayEvent.objects.get(kind="point_completed", point=sp2)
    assert (event.on_date, event.data, event.organisation) == (
        on_date,
        {"place": "Askøy helsehus"},
        coordinator.organisation,
    )
    assessment.refresh_from_db()
    assert assessment.is_completed and assessment.completed_by == coordinator.user
    assert assessment.response.status == "completed" and assessment.response.submitted_at
    assert assessment.response.areas == ["topic-work", "problem-physical-fatigue"]
    with pytest.raises(PathwayRuleError, match="already completed"):
        services.complete_assessment(coordinator, assessment)
    with pytest.raises(PathwayRuleError, match="can no longer be changed"):
        services.save_assessment(coordinator, assessment, {}, "Changed afterwards")


def test_a_failed_completion_leaves_the_draft(coordinator, sp2):
    assessment = services.start_assessment(coordinator, sp2)
    services.save_assessment(coordinator, assessment, {}, "Summary")
    with pytest.raises(pathway.PathwayRuleError, match="cannot be in the future"):
        services.complete_assessment(coordinator, assessment, on_date=timezone.localdate() + timezone.timedelta(days=1))
    assessment.refresh_from_db()
    assessment.response.refresh_from_db()
    assert not assessment.is_completed and assessment.response.status == "in-progress"


def test_follow_up_actions_need_a_need_an_action_and_who_is_responsible(coordinator, sp2, orgs):
    assessment = services.start_assessment(coordinator, sp2)
    with pytest.raises(PathwayRuleError, match="Write both the need and the action") as error:
        services.add_follow_up(coordinator, assessment, need="Work", action=" ", responsible_service="NAV")
    assert error.value.field == "action"
    with pytest.raises(PathwayRuleError, match="Say who is responsible") as error:
        services.add_follow_up(coordinator, assessment, need="Work", action="Meeting", responsible_service="  ")
    assert error.value.field == "responsible_service"

    by_name = services.add_follow_up(
        coordinator, assessment, need=" Work ", action="Meeting", responsible_service="NAV"
    )
    in_directory = services.add_follow_up(
        coordinator, assessment, need="Pain", action="Physiotherapy", responsible_organisation=orgs["askoy"]
    )
    assert (by_name.need, by_name.responsible, by_name.status) == ("Work", "NAV", "planned")
    assert in_directory.responsible == "Askøy"
    services.set_follow_up_status(coordinator, by_name, FollowUp.Status.STARTED)
    by_name.refresh_from_db()
    assert by_name.status == "started"
    with pytest.raises(PathwayRuleError, match="Choose a status"):
        services.set_follow_up_status(coordinator, by_name, "forgotten")


def test_a_completed_record_takes_no_new_actions_but_their_status_moves(coordinator, sp2):
    assessment = services.start_assessment(coordinator, sp2)
    follow_up = services.add_follow_up(
        coordinator, assessment, need="Work", action="Meeting", responsible_service="NAV"
    )
    services.save_assessment(coordinator, assessment, {}, "Summary")
    services.complete_assessment(coordinator, assessment)
    with pytest.raises(PathwayRuleError, match="completed"):
        services.add_follow_up(coordinator, assessment, need="Pain", action="Call", responsible_service="GP")
    services.set_follow_up_status(coordinator, follow_up, FollowUp.Status.DONE)
    follow_up.refresh_from_db()
    assert follow_up.status == "done"


def test_only_the_responsible_organisation_changes_follow_ups(actor_of, personas, coordinator, sp2):
    assessment = services.start_assessment(coordinator, sp2)
    follow_up = services.add_follow_up(
        coordinator, assessment, need="Work", action="Meeting", responsible_service="NAV"
    )
    gp = actor_of(personas["gp"])
    with pytest.raises(PathwayRuleError, match="only they can change it"):
        services.set_follow_up_status(gp, follow_up, FollowUp.Status.DONE)
    with pytest.raises(PathwayRuleError, match="only they can change it"):
        services.add_follow_up(gp, assessment, need="Pain", action="Call", responsible_service="GP")


def test_an_ended_pathway_refuses_every_change(actor_of, personas, coordinator, sp2):
    assessment = services.start_assessment(coordinator, sp2)
    follow_up = services.add_follow_up(
        coordinator, assessment, need="Work", action="Meeting", responsible_service="NAV"
    )
    pathway.withdraw(actor_of(personas["nurse"]), sp2.enrolment, reason="Wants out")
    assessment.refresh_from_db()
    ended = "This pathway has ended"
    with pytest.raises(PathwayRuleError, match=ended):
        services.save_assessment(coordinator, assessment, {}, "Summary")
    with pytest.raises(PathwayRuleError, match=ended):
        services.complete_assessment(coordinator, assessment)
    with pytest.raises(PathwayRuleError, match=ended):
        services.add_follow_up(coordinator, assessment, need="Pain", action="Call", responsible_service="GP")
    with pytest.raises(PathwayRuleError, match=ended):
        services.set_follow_up_status(coordinator, follow_up, FollowUp.Status.DONE)
    sp3 = sp2.enrolment.points.get(key="sp3")
    with pytest.raises(PathwayRuleError, match=ended):
        services.start_assessment(coordinator, sp3)


def test_a_closed_point_cannot_get_a_new_record(coordinator, sp2):
    pathway.close_point(coordinator, sp2, "not_wanted")
    with pytest.raises(PathwayRuleError, match="already closed"):
        services.start_assessment(coordinator, sp2)


def test_the_patients_answers_are_for_the_responsible_organisation_and_the_gp(actor_of, personas, enrolment):
    sp1, sp2 = enrolment.points.get(key="sp1"), enrolment.points.get(key="sp2")
    may_see = {
        persona: (
            services.may_see_patient_answers(actor_of(personas[persona]), sp1),
            services.may_see_patient_answers(actor_of(personas[persona]), sp2),
        )
        for persona in ("nurse", "coordinator", "gp")
    }
    assert may_see == {"nurse": (True, False), "coordinator": (False, True), "gp": (True, True)}


def test_the_previous_result_is_the_latest_earlier_point(coordinator, enrolment):
    sp1, sp2 = enrolment.points.get(key="sp1"), enrolment.points.get(key="sp2")
    assert services.previous_result(sp2) == (None, None)
    earlier = factories.completed_patient_response(sp1, distress=3)
    factories.completed_patient_response(sp2, distress=8)
    response, result = services.previous_result(sp2)
    assert response == earlier and result.distress_score == 3


def test_the_previous_result_prefers_the_professionals_record_sent_at_the_same_moment(coordinator, enrolment):
    from assessment.models import QuestionnaireResponse

    sp1, sp2 = enrolment.points.get(key="sp1"), enrolment.points.get(key="sp2")
    own = factories.completed_patient_response(sp1, distress=3)
    professional = QuestionnaireResponse.objects.create(
        point=sp1,
        source="professional",
        questionnaire_id=own.questionnaire_id,
        questionnaire_version=own.questionnaire_version,
        answers={**own.answers, "distress-score": 5},
        status="completed",
        submitted_at=own.submitted_at,
    )
    response, result = services.previous_result(sp2)
    assert response == professional and result.distress_score == 5


def test_the_previous_result_is_never_a_later_point(coordinator, enrolment, pinned_clock):
    """SP1 was compared with the later SP2 (7 → 4 shown as "up by 3"): the point held before is the
    one with the lower sequence, whenever the answers were sent."""
    sp1, sp2 = enrolment.points.get(key="sp1"), enrolment.points.get(key="sp2")
    first = factories.completed_patient_response(sp1, distress=7)
    pinned_clock.shift(datetime.timedelta(days=90))
    factories.completed_patient_response(sp2, distress=4)
    assert services.previous_result(sp1) == (None, None)
    response, result = services.previous_result(sp2)
    assert response == first and result.distress_score == 7


def test_the_previous_result_is_the_point_before_even_if_its_answers_came_later(coordinator, enrolment, pinned_clock):
    sp1, sp2, sp3 = (enrolment.points.get(key=key) for key in ("sp1", "sp2", "sp3"))
    own_sp2 = factories.completed_patient_response(sp2, distress=5)
    factories.completed_patient_response(sp3, distress=9)
    pinned_clock.shift(datetime.timedelta(days=1))
    factories.completed_patient_response(sp1, distress=2)  # sent last, still the first point
    response, result = services.previous_result(sp3)
    assert response == own_sp2 and result.distress_score == 5
    assert services.previous_result(sp2)[1].distress_score == 2


def test_submitting_from_home_stores_the_scores(sp2):
    response = factories.completed_patient_response(sp2, distress=4)
    response.refresh_from_db()
    assert response.status == QuestionnaireResponse.Status.COMPLETED
    assert (response.distress_score, response.areas, response.help_areas) == (
        4,
        ["topic-work", "problem-physical-fatigue"],
        ["topic-work"],
    )
