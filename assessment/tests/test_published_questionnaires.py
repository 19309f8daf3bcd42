"""Each questionnaire as published per language for other form systems (Helsenorge's Refero):
valid R4, the texts in place, one step a page, the 0–10 item a slider, yes/no as radio buttons,
and the codings they answer with read back as the source's values."""

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire as FhirQuestionnaire

from assessment import questionnaires as q

PUBLISHED = [(form_id, language) for form_id in (q.ADULT, q.CHILD, q.RELATIVE) for language in q.LANGUAGES]


def _items(resource):
    for page in resource["item"]:
        yield from page["item"]


def _controls(element):
    return [
        coding["code"]
        for extension in element.get("extension", [])
        if extension["url"] == q.ITEM_CONTROL
        for coding in extension["valueCodeableConcept"]["coding"]
        if coding["system"] == q.ITEM_CONTROL_SYSTEM
    ]


def _no_translations(element):
    if isinstance(element, dict):
        assert not any(key.startswith("_") for key in element), element.keys()
        for value in element.values():
            _no_translations(value)
    elif isinstance(element, list):
        for value in element:
            _no_translations(value)


@pytest.mark.parametrize(("form_id", "language"), PUBLISHED)
def test_each_language_is_a_valid_questionnaire_of_its_own_with_the_texts_in_place(form_id, language):
    source = q.get(form_id)
    published = q.publish(source, language)
    resource = published.resource
    FhirQuestionnaire.model_validate(resource)
    assert (resource["id"], resource["url"], resource["language"]) == (
        f"{form_id}-{language}",
        f"{source.url}-{language}",
        language,
    )
    assert resource["derivedFrom"] == [source.canonical]
    assert q.find(published.canonical) == source and q.find(resource["url"]) == source
    _no_translations(resource)
    assert resource["title"] == source.title.get(language)
    for page, raw_page in zip(source.pages, resource["item"], strict=True):
        assert raw_page["text"] == page.text.get(language)
        assert _controls(raw_page) == ["step"]  # Refero shows one page at a time
    texts = {item["linkId"]: item["text"] for item in _items(resource)}
    for item in source.items.values():
        if not item.is_distress:
            assert texts[item.link_id] == item.text.get(language)
    assert set(texts) == set(source.items) | {"heimveg-skipped-note"}


@pytest.mark.parametrize(("form_id", "language"), PUBLISHED)
def test_yes_no_is_a_choice_of_two_radio_buttons_and_follow_ups_ask_for_yes(form_id, language):
    source = q.get(form_id)
    items = {item["linkId"]: item for item in _items(q.publish(source, language).resource)}
    assert not [link_id for link_id, item in items.items() if item["type"] == "boolean"]
    yes, no = {"nb": ("Ja", "Nei"), "nn": ("Ja", "Nei"), "en": ("Yes", "No")}[language]
    for item in source.items.values():
        published = items[item.link_id]
        if item.type == "boolean":
            assert published["type"] == "choice" and _controls(published) == ["radio-button"]
            assert [o["valueCoding"] for o in published["answerOption"]] == [
                {"system": q.YES_NO_SYSTEM, "code": "Y", "display": yes},
                {"system": q.YES_NO_SYSTEM, "code": "N", "display": no},
            ]
        for condition in published.get("enableWhen", []):
            if source.items[condition["question"]].type == "boolean":
                assert condition["answerCoding"] == {"system": q.YES_NO_SYSTEM, "code": "Y"}
                assert "answerBoolean" not in condition


@pytest.mark.parametrize(("form_id", "language"), PUBLISHED)
def test_the_distress_item_is_a_slider_from_0_to_10_with_its_anchors(form_id, language):
    source = q.get(form_id)
    distress = next(item for item in source.items.values() if item.is_distress)
    published = next(
        item for item in _items(q.publish(source, language).resource) if item["linkId"] == distress.link_id
    )
    assert published["type"] == "choice" and published["required"] is True
    assert _controls(published) == ["slider"]
    assert [o["valueCoding"]["code"] for o in published["answerOption"]] == [str(n) for n in range(11)]
    ordinals = [o["valueCoding"]["extension"][0] for o in published["answerOption"]]
    assert ordinals == [{"url": q.ORDINAL_VALUE, "valueDecimal": n} for n in range(11)]
    labels = {c["code"]: c["display"] for c in published["code"] if c["system"] == q.SLIDER_LABELS}
    assert set(labels) == {"LabelLeft", "LabelRight"}
    extensions = {e["url"]: e for e in published["extension"]}
    assert q.MIN_VALUE not in extensions and q.MAX_VALUE not in extensions
    # The question's closing sentence about its ends is the sublabel, not said twice.
    sublabel = extensions[q.SUBLABEL]["valueMarkdown"]
    assert sublabel.startswith("0 ") and "10" in sublabel
    assert published["text"] + " " + sublabel == distress.text.get(language)
    validation = {
        "nb": "Velg et tall fra 0 til 10.",
        "nn": "Vel eit tal frå 0 til 10.",
        "en": "Choose a number from 0 to 10.",
    }
    assert extensions[q.VALIDATION_TEXT]["valueString"] == validation[language]


def test_the_first_page_says_what_an_untouched_question_means():
    for language, words in (("nb", "aldri som «nei»"), ("nn", "aldri som «nei»"), ("en", "never as “no”")):
        first = q.publish(q.get(q.ADULT), language).resource["item"][0]["item"][0]
        assert first["type"] == "display" and words in first["text"]


def test_codings_are_read_back_as_the_sources_values():
    adult = q.get(q.ADULT)
    family, distress, choice = (
        adult.items["topic-family"],
        adult.items["distress-score"],
        q.get(q.CHILD).items["answered-by"],
    )
    assert q.source_value(family, "Y", q.YES_NO_SYSTEM) is True
    assert q.source_value(family, "N", None) is False
    assert q.source_value(family, "Y", "http://example.org/other") == "Y"  # left for validation to refuse
    assert q.source_value(distress, "7", q.SCALE_SYSTEM) == 7
    assert q.source_value(distress, "seven", q.SCALE_SYSTEM) == "seven"
    assert q.source_value(choice, "together", None) == "together"


def test_the_language_must_be_one_of_the_three():
    with pytest.raises(ValueError):
        q.publish(q.get(q.ADULT), "sv")
    assert q.find("https://heimveg.no/fhir/Questionnaire/heimveg-needs-adult-sv") is None
    assert len(q.all_published()) == 9
