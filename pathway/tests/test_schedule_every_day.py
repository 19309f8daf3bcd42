"""The collaboration points' windows and statuses for a diagnosis (and a "today") on every day of
a whole year and a leap day: weekends and public holidays change nothing, months clamp, and the
status moves planned → due → overdue exactly at the window's ends. Pure rules, no database."""

import calendar
import datetime

import pytest

from pathway.definitions import get_definition
from pathway.schedule import COMPLETED, DUE, OVERDUE, PLANNED, point_status, schedule
from testsupport.calendar_year import EVERY_DAY, LEAP_DAY

DAY = datetime.timedelta(days=1)


def months_later(day, months):
    """Independent of dateutil: the same day `months` later, clamped to the end of a short month."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def test_national_windows_for_a_diagnosis_on_every_day():
    national = get_definition("national-2022")
    for diagnosis in EVERY_DAY:
        windows = schedule(national, diagnosis)
        assert windows == {
            "sp1": (diagnosis, diagnosis + 4 * 7 * DAY),
            "sp2": (months_later(diagnosis, 3), months_later(diagnosis, 4)),
            "sp3": (months_later(diagnosis, 12), months_later(diagnosis, 18)),
        }, diagnosis
        previous_closes = None
        for opens, closes in windows.values():
            assert diagnosis <= opens <= closes
            assert previous_closes is None or previous_closes < opens  # one point after the other
            previous_closes = closes


def test_a_local_target_moves_only_the_first_points_close_on_every_day():
    national = get_definition("national-2022")
    for diagnosis in EVERY_DAY:
        windows = schedule(national, diagnosis, overrides={"sp1_window_closes": "P6W"})
        assert windows["sp1"] == (diagnosis, diagnosis + 6 * 7 * DAY)
        assert windows["sp2"] == (months_later(diagnosis, 3), months_later(diagnosis, 4))


def test_hearing_draft_windows_from_events_on_every_day():
    hearing = get_definition("hearing-draft-2021")
    for n, diagnosis in enumerate(EVERY_DAY):
        started = diagnosis + DAY * (n % 45)
        completed = started + DAY * (14 + n % 40)
        windows = schedule(hearing, diagnosis, events={"treatment_started": started}, completions={"hp3": completed})
        assert windows["hp1"] == (diagnosis, diagnosis + 14 * DAY)
        assert windows["hp2"] == (started, started + 14 * DAY)
        assert windows["hp3"] == (started + 14 * DAY, started + 56 * DAY)
        assert windows["hp4"] == (months_later(completed, 2), months_later(completed, 4))
        assert windows["hp5"] == (months_later(completed, 11), months_later(completed, 13))
        # Before treatment has started and point 3 is done, the later points wait.
        waiting = schedule(hearing, diagnosis)
        assert [key for key, window in waiting.items() if window is None] == ["hp2", "hp3", "hp4", "hp5"]


@pytest.mark.parametrize("key", ["sp1", "sp2", "sp3"])
def test_the_status_on_every_day_of_the_year(key):
    """For windows counted from diagnoses spread over the year before, the status on each day of
    the year: planned before the window, due on both its ends and between, overdue after, and
    never going back; a recorded outcome wins on every day."""
    national = get_definition("national-2022")
    first = EVERY_DAY[0]
    for back in range(0, 400, 7):
        opens, closes = schedule(national, first - DAY * back)[key]
        statuses = [point_status(opens, closes, None, today) for today in EVERY_DAY]
        for today, status in zip(EVERY_DAY, statuses, strict=True):
            expected = PLANNED if today < opens else DUE if today <= closes else OVERDUE
            assert status == expected, (opens, closes, today)
        order = [PLANNED, DUE, OVERDUE]
        ranks = [order.index(s) for s in statuses]
        assert ranks == sorted(ranks)
        assert all(point_status(opens, closes, COMPLETED, today) == COMPLETED for today in EVERY_DAY)


def test_a_window_from_a_leap_day_clamps_in_shorter_months():
    windows = schedule(get_definition("national-2022"), LEAP_DAY)
    assert windows["sp2"] == (datetime.date(2028, 5, 29), datetime.date(2028, 6, 29))
    assert windows["sp3"] == (datetime.date(2029, 2, 28), datetime.date(2029, 8, 29))
