"""The trend of the collaboration points (reports.tables.points_trend): for each point, by the
month its window closed, how many closed, how many inside the window and that share; the same
suppressed grid as the points table, so the two never disagree."""

import datetime

import pytest

from reports import indicators
from reports import scope as scopes
from reports.models import Measure
from reports.tables.points import points_table
from reports.tables.points_trend import points_trend_table
from reports.tests import factories as f
from reports.tests.conftest import END, START
from reports.tests.grids import texts

D = datetime.date
JAN, FEB = D(2025, 1, 1), D(2025, 2, 1)
Q1_END = D(2025, 3, 31)


def points(*counts):
    return f.figures(*((Measure.POINT, month, key, outcome, n) for month, key, outcome, n in counts))


def test_a_row_per_month_with_three_columns_per_point():
    figures = points((JAN, "sp1", "in_window", 6), (JAN, "sp1", "late", 5), (FEB, "sp1", "in_window", 10))
    table = points_trend_table(figures, JAN, Q1_END)
    assert [c.key for c in table.columns] == ["sp1_in_window", "sp1_total", "sp1_share"]
    assert [c.label for c in table.columns][0] == "Point 1: inside the window"
    assert [(row.label, texts(row), row.is_total) for row in table.rows] == [
        ("January 2025", ["6", "11", "55 %"], False),
        ("February 2025", ["10", "10", "100 %"], False),
        ("March 2025", ["0", "0", "–"], False),  # no window closed: no share
        ("Whole period", ["16", "21", "76 %"], True),
    ]
    chart = table.chart
    assert chart["type"] == "line" and chart["percent"]
    assert [d["label"] for d in chart["datasets"]] == ["Point 1"]
    assert chart["datasets"][0]["data"] == [55, 100, None]
    assert chart["datasets"][0]["suppressed"] == [None, None, None]  # March is not available, not hidden
    assert chart["ticks"] == ["Jan 2025", "Feb 2025", "Mar 2025"]


def test_the_period_row_shows_what_the_points_table_shows():
    figures = points(
        (JAN, "sp2", "in_window", 7), (JAN, "sp2", "late", 2), (FEB, "sp2", "in_window", 9),
        (FEB, "sp2", "overdue", 3), (JAN, "sp3", "in_window", 5),
    )  # fmt: skip
    trend = points_trend_table(figures, JAN, Q1_END)
    outcome = points_table(figures, JAN, Q1_END)
    whole = trend.rows[-1]
    assert [row.label.split(":")[0] for row in outcome.rows] == ["Point 2", "Point 3"]
    for i in range(2):
        cells = dict(zip([c.key for c in outcome.columns], outcome.rows[i].cells, strict=True))
        assert whole.cells[3 * i].text == cells["in_window"].text
        assert whole.cells[3 * i + 1].text == cells["total"].text
    # Point 2 in January: 7 inside of 9 closed, 2 late: the share's complement is a small count.
    assert texts(trend.rows[0])[2] == "x"


def test_an_empty_period_shows_every_month_and_point_without_shares():
    table = points_trend_table(f.figures(), JAN, FEB.replace(day=28))
    assert len(table.columns) == 9  # three points of the national pathway
    assert [row.label for row in table.rows] == ["January 2025", "February 2025", "Whole period"]
    assert all(texts(row) == ["0", "0", "–"] * 3 for row in table.rows)


@pytest.mark.django_db
def test_the_trend_of_a_hospitals_first_points(world):
    table = points_trend_table(indicators.load(scopes.organisation_scope(world["haukeland"]), START, END), START, END)
    assert table.rows[-1].label == "Whole period"
    assert texts(table.rows[-1])[:2] == ["5", "9"]  # as the points table: 5 of 9 inside the window
    assert table.columns[0].label == "Point 1: inside the window"


@pytest.mark.django_db
def test_a_municipality_sees_its_own_points_numbered_as_in_the_national_pathway(world):
    table = points_trend_table(indicators.load(scopes.organisation_scope(world["askoy"]), START, END), START, END)
    assert table.columns[0].label == "Point 2: inside the window"
