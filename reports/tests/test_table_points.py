"""The points table (reports.tables.points): each collaboration point's outcomes over the period
and their shares, small counts hidden (and the shares that would give them away), its chart of
shares, and the world of conftest counted by hand."""

import datetime

import pytest

from reports import indicators
from reports import scope as scopes
from reports.models import Measure
from reports.tables.points import points_table
from reports.tests import factories as f
from reports.tests.conftest import END, START
from reports.tests.grids import texts

D = datetime.date
JAN, FEB, MAR = D(2025, 1, 1), D(2025, 2, 1), D(2025, 3, 1)
COUNTS = ["in_window", "late", "not_wanted", "cancelled", "overdue", "total"]
SHARES = ["in_window_share", "late_share", "not_wanted_share", "cancelled_share", "overdue_share"]


def points(*counts):
    return f.figures(*((Measure.POINT, month, key, outcome, n) for month, key, outcome, n in counts))


def by_key(table, row):
    return {column.key: cell.text for column, cell in zip(table.columns, row.cells, strict=True)}


def test_each_point_over_the_whole_period_with_shares_of_the_windows_closed():
    figures = points((JAN, "sp1", "in_window", 6), (JAN, "sp1", "late", 5), (FEB, "sp1", "in_window", 10))
    table = points_table(figures, JAN, D(2025, 3, 31))
    assert [c.key for c in table.columns] == COUNTS + SHARES
    (row,) = table.rows  # only the points the scope has figures for
    assert row.label.startswith("Point 1: ") and not row.is_total
    assert texts(row) == ["16", "5", "0", "0", "0", "21", "76 %", "24 %", "0 %", "0 %", "0 %"]
    chart = table.chart
    assert chart["labels"] == ["Point 1"] and chart["horizontal"] and chart["percent"] and chart["stacked"]
    assert [d["column"] for d in chart["datasets"]] == SHARES
    assert chart["datasets"][0]["data"] == [76]


def test_a_small_count_is_hidden_with_the_count_and_shares_that_would_give_it_away():
    # Point 2: 7 inside the window and 2 late, all in January: the period row is January's.
    figures = points((JAN, "sp2", "in_window", 7), (JAN, "sp2", "late", 2), (FEB, "sp1", "in_window", 12))
    table = points_table(figures, JAN, FEB.replace(day=28))
    assert [row.label.split(":")[0] for row in table.rows] == ["Point 1", "Point 2"]
    sp1, sp2 = (by_key(table, row) for row in table.rows)
    assert sp1["in_window"] == "12" and sp1["in_window_share"] == "100 %"
    assert sp2["late"] == "<5" and sp2["total"] == "9"
    assert sp2["in_window"] == "x"  # 9 - 2 would give the 2 back
    assert sp2["in_window_share"] == "x" and sp2["late_share"] == "x"  # shares of hidden counts
    assert sp2["not_wanted"] == "0" and sp2["not_wanted_share"] == "0 %"
    assert table.chart["datasets"][0]["suppressed"] == [None, "x"]


def test_an_empty_period_shows_every_point_of_the_national_pathway_without_shares():
    table = points_table(f.figures(), JAN, MAR)
    assert [row.label.split(":")[0] for row in table.rows] == ["Point 1", "Point 2", "Point 3"]
    for row in table.rows:
        values = by_key(table, row)
        assert [values[k] for k in COUNTS] == ["0"] * 6
        assert [values[k] for k in SHARES] == ["–"] * 5  # no base: not available, not 0 % or 100 %


@pytest.mark.django_db
def test_points_table_counts_and_shares(world):
    table = points_table(indicators.load(scopes.organisation_scope(world["haukeland"]), START, END), START, END)
    values = by_key(table, table.rows[0])
    # Window closed Jan-Jun: 5 inside, 1 late, 1 not wanted, 1 cancelled, 1 overdue = 9.
    assert values["in_window"] == "5" and values["total"] == "9"
    assert values["late"] == "<5" and values["overdue"] == "<5"
    assert values["in_window_share"] == "x"  # 4 of 9 not inside: a small count


@pytest.mark.django_db
def test_a_municipality_sees_its_own_points_numbered_as_in_the_national_pathway(world):
    table = points_table(indicators.load(scopes.organisation_scope(world["askoy"]), START, END), START, END)
    assert [row.label.split(":")[0] for row in table.rows] == ["Point 2"]  # no hospital point for a municipality
    assert table.chart["labels"] == ["Point 2"]
