"""The questionnaire files: all of them validate, and a broken one is refused naming the file."""

import copy
import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from fhir.resources.R4B.questionnaire import Questionnaire as FhirQuestionnaire

from assessment import questionnaires
from assessment.questionnaires import QuestionnaireError, parse


def resource(name="adult.json"):
    return json.loads((questionnaires.QUESTIONNAIRES_DIR / name).read_text(encoding="utf-8"))


def find(resource, link_id):
    for page in resource["item"]:
        for item in page["item"]:
            if item["linkId"] == link_id:
                return page, item
    raise KeyError(link_id)


def refused(resource, filename="broken.json"):
    with pytest.raises(QuestionnaireError) as error:
        parse(filename, resource)
    message = str(error.value)
    assert message.startswith(f"{filename}: ")
    return message


@pytest.mark.parametrize("filename", ["adult.json", "child.json", "relative.json"])
def test_every_file_is_a_valid_fhir_questionnaire(filename):
    raw = resource(filename)
    FhirQuestionnaire.model_validate(raw)
    questionnaire = parse(filename, raw)
    assert questionnaire.pages and questionnaire.areas
    assert sum(item.is_distress for item in questionnaire.items.values()) == 1
    for area in questionnaire.areas:
        assert questionnaire.items[f"{area.link_id}-help"].help_for == area.link_id


def test_the_three_questionnaires_load_and_match_who_answers():
    found = questionnaires.all_questionnaires()
    assert set(found) >= {questionnaires.ADULT, questionnaires.CHILD, questionnaires.RELATIVE}
    assert found[questionnaires.RELATIVE].subject_type == "RelatedPerson"
    assert found[questionnaires.ADULT].canonical.endswith("|1.0.0")


def test_texts_come_in_all_three_languages():
    adult = questionnaires.get(questionnaires.ADULT)
    page = adult.pages[0]
    assert page.text.get("nb") == "Hva er viktig for deg?"
    assert page.text.get("en") == "What matters to you?"
    assert page.text.get("nn") and page.text.get(None) == page.text.nb


def test_answer_options_keep_their_code_system():
    option = questionnaires.get(questionnaires.CHILD).items["answered-by"].options[0]
    assert option.system == "https://heimveg.no/fhir/CodeSystem/answered-by"


def test_a_missing_translation_is_refused():
    broken = resource()
    _page, item = find(broken, "topic-work")
    item["_text"]["extension"] = [e for e in item["_text"]["extension"] if e["extension"][0]["valueCode"] != "en"]
    assert "item topic-work: `text` has no translation to en" in refused(broken)


def test_a_duplicate_link_id_is_refused():
    broken = resource()
    page, item = find(broken, "topic-work-note")
    page["item"].append(copy.deepcopy(item))
    assert "item topic-work-note: every item needs a linkId that is unique" in refused(broken)


def test_an_area_without_its_help_question_is_refused():
    broken = resource()
    page, _item = find(broken, "topic-work")
    page["item"] = [i for i in page["item"] if i["linkId"] != "topic-work-help"]
    # The note pointed at the help question's sibling, so it still parses up to the area rule.
    assert "item topic-work: an area needs a boolean `topic-work-help`" in refused(broken)


def test_an_invalid_fhir_resource_is_refused():
    broken = resource()
    broken["date"] = "the day before yesterday"
    message = refused(broken, "adult-copy.json")
    assert "not a valid FHIR R4 Questionnaire at date" in message


def test_an_unknown_item_type_is_refused():
    broken = resource()
    _page, item = find(broken, "what-matters")
    item["type"] = "essay"
    assert "adult-copy.json" in refused(broken, "adult-copy.json")


def test_a_broken_file_stops_start_up_with_its_name(tmp_path, monkeypatch):
    from django.apps import apps

    for name in ("adult.json", "child.json", "relative.json"):
        (tmp_path / name).write_text(json.dumps(resource(name)), encoding="utf-8")
    broken = resource()
    broken["item"][0]["item"][1]["linkId"] = broken["item"][0]["item"][2]["linkId"]
    (tmp_path / "adult.json").write_text(json.dumps(broken), encoding="utf-8")
    monkeypatch.setattr(questionnaires, "QUESTIONNAIRES_DIR", tmp_path)
    questionnaires.all_questionnaires.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured, match=r"Questionnaire refused: adult\.json: item talk-about"):
            apps.get_app_config("assessment").ready()
    finally:
        monkeypatch.undo()
        questionnaires.all_questionnaires.cache_clear()
    assert questionnaires.get(questionnaires.ADULT).filename == "adult.json"
