"""Scoring, comparison and presentation: pure functions, no database."""

import pytest

from assessment import presentation, questionnaires, scoring
from assessment.tests.factories import patient_answers


@pytest.fixture
def adult():
    return questionnaires.get(questionnaires.ADULT)


@pytest.mark.parametrize(
    ("distress", "threshold", "flagged"),
    [(3, 4, False), (4, 4, True), (10, 4, True), (3, 3, True), (0, 1, False)],
)
def test_distress_is_flagged_at_or_above_the_threshold(adult, distress, threshold, flagged):
    result = scoring.score(adult, {"distress-score": distress}, thresholds=scoring.Thresholds(distress=threshold))
    assert result.distress_score == distress
    assert result.distress_flag is flagged
    assert result.needs_follow_up is flagged


def test_no_score_is_no_flag(adult):
    result = scoring.score(adult, {})
    assert (result.distress_score, result.distress_flag, result.areas) == (None, False, ())


def test_a_score_that_is_not_a_number_is_ignored(adult):
    assert scoring.score(adult, {"distress-score": True}).distress_score is None


def test_marked_areas_say_where_help_is_wanted(adult):
    answers = {"topic-work": True, "topic-work-help": True, "problem-physical-pain": True, "topic-family": False}
    result = scoring.score(adult, answers)
    assert [(a.code, a.wants_help) for a in result.areas] == [("topic-work", True), ("problem-physical-pain", False)]
    assert [a.code for a in result.help_wanted] == ["topic-work"]
    assert result.needs_follow_up and not result.distress_flag


def test_a_help_answer_under_a_no_is_dropped(adult):
    answers = {"topic-work": False, "topic-work-help": True, "topic-work-note": "Ignore me"}
    assert adult.clean(answers) == {"topic-work": False}
    result = scoring.score(adult, answers)
    assert result.areas == () and not result.needs_follow_up


def test_unknown_questions_and_empty_answers_are_dropped(adult):
    assert adult.clean({"no-such-question": True, "what-matters": "", "talk-about": None}) == {}


def test_children_as_relatives_are_carried_on_the_result(adult):
    assert scoring.score(adult, {}, has_minor_children=True).children_as_relatives
    assert not scoring.score(adult, {}).children_as_relatives


def test_compare_with_the_previous_point(adult):
    before = scoring.score(adult, {"distress-score": 6, "topic-work": True, "problem-physical-pain": True})
    now = scoring.score(adult, {"distress-score": 2, "topic-work": True, "topic-family": True})
    comparison = scoring.compare(now, before)
    assert (comparison.previous_distress, comparison.distress_change) == (6, -4)
    assert comparison.new == ("topic-family",)
    assert comparison.remaining == ("topic-work",)
    assert comparison.gone == ("problem-physical-pain",)


def test_compare_without_a_previous_point_or_score(adult):
    now = scoring.score(adult, {"distress-score": 2})
    assert scoring.compare(now, None) is None
    assert scoring.compare(now, scoring.score(adult, {})).distress_change is None


def test_the_summary_labels_topics_by_their_page_and_problems_by_their_text(adult):
    answers = patient_answers(adult, distress=5) | {"topic-work-note": "Part-time from March"}
    result = scoring.score(adult, answers)
    summary = presentation.summarise(adult, answers, result, "en")
    assert [(a.text, a.group, a.wants_help, a.note) for a in summary.areas] == [
        ("Work, school and education", "", True, "Part-time from March"),
        ("Tiredness and low energy", "Your body", False, ""),
    ]
    assert [t.question for t in summary.texts] == [
        "What matters to you now?",
        "What would you most like to talk about in the conversation?",
    ]
    assert summary.distress_max == 10
    assert presentation.summarise(adult, answers, result, "nb").areas[0].text == "Arbeid, skole og utdanning"


def test_a_choice_is_shown_with_its_text():
    child = questionnaires.get(questionnaires.CHILD)
    answers = patient_answers(child)
    summary = presentation.summarise(child, answers, scoring.score(child, answers), "en")
    assert ("Who is filling in this form?", "The child or young person") in [
        (t.question, t.answer) for t in summary.texts
    ]


def test_the_comparison_is_labelled_from_either_questionnaire(adult):
    child = questionnaires.get(questionnaires.CHILD)
    before = scoring.score(child, {"topic-siblings": True})
    now = scoring.score(adult, {"topic-work": True})
    lines = presentation.compare(now, before, [adult, child], "en")
    assert lines.new == ("Work, school and education",)
    assert lines.gone == (child.pages[child.page_index("page-topic-siblings")].text.en,)
