"""Test data for the needs assessment, shared with the portal and browser tests: an enrolled
patient's collaboration point, and the patient's own answers sent from home."""

from assessment import questionnaires, services
from testsupport.enrolling import enrol  # noqa: F401 - factories.enrol, used by the tests of several apps

# Adult questionnaire: the areas the default answers mark, and whether help is wanted with each.
ADULT_AREAS = {"topic-work": True, "problem-physical-fatigue": False}
WHAT_MATTERS = "Being able to walk the dog again"
TALK_ABOUT = "Going back to work"


def patient_answers(questionnaire, *, distress=6, areas=None, what_matters=WHAT_MATTERS, talk_about=TALK_ABOUT):
    """Answers that a patient could send: every required question, a distress score, and the
    given areas ({linkId: wants help}; by default two areas of the questionnaire, help with one)."""
    if areas is None:
        if all(link_id in questionnaire.items for link_id in ADULT_AREAS):
            areas = ADULT_AREAS
        else:
            first, second = questionnaire.areas[:2]
            areas = {first.link_id: True, second.link_id: False}
    answers = {}
    for item in questionnaire.items.values():
        if item.required and item.type == "choice":
            answers[item.link_id] = item.options[0].code
        if item.is_distress and distress is not None:
            answers[item.link_id] = distress
    for link_id, wants_help in areas.items():
        answers[link_id] = True
        answers[f"{link_id}-help"] = wants_help
    for link_id, text in (("what-matters", what_matters), ("talk-about", talk_about)):
        if text and link_id in questionnaire.items:
            answers[link_id] = text
    return answers


def completed_patient_response(point, **kwargs):
    """The patient's own answers for `point`, sent (status completed, scores stored). Keyword
    arguments go to `patient_answers`; `answers` replaces them altogether."""
    questionnaire = questionnaires.for_patient(point.enrolment.patient)
    answers = kwargs.pop("answers", None) or patient_answers(questionnaire, **kwargs)
    response = services.home_response(point, questionnaire)
    response.answers = questionnaire.clean(answers)
    response.save(update_fields=["answers"])
    services.submit(response, audit_as=None)
    return response
