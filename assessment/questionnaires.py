"""The assessment questionnaires: FHIR R4 Questionnaire JSON files are the source of truth.

Each file in `questionnaires/` is validated with fhir.resources (R4B models) and then with the
rules Heimveg's forms rely on (every top-level item is a page, linkIds are unique, every text has
nn and en translations, every marked area has its "wants help" question). A file that fails stops
start-up with the file name and what is wrong (see AppConfig.ready).

The parsed form is a small tree of frozen dataclasses that pages, scoring and the FHIR mapping read.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from pathlib import Path

QUESTIONNAIRES_DIR = Path(__file__).resolve().parent / "questionnaires"
LANGUAGES = ("nb", "nn", "en")
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
AREA_SYSTEM = "https://heimveg.no/fhir/CodeSystem/assessment-area"
ITEM_SYSTEM = "https://heimveg.no/fhir/CodeSystem/assessment-item"
DISTRESS_CODE = "distress-score"
ANSWER_TYPES = {"text", "string", "boolean", "integer", "choice"}
ITEM_TYPES = ANSWER_TYPES | {"display"}

# Who answers which questionnaire.
ADULT, CHILD, RELATIVE = "heimveg-needs-adult", "heimveg-needs-child", "heimveg-needs-relative"


class QuestionnaireError(ValueError):
    def __init__(self, filename: str, problem: str):
        super().__init__(f"{filename}: {problem}")


@dataclasses.dataclass(frozen=True)
class Text:
    """A text in nb (the primary language of the files) with its nn and en translations."""

    nb: str
    nn: str
    en: str

    def get(self, language: str | None) -> str:
        return getattr(self, language or "nb", None) or self.nb


@dataclasses.dataclass(frozen=True)
class Option:
    code: str
    display: Text
    system: str = ""  # the CodeSystem of the answer, for valueCoding in a QuestionnaireResponse


@dataclasses.dataclass(frozen=True)
class Item:
    link_id: str
    type: str
    text: Text
    required: bool = False
    enable_when: tuple[tuple[str, object], ...] = ()  # (question linkId, answer) pairs, all must hold
    options: tuple[Option, ...] = ()
    area: str = ""  # the assessment-area code of a topic or problem
    area_display: str = ""
    help_for: str = ""  # for a "wants help" item: the linkId of the area it belongs to
    min_value: int | None = None
    max_value: int | None = None
    is_distress: bool = False

    @property
    def answerable(self):
        return self.type in ANSWER_TYPES

    def enabled(self, answers: dict) -> bool:
        return all(answers.get(question) == value for question, value in self.enable_when)


@dataclasses.dataclass(frozen=True)
class Page:
    link_id: str
    text: Text
    items: tuple[Item, ...]


@dataclasses.dataclass(frozen=True)
class Questionnaire:
    id: str
    url: str
    version: str
    title: Text
    description: Text
    subject_type: str
    pages: tuple[Page, ...]
    filename: str
    resource: dict = dataclasses.field(repr=False, compare=False, hash=False)

    @property
    def canonical(self):
        return f"{self.url}|{self.version}"

    @functools.cached_property
    def items(self) -> dict[str, Item]:
        return {item.link_id: item for page in self.pages for item in page.items}

    @property
    def areas(self) -> list[Item]:
        return [item for item in self.items.values() if item.area]

    def page_index(self, link_id: str) -> int:
        return next(i for i, page in enumerate(self.pages) if page.link_id == link_id)

    def clean(self, answers: dict) -> dict:
        """Answers to known, enabled questions only (an answer under a "no" is dropped)."""
        kept = {}
        for link_id, item in self.items.items():
            # The cheap membership test first: most items are unanswered.
            if link_id in answers and item.answerable and answers[link_id] not in (None, "") and item.enabled(answers):
                kept[link_id] = answers[link_id]
        return kept


def _text(filename, element, field, where):
    primary = element.get(field)
    if not isinstance(primary, str) or not primary.strip():
        raise QuestionnaireError(filename, f"{where}: `{field}` is missing")
    translations = {}
    for extension in (element.get(f"_{field}") or {}).get("extension", []):
        if extension.get("url") != TRANSLATION:
            continue
        parts = {e.get("url"): e for e in extension.get("extension", [])}
        language = parts.get("lang", {}).get("valueCode")
        content = parts.get("content", {}).get("valueString")
        if language and content:
            translations[language] = content
    missing = [language for language in ("nn", "en") if language not in translations]
    if missing:
        raise QuestionnaireError(filename, f"{where}: `{field}` has no translation to {', '.join(missing)}")
    return Text(nb=primary, nn=translations["nn"], en=translations["en"])


def _extension_value(element, url, key):
    for extension in element.get("extension", []):
        if extension.get("url") == url:
            return extension.get(key)
    return None


def _item(filename, raw, seen):
    link_id = raw.get("linkId", "")
    where = f"item {link_id or '(no linkId)'}"
    if not link_id or link_id in seen:
        raise QuestionnaireError(filename, f"{where}: every item needs a linkId that is unique in the file")
    kind = raw.get("type")
    if kind not in ITEM_TYPES:
        raise QuestionnaireError(filename, f"{where}: type {kind!r} is not one of {', '.join(sorted(ITEM_TYPES))}")
    enable_when = []
    for condition in raw.get("enableWhen", []):
        question = condition.get("question")
        if question not in seen or condition.get("operator") != "=":
            raise QuestionnaireError(filename, f"{where}: enableWhen must point at an earlier question with '='")
        value = next((v for k, v in condition.items() if k.startswith("answer")), None)
        if isinstance(value, dict):  # answerCoding
            value = value.get("code")
        enable_when.append((question, value))
    codes = {c.get("system"): c for c in raw.get("code", [])}
    area = codes.get(AREA_SYSTEM, {})
    options = tuple(
        Option(
            code=o["valueCoding"]["code"],
            display=_text(filename, o["valueCoding"], "display", where),
            system=o["valueCoding"].get("system", ""),
        )
        for o in raw.get("answerOption", [])
    )
    if kind == "choice" and not options:
        raise QuestionnaireError(filename, f"{where}: a choice needs answerOption")
    seen.add(link_id)
    return Item(
        link_id=link_id,
        type=kind,
        text=_text(filename, raw, "text", where),
        required=bool(raw.get("required")),
        enable_when=tuple(enable_when),
        options=options,
        area=area.get("code", ""),
        area_display=area.get("display", ""),
        min_value=_extension_value(raw, MIN_VALUE, "valueInteger"),
        max_value=_extension_value(raw, MAX_VALUE, "valueInteger"),
        is_distress=codes.get(ITEM_SYSTEM, {}).get("code") == DISTRESS_CODE,
    )


def parse(filename: str, resource: dict) -> Questionnaire:
    """Validate one Questionnaire resource and build its page tree."""
    from fhir.resources.R4B.questionnaire import Questionnaire as FhirQuestionnaire
    from pydantic import ValidationError

    try:
        FhirQuestionnaire.model_validate(resource)
    except ValidationError as error:
        first = error.errors()[0]
        location = ".".join(str(part) for part in first["loc"])
        raise QuestionnaireError(filename, f"not a valid FHIR R4 Questionnaire at {location}: {first['msg']}") from None
    seen: set[str] = set()
    pages = []
    for raw_page in resource.get("item", []):
        if raw_page.get("type") != "group" or not raw_page.get("item"):
            raise QuestionnaireError(filename, f"item {raw_page.get('linkId')}: every top-level item must be a group")
        page_id = raw_page.get("linkId", "")
        if page_id in seen:
            raise QuestionnaireError(filename, f"item {page_id}: linkId is used twice")
        seen.add(page_id)
        items = tuple(_item(filename, raw, seen) for raw in raw_page["item"])
        pages.append(Page(link_id=page_id, text=_text(filename, raw_page, "text", f"item {page_id}"), items=items))
    # Each marked area has its "wants help" question on the same page: `<linkId>-help`.
    linked_pages = []
    for page in pages:
        by_id = {item.link_id: item for item in page.items}
        linked_items = []
        for item in page.items:
            if item.area and getattr(by_id.get(f"{item.link_id}-help"), "type", None) != "boolean":
                raise QuestionnaireError(
                    filename, f"item {item.link_id}: an area needs a boolean `{item.link_id}-help`"
                )
            base = item.link_id.removesuffix("-help")
            if base != item.link_id and base in by_id:
                item = dataclasses.replace(item, help_for=base)
            linked_items.append(item)
        linked_pages.append(dataclasses.replace(page, items=tuple(linked_items)))
    pages = linked_pages
    if sum(1 for page in pages for item in page.items if item.is_distress) > 1:
        raise QuestionnaireError(filename, "only one distress-score item is allowed")
    return Questionnaire(
        id=resource["id"],
        url=resource["url"],
        version=resource["version"],
        title=_text(filename, resource, "title", "title"),
        description=_text(filename, resource, "description", "description"),
        subject_type=(resource.get("subjectType") or ["Patient"])[0],
        pages=tuple(pages),
        filename=filename,
        resource=resource,
    )


@functools.cache
def all_questionnaires() -> dict[str, Questionnaire]:
    found = {}
    for path in sorted(QUESTIONNAIRES_DIR.glob("*.json")):
        try:
            resource = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise QuestionnaireError(path.name, f"line {error.lineno}: {error.msg}") from None
        questionnaire = parse(path.name, resource)
        if questionnaire.id in found:
            raise QuestionnaireError(path.name, f"id {questionnaire.id} is used by another file too")
        found[questionnaire.id] = questionnaire
    for needed in (ADULT, CHILD, RELATIVE):
        if needed not in found:
            raise QuestionnaireError(str(QUESTIONNAIRES_DIR), f"the questionnaire {needed} is missing")
    return found


def get(questionnaire_id: str) -> Questionnaire:
    return all_questionnaires()[questionnaire_id]


def for_patient(patient) -> Questionnaire:
    """The children's version for a patient under 18, the adult one otherwise."""
    return get(CHILD if patient.is_child else ADULT)


# --- One Questionnaire per language, for other form systems (Helsenorge's Refero) ---------------
#
# The files above stay the one source. From each, Heimveg publishes one Questionnaire per language
# (id and canonical URL `<id>-<language>`, `derivedFrom` the source) with the texts in place,
# shaped for Helsenorge's renderer @helsenorge/refero (see docs/fhir-forms.md):
#
# - every top-level group (page) carries the item control `step`, which makes Refero show one
#   page at a time with "Next" and "Previous";
# - the 0–10 distress item is a `choice` of 0..10 with the item control `slider` (Refero draws a
#   slider only for a choice; each step's label is its ordinalValue), the anchors as Refero's
#   SliderLabels and as Helsenorge's sublabel, and Helsenorge's validation text;
# - every yes/no item is a `choice` of Yes/No (HL7 v2-0136 Y/N) shown as radio buttons: Refero
#   draws a boolean as one checkbox, which sends `false` for an untouched question; a choice left
#   alone sends nothing, so "not answered" stays not answered. A note on the first page says so.
#
# fhir_api.writes.answers reads answers to these back into the source's values (`source_value`).

ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
SUBLABEL = "http://helsenorge.no/fhir/StructureDefinition/sdf-sublabel"
VALIDATION_TEXT = "http://ehelse.no/fhir/StructureDefinition/validationtext"
SLIDER_LABELS = "http://helsenorge.no/fhir/CodeSystem/SliderLabels"
YES_NO_SYSTEM = "http://terminology.hl7.org/CodeSystem/v2-0136"
YES_NO = {"Y": True, "N": False}
SCALE_SYSTEM = "https://heimveg.no/fhir/CodeSystem/scale-0-10"


@dataclasses.dataclass(frozen=True)
class Published:
    """A Questionnaire as published for one language, made from a source `Questionnaire`."""

    id: str
    url: str
    version: str
    language: str
    source: Questionnaire = dataclasses.field(repr=False)
    resource: dict = dataclasses.field(repr=False, compare=False, hash=False)

    @property
    def canonical(self):
        return f"{self.url}|{self.version}"


def _item_control(code: str) -> dict:
    return {"url": ITEM_CONTROL, "valueCodeableConcept": {"coding": [{"system": ITEM_CONTROL_SYSTEM, "code": code}]}}


def _in_place(element, language):
    """The element with each translated text replaced by its `language` version, the translation
    extensions dropped (recursively)."""
    if isinstance(element, list):
        return [_in_place(part, language) for part in element]
    if not isinstance(element, dict):
        return element
    result = {}
    for key, value in element.items():
        if key.startswith("_") and isinstance(value, dict):
            kept = [e for e in value.get("extension", []) if e.get("url") != TRANSLATION]
            if kept:
                result[key] = {**value, "extension": kept}
            continue
        result[key] = _in_place(value, language)
        translated = _translation(element.get(f"_{key}"), language)
        if translated:
            result[key] = translated
    return result


def _translation(underscore, language):
    for extension in (underscore or {}).get("extension", []):
        parts = {e.get("url"): e for e in extension.get("extension", [])}
        if extension.get("url") == TRANSLATION and parts.get("lang", {}).get("valueCode") == language:
            return parts.get("content", {}).get("valueString")
    return None


def _yes_no(raw, items_by_id, texts):
    """A boolean item as a choice of Yes/No radio buttons (and enableWhen on it as a coding)."""
    raw = dict(raw)
    if raw.get("type") == "boolean":
        raw["type"] = "choice"
        raw["answerOption"] = [
            {"valueCoding": {"system": YES_NO_SYSTEM, "code": code, "display": texts[code]}} for code in ("Y", "N")
        ]
        raw["extension"] = [*raw.get("extension", []), _item_control("radio-button")]
    conditions = []
    for condition in raw.get("enableWhen", []):
        if "answerBoolean" in condition and items_by_id.get(condition["question"], {}).get("type") == "boolean":
            code = "Y" if condition["answerBoolean"] else "N"
            condition = {k: v for k, v in condition.items() if k != "answerBoolean"}
            condition["answerCoding"] = {"system": YES_NO_SYSTEM, "code": code}
        conditions.append(condition)
    if conditions:
        raw["enableWhen"] = conditions
    return raw


def _scale(raw, item: Item, texts):
    """The 0–10 item as a choice that Refero shows as a slider. Where the question ends with what
    its ends mean ("… 0 means none at all, 10 means extreme."), that sentence becomes the
    sublabel under the question, so it is not said twice."""
    low = 0 if item.min_value is None else item.min_value
    high = 10 if item.max_value is None else item.max_value
    extensions = [e for e in raw.get("extension", []) if e.get("url") not in (MIN_VALUE, MAX_VALUE, ITEM_CONTROL)]
    question, found, anchors = raw["text"].partition(f" {low} ")
    if found and str(high) in anchors:
        raw = {**raw, "text": question}
        anchors = f"{low} {anchors}"
    else:
        anchors = texts["anchors"]
    return {
        **raw,
        "type": "choice",
        "code": [
            *raw.get("code", []),
            {"system": SLIDER_LABELS, "code": "LabelLeft", "display": texts["low"]},
            {"system": SLIDER_LABELS, "code": "LabelRight", "display": texts["high"]},
        ],
        "extension": [
            *extensions,
            _item_control("slider"),
            {"url": SUBLABEL, "valueMarkdown": anchors},
            {"url": VALIDATION_TEXT, "valueString": texts["validation"]},
        ],
        "answerOption": [
            {
                "valueCoding": {
                    "system": SCALE_SYSTEM,
                    "code": str(n),
                    "display": str(n),
                    "extension": [{"url": ORDINAL_VALUE, "valueDecimal": n}],
                }
            }
            for n in range(low, high + 1)
        ],
    }


def _texts(language: str, form: Questionnaire) -> dict[str, str]:
    from django.utils import translation
    from django.utils.translation import gettext

    scale = next((item for item in form.items.values() if item.is_distress), None)
    bounds = {"min": scale.min_value, "max": scale.max_value} if scale else {"min": 0, "max": 10}
    with translation.override(language):
        return {
            "Y": gettext("Yes"),
            "N": gettext("No"),
            "low": gettext("Not at all"),
            "high": gettext("Extremely"),
            "anchors": gettext("%(min)s means not at all, %(max)s means extremely.") % bounds,
            "validation": gettext("Choose a number from %(min)s to %(max)s.") % bounds,
            "skipped": gettext(
                "You choose what to answer. A question you leave is saved as not answered, never as “no”."
            ),
        }


def publish(form: Questionnaire, language: str) -> Published:
    """The Questionnaire `form` in `language` (nb, nn or en), as other form systems show it."""
    return _published(form, language)


@functools.cache  # keyed on the source's value: a reloaded, changed file is published anew
def _published(form: Questionnaire, language: str) -> Published:
    if language not in LANGUAGES:
        raise ValueError(f"no questionnaire language {language!r}")
    texts = _texts(language, form)
    resource = _in_place(form.resource, language)
    items_by_id = {}

    def collect(items):
        for raw in items:
            items_by_id[raw["linkId"]] = raw
            collect(raw.get("item", []))

    collect(resource.get("item", []))
    pages = []
    for number, raw_page in enumerate(resource.get("item", [])):
        children = []
        for raw in raw_page["item"]:
            item = form.items[raw["linkId"]]
            raw = _scale(raw, item, texts) if item.is_distress else _yes_no(raw, items_by_id, texts)
            children.append(raw)
        if number == 0:
            children.insert(0, {"linkId": "heimveg-skipped-note", "type": "display", "text": texts["skipped"]})
        pages.append(
            {**raw_page, "extension": [*raw_page.get("extension", []), _item_control("step")], "item": children}
        )
    resource["item"] = pages
    published_id = f"{form.id}-{language}"
    resource.update(
        id=published_id,
        url=f"{form.url}-{language}",
        name=f"{form.resource.get('name', '')}{language.capitalize()}",
        language=language,
        derivedFrom=[form.canonical],
    )
    return Published(
        id=published_id,
        url=resource["url"],
        version=form.version,
        language=language,
        source=form,
        resource=resource,
    )


def all_published() -> list[Published]:
    """Every questionnaire in every language."""
    return [publish(form, language) for form in all_questionnaires().values() for language in LANGUAGES]


def find(canonical: str) -> Questionnaire | None:
    """The source questionnaire of a canonical URL (optionally |version): a source's own or one of
    its published languages'."""
    url, _bar, version = canonical.partition("|")
    for form in all_questionnaires().values():
        if form.url == url and (not version or form.version == version):
            return form
    for published in all_published():
        if published.url == url and (not version or published.version == version):
            return published.source
    return None


def language_of(canonical: str) -> str:
    """The language of a published Questionnaire's canonical URL (optionally |version); "" for a
    source's own, which holds every language."""
    url, _bar, version = canonical.partition("|")
    for published in all_published():
        if published.url == url and (not version or published.version == version):
            return published.language
    return ""


def source_value(item: Item, coding_code: str, coding_system: str | None) -> object:
    """An answer given as a coding to a published Questionnaire, as the source item's value: Y/N
    to a yes/no item is True/False, a number of the scale is an int. Anything else is returned as
    it came, so that validation can say what is wrong with it."""
    if item.type == "boolean" and coding_system in (None, YES_NO_SYSTEM) and coding_code in YES_NO:
        return YES_NO[coding_code]
    if item.type == "integer" and coding_system in (None, SCALE_SYSTEM) and coding_code.isdigit():
        return int(coding_code)
    return coding_code
