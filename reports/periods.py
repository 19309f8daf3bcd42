"""The calendar periods the public figures and the nightly choice of report cells are about: a
year's four quarters and the year itself."""

from __future__ import annotations

import datetime

YEAR = 4  # the index of the year among the periods (the four quarters come first)


def periods(year: int) -> list[tuple[str, datetime.date, datetime.date]]:
    """The four calendar quarters and the year: (id, first day, last day)."""
    quarters = []
    for q in range(1, 5):
        start = datetime.date(year, 3 * q - 2, 1)
        end = datetime.date(year, 12, 31) if q == 4 else datetime.date(year, 3 * q + 1, 1) - datetime.timedelta(1)
        quarters.append((f"{year}-Q{q}", start, end))
    return [*quarters, (str(year), datetime.date(year, 1, 1), datetime.date(year, 12, 31))]


def calendar_year(start: datetime.date, end: datetime.date) -> int | None:
    """The year of which the period is a calendar quarter or the whole, else None."""
    if any((first, last) == (start, end) for _id, first, last in periods(start.year)):
        return start.year
    return None


def period_index(start: datetime.date, end: datetime.date) -> int:
    """The index of a calendar period among `periods` of its year (0-3 the quarters, 4 the year)."""
    return [(first, last) for _id, first, last in periods(start.year)].index((start, end))
