"""A set of answers as a professional reads it: distress, the marked areas with their notes, the
free text, and the comparison with the previous point, with every text in the reader's language.

Pure functions of a questionnaire, its answers and the scoring result, so the assessment page,
the journal note and the tests all show the same thing. An area is labelled by its page when it is
the only area on the page (a topic: "Work, school and education"; its question, "Do you want to
talk about ...", reads badly in a list) and by its own text otherwise (a problem: "Pain"), with
the page as its group.
"""

from __future__ import annotations

import dataclasses

from assessment import scoring
from assessment.questionnaires import Questionnaire


@dataclasses.dataclass(frozen=True)
class AreaLine:
    code: str
    link_id: str
    text: str
    group: str  # the page a problem belongs to; empty for a topic, whose text is its page
    wants_help: bool
    note: str


@dataclasses.dataclass(frozen=True)
class TextAnswer:
    question: str
    answer: str


@dataclasses.dataclass(frozen=True)
class AnswerSummary:
    result: scoring.Result
    areas: tuple[AreaLine, ...]
    texts: tuple[TextAnswer, ...]
    distress_max: int | None = None  # the top of the distress scale, to show "6 of 10"

    @property
    def help_wanted(self):
        return tuple(area for area in self.areas if area.wants_help)


@dataclasses.dataclass(frozen=True)
class ComparisonLines:
    """scoring.Comparison with area codes turned into labels."""

    previous_distress: int | None
    distress_change: int | None
    new: tuple[str, ...]
    remaining: tuple[str, ...]
    gone: tuple[str, ...]

    @property
    def change_size(self):
        return abs(self.distress_change) if self.distress_change is not None else None


def _area_labels(questionnaire: Questionnaire, language: str) -> dict[str, tuple[str, str]]:
    """{linkId: (label, group)} for every area of the questionnaire."""
    labels = {}
    for page in questionnaire.pages:
        areas = [item for item in page.items if item.area]
        for item in areas:
            if len(areas) == 1:
                labels[item.link_id] = (page.text.get(language), "")
            else:
                labels[item.link_id] = (item.text.get(language), page.text.get(language))
    return labels


def area_label(questionnaire: Questionnaire, code: str, language: str) -> str:
    """The label of an area code, or the code itself if this questionnaire does not have it."""
    labels = _area_labels(questionnaire, language)
    for item in questionnaire.areas:
        if item.area == code:
            return labels[item.link_id][0]
    return code


def summarise(questionnaire: Questionnaire, answers: dict, result: scoring.Result, language: str) -> AnswerSummary:
    answers = questionnaire.clean(answers)
    labels = _area_labels(questionnaire, language)
    areas = tuple(
        AreaLine(
            code=area.code,
            link_id=area.link_id,
            text=labels[area.link_id][0],
            group=labels[area.link_id][1],
            wants_help=area.wants_help,
            note=str(answers.get(f"{area.link_id}-note", "")),
        )
        for area in result.areas
    )
    notes = {f"{item.link_id}-note" for item in questionnaire.areas}
    texts = []
    for link_id, item in questionnaire.items.items():
        if link_id in notes or link_id not in answers:
            continue
        if item.type in ("text", "string"):
            texts.append(TextAnswer(item.text.get(language), str(answers[link_id])))
        elif item.type == "choice":
            option = next((o for o in item.options if o.code == answers[link_id]), None)
            texts.append(TextAnswer(item.text.get(language), option.display.get(language) if option else ""))
    scale = next((item.max_value for item in questionnaire.items.values() if item.is_distress), None)
    return AnswerSummary(result=result, areas=areas, texts=tuple(texts), distress_max=scale)


def compare(
    current: scoring.Result,
    previous: scoring.Result | None,
    questionnaires: list[Questionnaire],
    language: str,
) -> ComparisonLines | None:
    """The comparison with labels from the first of `questionnaires` that knows each code (the
    previous point may have used another questionnaire, the child's say)."""
    comparison = scoring.compare(current, previous)
    if comparison is None:
        return None

    def label(code):
        for questionnaire in questionnaires:
            text = area_label(questionnaire, code, language)
            if text != code:
                return text
        return code

    return ComparisonLines(
        previous_distress=comparison.previous_distress,
        distress_change=comparison.distress_change,
        new=tuple(label(c) for c in comparison.new),
        remaining=tuple(label(c) for c in comparison.remaining),
        gone=tuple(label(c) for c in comparison.gone),
    )
