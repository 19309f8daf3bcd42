"""Working days and acknowledgement deadlines on every day of a whole year (and a leap day):
weekends, Easter, 17 May, Christmas and New Year included. Pure rules, no database."""

import datetime

import pytest

from handover import rules
from testsupport.calendar_year import EVERY_DAY, LEAP_DAY, YEAR, norwegian_public_holidays

HOLIDAYS = norwegian_public_holidays(YEAR) | norwegian_public_holidays(YEAR + 1)
DAY = datetime.timedelta(days=1)


def test_the_year_has_the_days_that_matter():
    assert len(EVERY_DAY) == 366 and LEAP_DAY in EVERY_DAY
    assert datetime.date(2027, 3, 28) in HOLIDAYS  # Easter Sunday
    assert datetime.date(2027, 5, 17).weekday() == 0  # a Monday holiday


def test_a_working_day_is_a_weekday_that_is_not_a_public_holiday():
    for day in [*EVERY_DAY, *(datetime.date(YEAR + 1, 1, 1) + DAY * n for n in range(366))]:
        assert rules.is_working_day(day) == (day.weekday() < 5 and day not in HOLIDAYS), day


@pytest.mark.parametrize("working_days", [1, 3, 10])
def test_the_deadline_is_n_working_days_ahead_and_itself_a_working_day(working_days):
    for start in EVERY_DAY:
        due = rules.add_working_days(start, working_days)
        assert due > start
        assert due.weekday() < 5 and due not in HOLIDAYS, (start, due)
        between = [start + DAY * n for n in range(1, (due - start).days + 1)]
        assert sum(d.weekday() < 5 and d not in HOLIDAYS for d in between) == working_days, (start, due)
        # Not later than it must be: the day before the deadline is short of the count.
        assert sum(d.weekday() < 5 and d not in HOLIDAYS for d in between[:-1]) == working_days - 1
        # Never more than the weeks the count needs plus the longest run of days off (Easter).
        assert (due - start).days <= working_days + 2 * (working_days // 5 + 1) + 5


def test_the_deadline_over_easter_and_christmas():
    assert rules.add_working_days(datetime.date(2027, 3, 24), 1) == datetime.date(2027, 3, 30)
    assert rules.add_working_days(datetime.date(2027, 12, 23), 1) == datetime.date(2027, 12, 24)
    assert rules.add_working_days(datetime.date(2027, 12, 24), 1) == datetime.date(2027, 12, 27)
    assert rules.add_working_days(LEAP_DAY, 3) == datetime.date(2028, 3, 3)
