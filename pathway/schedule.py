"""Calendar arithmetic for the collaboration points: durations, windows, status.

Pure Python on purpose (no database, no Django) so that the rules can be tested exhaustively and
reused by the definition loader, the services and the reports alike.

Windows are counted in calendar months and years, not in days: "about 3 months after the
diagnosis" means the same day of the month three months later, clamped to the last day of a
shorter month (31 January + P1M = 28 February, or 29 February in a leap year).
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta

if TYPE_CHECKING:
    from pathway.definitions import Definition

# Outcomes of a collaboration point, and the statuses of one that is still open.
COMPLETED = "completed"
NOT_WANTED = "not_wanted"
CANCELLED = "cancelled"
OUTCOMES = (COMPLETED, NOT_WANTED, CANCELLED)

WAITING = "waiting"
PLANNED = "planned"
DUE = "due"
OVERDUE = "overdue"
# A hospital point of a patient who declined the offer: out of the hospital's due and overdue
# lists until the day to ask again, then back as "ask again" (never as overdue).
DECLINED = "declined"
ASK_AGAIN = "ask_again"
STATUSES = (WAITING, PLANNED, DUE, OVERDUE, DECLINED, ASK_AGAIN, *OUTCOMES)

# Anchor kinds: what a window is counted from.
ANCHOR_DIAGNOSIS = "diagnosis"
ANCHOR_EVENT = "event"
ANCHOR_POINT = "point"
ANCHOR_KINDS = (ANCHOR_DIAGNOSIS, ANCHOR_EVENT, ANCHOR_POINT)

# Calendar components only: no time part, no signs, no fractions.
_DURATION = re.compile(r"P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?")


@functools.lru_cache(maxsize=256)
def _components(text: str) -> tuple[int, int, int, int]:
    """Parse once per distinct string: definitions reuse a handful of durations many times."""
    match = _DURATION.fullmatch(text)
    if match is None or not any(match.groups()):
        raise ValueError(
            f"{text!r} is not an ISO 8601 duration in whole calendar years, months, weeks or days "
            "(expected e.g. P0D, P4W, P3M, P1Y6M or P2W3D; no time part, sign or fraction)"
        )
    years, months, weeks, days = (int(value or 0) for value in match.groups())
    return years, months, weeks, days


def parse_duration(text: str) -> relativedelta:
    """Turn 'P1Y6M' and the like into a relativedelta; ValueError for anything else.

    A fresh relativedelta each time, because relativedelta objects are mutable.
    """
    if not isinstance(text, str):
        raise ValueError(f"duration must be text such as P3M or P4W, not {type(text).__name__} {text!r}")
    years, months, weeks, days = _components(text)
    return relativedelta(years=years, months=months, weeks=weeks, days=days)


def add_duration(anchor: datetime.date, duration: str) -> datetime.date:
    """The anchor moved by the duration: years and months first (clamping the day), then weeks and days."""
    return anchor + parse_duration(duration)


def window_conflict(opens: str, closes: str) -> datetime.date | None:
    """An anchor date on which `closes` would fall before `opens`, or None if there is none.

    Months differ in length, so P4W against P1M can compare differently from one anchor to the next.
    Days 1 (standing for 1-28, which never clamp), 29, 30 and 31 of every month over a whole leap
    cycle cover every case, so a definition that passes here never fails in window_for.
    """
    parse_duration(opens), parse_duration(closes)  # ValueError (not TypeError) for non-text
    return _window_conflict(opens, closes)


@functools.lru_cache(maxsize=256)
def _window_conflict(opens: str, closes: str) -> datetime.date | None:
    opens_delta, closes_delta = parse_duration(opens), parse_duration(closes)
    for year in range(2000, 2004):
        for month in range(1, 13):
            for day in (31, 30, 29, 1):
                try:
                    anchor = datetime.date(year, month, day)
                except ValueError:
                    continue
                if anchor + closes_delta < anchor + opens_delta:
                    return anchor
    return None


def window_for(anchor_date: datetime.date, opens: str, closes: str) -> tuple[datetime.date, datetime.date]:
    """The (opens, closes) dates of a window counted from its anchor."""
    window_opens = add_duration(anchor_date, opens)
    window_closes = add_duration(anchor_date, closes)
    if window_closes < window_opens:
        raise ValueError(
            f"window closes ({closes}, {window_closes.isoformat()}) before it opens "
            f"({opens}, {window_opens.isoformat()}) for an anchor on {anchor_date.isoformat()}; "
            "expected 'closes' to be at least as long as 'opens'"
        )
    return window_opens, window_closes


def point_status(
    window_opens: datetime.date | None,
    window_closes: datetime.date | None,
    outcome: str | None,
    today: datetime.date,
) -> str:
    """Where a collaboration point stands today; a recorded outcome always wins.

    Both window ends count as due: the windows are approximate recommendations, so a point is only
    overdue from the day after the window closes. An empty outcome ("" from a form or a model field)
    counts as open. A window without a closing date stays due once it has opened.
    """
    if outcome:
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}; expected one of {', '.join(OUTCOMES)} or None")
        return outcome
    if window_opens is None:
        return WAITING
    if today < window_opens:
        return PLANNED
    if window_closes is None or today <= window_closes:
        return DUE
    return OVERDUE


def offer_status(
    status: str,
    *,
    care_level: str,
    offer: str,
    ask_again_on: datetime.date | None,
    today: datetime.date,
) -> str:
    """A point's status once the patient's answer to the offer is taken into account.

    The hospital's point is where the offer is made. While the patient has declined, an open,
    scheduled hospital point is neither due nor overdue but `declined`; from the day the patient
    is to be asked again (`ask_again_on`) it is `ask_again`. Every other status stands.
    """
    if care_level != "hospital" or offer != "declined" or status not in (PLANNED, DUE, OVERDUE):
        return status
    if ask_again_on is not None and ask_again_on <= today:
        return ASK_AGAIN
    return DECLINED


def anchor_dates(outcomes: Mapping[str, tuple[str | None, datetime.date | None]]) -> dict[str, datetime.date]:
    """The dates from which the points anchored on other points are counted, by point key.

    `outcomes` maps a point's key to its (outcome, outcome date). Every outcome releases the
    points counted from it: a completed point from the day of the conversation, a point the patient
    did not want or that was cancelled while the pathway went on from the day that was recorded
    (the hearing draft's points 4 and 5 come "about 3 months / a year after point 3" whether or not
    point 3 took place). Open points (no outcome) release nothing yet.
    """
    return {key: on_date for key, (outcome, on_date) in outcomes.items() if outcome and on_date is not None}


def schedule(
    definition: Definition,
    diagnosis_date: datetime.date,
    events: Mapping[str, datetime.date | None] | None = None,
    completions: Mapping[str, datetime.date] | None = None,
    overrides: Mapping[str, str] | None = None,
) -> dict[str, tuple[datetime.date, datetime.date] | None]:
    """Every point's window, in definition order; None where the anchor is not known yet.

    `events` holds the dates of recorded events (e.g. treatment_started), `completions` the dates on
    which points were closed (see `anchor_dates`: completed, not wanted or cancelled alike, so that
    no outcome leaves the points counted from it waiting for ever), and `overrides` replaces the
    closing duration of a window that names a setting (a hospital's local target such as
    {"sp1_window_closes": "P6W"}). Overrides for settings no point names are ignored, so one
    settings mapping can serve several definitions.
    """
    events = events or {}
    completions = completions or {}
    overrides = overrides or {}
    windows: dict[str, tuple[datetime.date, datetime.date] | None] = {}
    for point in definition.points:
        kind, ref = point.anchor.kind, point.anchor.ref
        anchor_date: datetime.date | None
        if kind == ANCHOR_DIAGNOSIS:
            anchor_date = diagnosis_date
        elif kind == ANCHOR_EVENT:
            anchor_date = events.get(ref)
        elif kind == ANCHOR_POINT:
            anchor_date = completions.get(ref)
        else:
            raise ValueError(f"point {point.key!r}: unknown anchor kind {kind!r}; expected one of {ANCHOR_KINDS}")
        if anchor_date is None:
            windows[point.key] = None
            continue
        closes = (overrides.get(point.setting) if point.setting else None) or point.closes
        windows[point.key] = window_for(anchor_date, point.opens, closes)
    return windows
