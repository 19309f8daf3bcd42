"""Reading the professional's form: posted values become typed answers, and back."""

from assessment import questionnaires
from assessment.forms import AssessmentForm, FollowUpForm, answers_from_post, initial_from_answers


def adult():
    return questionnaires.get(questionnaires.ADULT)


def test_posted_values_become_typed_answers():
    data = {
        "q-topic-work": "yes",
        "q-topic-work-help": "no",
        "q-distress-score": " 6 ",
        "q-what-matters": "  The garden ",
        "q-talk-about": "",
        "q-no-such-question": "yes",
        "topic-family": "yes",  # without the prefix: not ours
    }
    assert answers_from_post(adult(), data, "q") == {
        "topic-work": True,
        "topic-work-help": False,
        "distress-score": 6,
        "what-matters": "The garden",
    }


def test_values_that_do_not_convert_are_kept_for_validation_to_name():
    answers = answers_from_post(adult(), {"q-topic-work": "maybe", "q-distress-score": "six"}, "q")
    assert answers == {"topic-work": "maybe", "distress-score": "six"}


def test_stored_answers_fill_the_form_again():
    answers = {"topic-work": True, "topic-work-help": False, "distress-score": 0, "what-matters": "Walks"}
    initial = initial_from_answers(adult(), answers)
    assert initial == {
        "q-topic-work": "yes",
        "q-topic-work-help": "no",
        "q-distress-score": "0",
        "q-what-matters": "Walks",
    }
    assert answers_from_post(adult(), initial, "q") == answers


def test_the_form_has_a_field_per_question_and_pages_in_order():
    form = AssessmentForm(questionnaire=adult(), language="en")
    names = list(form.fields)
    assert names[:2] == ["q-what-matters", "q-talk-about"] and names[-6:-3] == ["summary", "on_date", "place"]
    pages = list(form.pages())
    assert pages[0].text == "What matters to you?"
    intro, question = pages[0].rows[0], pages[0].rows[1]
    assert intro.field is None and question.field.name == "q-what-matters"
    distress = next(row for row in pages[1].rows if row.field)
    assert distress.as_radios and distress.in_a_row
    assert [value for value, _label in distress.field.field.choices] == [str(n) for n in range(11)]
    help_row = next(row for row in pages[2].rows if row.item.link_id == "topic-family-help")
    assert help_row.dependent


def test_a_follow_up_takes_its_need_from_the_area():
    areas = [("topic-work", "Work, school and education")]
    form = FollowUpForm(
        {"follow-up-area": "topic-work", "follow-up-action": "Meeting", "follow-up-status": "planned"}, areas=areas
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["need"] == "Work, school and education"
    form = FollowUpForm({"follow-up-action": "Meeting", "follow-up-status": "planned"}, areas=areas)
    assert not form.is_valid() and form.errors["need"] == ["Write the need, or choose a marked area."]
    assert "area" not in FollowUpForm().fields
