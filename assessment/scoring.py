"""Scoring and flags of a needs assessment. Pure functions of a questionnaire and its answers, so
they are tested without a database; thresholds come from settings (`Thresholds.from_settings`)."""

from __future__ import annotations

import dataclasses

from assessment.questionnaires import Questionnaire


@dataclasses.dataclass(frozen=True)
class Thresholds:
    distress: int = 4  # a distress score at or above this is flagged for follow-up

    @classmethod
    def from_settings(cls) -> Thresholds:
        from django.conf import settings

        return cls(distress=settings.ASSESSMENT_DISTRESS_THRESHOLD)


@dataclasses.dataclass(frozen=True)
class Area:
    code: str
    display: str  # English short name from the questionnaire's code; pages show the item's text
    link_id: str
    wants_help: bool


@dataclasses.dataclass(frozen=True)
class Result:
    distress_score: int | None
    areas: tuple[Area, ...]  # marked topics and problems, in questionnaire order
    distress_flag: bool
    children_as_relatives: bool

    @property
    def help_wanted(self) -> tuple[Area, ...]:
        return tuple(area for area in self.areas if area.wants_help)

    @property
    def needs_follow_up(self) -> bool:
        return self.distress_flag or bool(self.help_wanted)


def distress_score(questionnaire: Questionnaire, answers: dict) -> int | None:
    for item in questionnaire.items.values():
        if item.is_distress:
            value = answers.get(item.link_id)
            return value if isinstance(value, int) and not isinstance(value, bool) else None
    return None


def marked_areas(questionnaire: Questionnaire, answers: dict) -> tuple[Area, ...]:
    """Topics and problems answered "yes", each with whether help is wanted."""
    return tuple(
        Area(
            code=item.area,
            display=item.area_display,
            link_id=item.link_id,
            wants_help=answers.get(f"{item.link_id}-help") is True,
        )
        for item in questionnaire.areas
        if answers.get(item.link_id) is True
    )


def score(
    questionnaire: Questionnaire,
    answers: dict,
    *,
    has_minor_children: bool = False,
    thresholds: Thresholds | None = None,
) -> Result:
    """Flags for follow-up: a distress score at or above the threshold, any area where the patient
    wants help, and the duty to follow up children as relatives when a minor child is registered."""
    thresholds = thresholds or Thresholds()
    answers = questionnaire.clean(answers)
    distress = distress_score(questionnaire, answers)
    return Result(
        distress_score=distress,
        areas=marked_areas(questionnaire, answers),
        distress_flag=distress is not None and distress >= thresholds.distress,
        children_as_relatives=has_minor_children,
    )


@dataclasses.dataclass(frozen=True)
class Comparison:
    """This point's result against the previous point's: how distress moved, which areas are new,
    which remain and which are no longer marked."""

    previous_distress: int | None
    distress_change: int | None
    new: tuple[str, ...]
    remaining: tuple[str, ...]
    gone: tuple[str, ...]


def compare(current: Result, previous: Result | None) -> Comparison | None:
    if previous is None:
        return None
    now = [a.code for a in current.areas]
    before = [a.code for a in previous.areas]
    change = None
    if current.distress_score is not None and previous.distress_score is not None:
        change = current.distress_score - previous.distress_score
    return Comparison(
        previous_distress=previous.distress_score,
        distress_change=change,
        new=tuple(c for c in now if c not in before),
        remaining=tuple(c for c in now if c in before),
        gone=tuple(c for c in before if c not in now),
    )
