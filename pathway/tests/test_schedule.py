"""The calendar rules of the collaboration points, without a database.

Month arithmetic is where schedules go wrong (31 January, 29 February), so the examples below are
backed by property tests over every date from 1990 to 2040.
"""

import calendar
import datetime

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from pathway.definitions import get_definition
from pathway.schedule import add_duration, parse_duration, point_status, schedule, window_conflict, window_for

D = datetime.date


@pytest.fixture(scope="module")
def national():
    return get_definition("national-2022")


@pytest.fixture(scope="module")
def hearing():
    return get_definition("hearing-draft-2021")


# Durations


@pytest.mark.parametrize(
    "text, expected",
    [
        ("P0D", relativedelta()),
        ("P4W", relativedelta(days=28)),
        ("P3M", relativedelta(months=3)),
        ("P12M", relativedelta(years=1)),
        ("P1Y", relativedelta(years=1)),
        ("P1Y6M", relativedelta(years=1, months=6)),
        ("P2W3D", relativedelta(days=17)),
    ],
)
def test_parse_duration_accepts_calendar_durations(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "P", "3M", "P1.5M", "P1,5M", "P-1M", "PT1H", "P1DT1H", "P1M1Y", "p3m", " P3M", "P3M ", "P3X", "PM", "P1W1W"],
)
def test_parse_duration_rejects_everything_else(text):
    with pytest.raises(ValueError, match="not an ISO 8601 duration"):
        parse_duration(text)


@pytest.mark.parametrize("value", [None, 3, ["P3M"]])
def test_parse_duration_rejects_non_text(value):
    with pytest.raises(ValueError, match="duration must be text"):
        parse_duration(value)


def test_parse_duration_returns_a_fresh_object():
    parse_duration("P3M").months = 7
    assert parse_duration("P3M").months == 3


# Calendar arithmetic


@pytest.mark.parametrize(
    "anchor, duration, expected",
    [
        (D(2023, 1, 31), "P1M", D(2023, 2, 28)),
        (D(2024, 1, 31), "P1M", D(2024, 2, 29)),
        (D(2023, 1, 31), "P3M", D(2023, 4, 30)),
        (D(2023, 11, 30), "P3M", D(2024, 2, 29)),
        (D(2022, 11, 30), "P3M", D(2023, 2, 28)),
        (D(2024, 2, 29), "P12M", D(2025, 2, 28)),
        (D(2024, 2, 29), "P1Y", D(2025, 2, 28)),
        (D(2024, 2, 29), "P4Y", D(2028, 2, 29)),
        (D(2023, 3, 15), "P0D", D(2023, 3, 15)),
        (D(2023, 3, 15), "P4W", D(2023, 4, 12)),
        (D(2023, 12, 20), "P2W3D", D(2024, 1, 6)),
        # Months first, then days: 31 Jan + 1 month = 28 Feb, + 1 day = 1 Mar (not 1 Mar + 1 month).
        (D(2023, 1, 31), "P1M1D", D(2023, 3, 1)),
        (D(2023, 1, 31), "P1Y1M", D(2024, 2, 29)),
    ],
)
def test_add_duration(anchor, duration, expected):
    assert add_duration(anchor, duration) == expected


def test_window_for():
    assert window_for(D(2023, 1, 31), "P3M", "P4M") == (D(2023, 4, 30), D(2023, 5, 31))
    assert window_for(D(2023, 5, 2), "P0D", "P0D") == (D(2023, 5, 2), D(2023, 5, 2))


def test_window_for_refuses_a_window_that_closes_before_it_opens():
    with pytest.raises(ValueError, match="closes"):
        window_for(D(2023, 1, 1), "P3M", "P2M")
    # P4W and P1M meet on 31 Jan in a common year, but from 31 Jan 2024 the month is one day longer.
    assert window_for(D(2023, 1, 31), "P1M", "P4W") == (D(2023, 2, 28), D(2023, 2, 28))
    with pytest.raises(ValueError, match="before it opens"):
        window_for(D(2024, 1, 31), "P1M", "P4W")


def test_window_conflict_finds_the_anchor_where_a_window_would_turn_round():
    assert window_conflict("P3M", "P4M") is None
    assert window_conflict("P0D", "P0D") is None
    assert window_conflict("P4W", "P1M") is None  # a month is never shorter than four weeks
    assert window_conflict("P1M", "P4W") is not None  # but often longer
    assert window_conflict("P30D", "P1M") is not None
    assert window_conflict("P3M", "P2M") is not None


# Status


@pytest.mark.parametrize(
    "today, expected",
    [
        (D(2023, 4, 30), "planned"),  # the day before the window opens
        (D(2023, 5, 1), "due"),  # opening day
        (D(2023, 5, 15), "due"),
        (D(2023, 5, 31), "due"),  # closing day
        (D(2023, 6, 1), "overdue"),  # the day after
    ],
)
def test_point_status_at_the_boundaries(today, expected):
    assert point_status(D(2023, 5, 1), D(2023, 5, 31), None, today) == expected


@pytest.mark.parametrize("outcome", ["completed", "not_wanted", "cancelled"])
def test_point_status_outcome_wins(outcome):
    for today in (D(2023, 1, 1), D(2023, 5, 10), D(2024, 1, 1)):
        assert point_status(D(2023, 5, 1), D(2023, 5, 31), outcome, today) == outcome
    assert point_status(None, None, outcome, D(2023, 1, 1)) == outcome


def test_point_status_waiting_and_edge_cases():
    assert point_status(None, None, None, D(2023, 1, 1)) == "waiting"
    assert point_status(None, None, "", D(2023, 1, 1)) == "waiting"  # a blank model field is open
    assert point_status(D(2023, 5, 1), None, None, D(2030, 1, 1)) == "due"  # no closing date
    with pytest.raises(ValueError, match="unknown outcome"):
        point_status(D(2023, 5, 1), D(2023, 5, 31), "done", D(2023, 5, 10))


# schedule() with the shipped definitions


def test_schedule_national(national):
    windows = schedule(national, D(2023, 1, 31))
    assert list(windows) == ["sp1", "sp2", "sp3"]
    assert windows == {
        "sp1": (D(2023, 1, 31), D(2023, 2, 28)),
        "sp2": (D(2023, 4, 30), D(2023, 5, 31)),
        "sp3": (D(2024, 1, 31), D(2024, 7, 31)),
    }


def test_schedule_national_from_a_leap_day(national):
    windows = schedule(national, D(2024, 2, 29))
    assert windows["sp1"] == (D(2024, 2, 29), D(2024, 3, 28))
    assert windows["sp2"] == (D(2024, 5, 29), D(2024, 6, 29))
    assert windows["sp3"] == (D(2025, 2, 28), D(2025, 8, 29))


def test_schedule_national_local_target_for_sp1(national):
    windows = schedule(national, D(2023, 3, 1), overrides={"sp1_window_closes": "P6W"})
    assert windows["sp1"] == (D(2023, 3, 1), D(2023, 4, 12))
    assert windows["sp2"] == (D(2023, 6, 1), D(2023, 7, 1))  # untouched
    # Settings that no point names, and blank values, leave the definition as it is.
    assert schedule(national, D(2023, 3, 1), overrides={"other": "P1W", "sp1_window_closes": ""}) == schedule(
        national, D(2023, 3, 1)
    )


def test_schedule_refuses_an_invalid_override(national):
    with pytest.raises(ValueError, match="not an ISO 8601 duration"):
        schedule(national, D(2023, 3, 1), overrides={"sp1_window_closes": "P-1D"})


def test_schedule_hearing_draft_waits_for_events_and_completions(hearing):
    diagnosis = D(2021, 9, 6)
    windows = schedule(hearing, diagnosis)
    assert windows == {"hp1": (D(2021, 9, 6), D(2021, 9, 20)), "hp2": None, "hp3": None, "hp4": None, "hp5": None}
    statuses = {key: point_status(*(window or (None, None)), None, diagnosis) for key, window in windows.items()}
    assert statuses == {"hp1": "due", "hp2": "waiting", "hp3": "waiting", "hp4": "waiting", "hp5": "waiting"}

    started = D(2021, 10, 4)
    windows = schedule(hearing, diagnosis, events={"treatment_started": started})
    assert windows["hp2"] == (D(2021, 10, 4), D(2021, 10, 18))
    assert windows["hp3"] == (D(2021, 10, 18), D(2021, 11, 29))
    assert windows["hp4"] is None and windows["hp5"] is None

    completed = D(2021, 11, 30)
    windows = schedule(hearing, diagnosis, events={"treatment_started": started}, completions={"hp3": completed})
    assert windows["hp4"] == (D(2022, 1, 30), D(2022, 3, 30))
    assert windows["hp5"] == (D(2022, 10, 30), D(2022, 12, 30))


def test_schedule_ignores_completions_of_points_nobody_anchors_on(hearing):
    windows = schedule(hearing, D(2021, 9, 6), completions={"hp1": D(2021, 9, 7), "hp2": D(2021, 9, 8)})
    assert windows["hp3"] is None and windows["hp4"] is None


# Properties

dates = st.dates(min_value=D(1990, 1, 1), max_value=D(2040, 12, 31))
components = st.tuples(*(st.integers(min_value=0, max_value=30) for _ in range(4)))


def _duration(years, months, weeks, days):
    text = "P" + "".join(f"{n}{unit}" for n, unit in zip((years, months, weeks, days), "YMWD", strict=True) if n)
    return text if text != "P" else "P0D"


@given(dates, components)
def test_add_duration_never_goes_back_and_agrees_with_relativedelta(day, parts):
    years, months, weeks, days = parts
    result = add_duration(day, _duration(*parts))
    assert result >= day
    assert result == day + relativedelta(years=years, months=months, weeks=weeks, days=days)


@given(dates, st.integers(min_value=0, max_value=240))
def test_month_durations_keep_the_day_or_clamp_it(day, months):
    result = add_duration(day, f"P{months}M")
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    assert (result.year, result.month) == (year, month + 1)
    assert result.day == min(day.day, calendar.monthrange(year, month + 1)[1])


def _months_later(day, months):
    """Independent of dateutil: the same day `months` later, clamped to the end of a short month."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return D(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@given(diagnosis=dates)
def test_national_windows(diagnosis):
    national = get_definition("national-2022")
    windows = schedule(national, diagnosis)
    assert list(windows) == ["sp1", "sp2", "sp3"]
    for opens, closes in windows.values():
        assert diagnosis <= opens <= closes
    assert windows["sp1"] == (diagnosis, diagnosis + datetime.timedelta(weeks=4))
    assert windows["sp2"] == (_months_later(diagnosis, 3), _months_later(diagnosis, 4))
    assert windows["sp3"] == (_months_later(diagnosis, 12), _months_later(diagnosis, 18))
    # The points follow one another.
    assert windows["sp1"][1] < windows["sp2"][0] and windows["sp2"][1] < windows["sp3"][0]


@given(diagnosis=dates, to_treatment=st.integers(0, 365), to_point_3=st.integers(0, 365))
def test_hearing_draft_windows_follow_their_anchors(diagnosis, to_treatment, to_point_3):
    hearing = get_definition("hearing-draft-2021")
    started = diagnosis + datetime.timedelta(days=to_treatment)
    completed = started + datetime.timedelta(days=to_point_3)
    windows = schedule(hearing, diagnosis, events={"treatment_started": started}, completions={"hp3": completed})
    for opens, closes in windows.values():
        assert diagnosis <= opens <= closes
    assert windows["hp2"][0] == started
    assert windows["hp4"][0] == _months_later(completed, 2)
    assert windows["hp5"][0] == _months_later(completed, 11)
