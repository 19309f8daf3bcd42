"""The enrolment table (reports.tables.enrolments): patients diagnosed and enrolled by month and
answer to the offer, with the period's totals, small counts hidden, and its stacked bar chart."""

import datetime

from reports.models import Measure
from reports.tables.enrolments import enrolment_table
from reports.tests import factories as f
from reports.tests.grids import derivable, texts

D = datetime.date
START, END = D(2025, 1, 1), D(2025, 3, 31)
JAN, FEB = START, D(2025, 2, 1)
KEYS = ["accepted", "declined", "not_asked", "total"]


def table_of(*counts):
    """The table for January to March of (month, answer to the offer, patients) figures."""
    return enrolment_table(f.figures(*((Measure.ENROLMENT, m, "", offer, n) for m, offer, n in counts)), START, END)


def test_a_row_per_month_and_the_whole_period_with_totals():
    table = table_of((JAN, "accepted", 10), (JAN, "declined", 5), (FEB, "accepted", 7), (FEB, "not_asked", 6))
    assert [c.key for c in table.columns] == KEYS
    assert [(row.label, texts(row), row.is_total) for row in table.rows] == [
        ("January 2025", ["10", "5", "0", "15"], False),
        ("February 2025", ["7", "0", "6", "13"], False),
        ("March 2025", ["0", "0", "0", "0"], False),  # a month without patients is 0, not left out
        ("Whole period", ["17", "5", "6", "28"], True),
    ]
    assert not table.has_hidden
    chart = table.chart
    assert chart["type"] == "bar" and chart["stacked"]
    assert [d["column"] for d in chart["datasets"]] == ["accepted", "declined", "not_asked"]  # no total bar
    assert chart["datasets"][0]["data"] == [10, 7, 0]
    assert chart["ticks"] == ["Jan 2025", "Feb 2025", "Mar 2025"]


def test_a_small_count_is_hidden_and_cannot_be_worked_out_from_the_totals():
    table = table_of((JAN, "accepted", 10), (JAN, "declined", 2), (FEB, "accepted", 8), (FEB, "declined", 6))
    january = table.rows[0]
    assert january.cells[1].text == "<5"
    assert all(cell.text in ("<5", "x") for row in table.rows for cell in row.cells if cell.hidden)
    assert sum(cell.hidden for row in table.rows for cell in row.cells) >= 4  # a small count takes others with it
    assert derivable(table, KEYS, row_totals=True, column_totals=True) == set()
    # Every shown count is the true one.
    truth = [[10, 2, 0, 12], [8, 6, 0, 14], [0, 0, 0, 0], [18, 8, 0, 26]]
    for row, values in zip(table.rows, truth, strict=True):
        assert all(cell.value == value for cell, value in zip(row.cells, values, strict=True) if not cell.hidden)
    # The chart marks the hidden cells instead of drawing them as zero.
    declined = table.chart["datasets"][1]
    assert declined["data"][0] is None and declined["suppressed"][0] == "<5"


def test_an_empty_period_shows_every_month_with_zeros():
    table = table_of()
    assert [row.label for row in table.rows] == ["January 2025", "February 2025", "March 2025", "Whole period"]
    assert all(texts(row) == ["0", "0", "0", "0"] for row in table.rows)
    assert all(dataset["data"] == [0, 0, 0] for dataset in table.chart["datasets"])
