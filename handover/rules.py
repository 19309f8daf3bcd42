"""Pure rules of the hand-over: who receives a message, when it must be acknowledged (working days,
Norwegian public holidays), and how long to wait before the next delivery attempt."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _public_holidays(year: int) -> holidays.HolidayBase:
    # Sundays are weekend days here, not holidays, so that the library's Sunday rule is not needed.
    return holidays.country_holidays("NO", years=year, include_sundays=False)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The day `days` working days after `start` (start itself does not count)."""
    day = start
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def retry_delay(attempts: int, *, base_seconds: int, max_seconds: int) -> datetime.timedelta:
    """Exponential back-off: base, 2×base, 4×base … after the 1st, 2nd, 3rd failed attempt, capped."""
    return datetime.timedelta(seconds=min(base_seconds * 2 ** max(attempts - 1, 0), max_seconds))


@dataclass(frozen=True)
class Recipient:
    organisation_id: int
    reason: str


def point_recipients(
    *,
    care_level: str,
    municipality_id: int,
    gp_office_id: int | None,
    extra_ids: Iterable[int],
    sharing_declined: bool,
    sender_ids: Iterable[int],
) -> list[Recipient]:
    """Who gets the hand-over of a completed point.

    After the hospital's point: the patient's municipality (its contact point) and GP. After a
    municipal point: the GP. Organisations the professional chose come on top. When the patient
    declined sharing, only the municipality that runs the next points is told (without the
    assessment), and only after the hospital's point. Never the sender itself; never twice.
    """
    rule = []
    if care_level == "hospital":
        rule.append(Recipient(municipality_id, "municipality"))
    if not sharing_declined:
        if gp_office_id:
            rule.append(Recipient(gp_office_id, "gp"))
        rule += [Recipient(pk, "chosen") for pk in extra_ids]
    result, seen = [], set(sender_ids)
    for recipient in rule:
        if recipient.organisation_id not in seen:
            seen.add(recipient.organisation_id)
            result.append(recipient)
    return result
