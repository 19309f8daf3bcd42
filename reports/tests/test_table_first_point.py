"""Days from the diagnosis to the first collaboration point (reports.tables.first_point): the
patients by month (small counts hidden), the median and the 90th percentile by the nearest-rank
method, not shown for fewer than 5 patients."""

import datetime

import pytest

from reports import indicators
from reports import scope as scopes
from reports.models import Measure
from reports.percentiles import merge, nearest_rank
from reports.tables.first_point import first_point_table
from reports.tests import factories as f
from reports.tests.conftest import END, START
from reports.tests.grids import derivable, texts

D = datetime.date
JAN, FEB = D(2025, 1, 1), D(2025, 2, 1)
Q1_END = D(2025, 3, 31)


def days(*counts):
    return f.figures(*((Measure.FIRST_POINT, month, "", str(n_days), n) for month, n_days, n in counts))


def test_nearest_rank_percentiles():
    assert nearest_rank({}, 50) is None
    assert nearest_rank({7: 1}, 90) == 7
    days = {0: 1, 4: 1, 5: 1, 10: 1, 39: 1}
    assert nearest_rank(days, 50) == 5  # rank ceil(2.5) = 3
    assert nearest_rank(days, 90) == 39  # rank ceil(4.5) = 5
    assert nearest_rank({1: 90, 100: 10}, 90) == 1
    assert nearest_rank({1: 89, 100: 11}, 90) == 100
    assert merge([{1: 2}, {1: 1, 3: 4}]) == {1: 3, 3: 4}


def test_patients_median_and_90th_percentile_by_month_and_for_the_period():
    # January: 10, 10, 10, 20, 20, 20 days; February: 30 days five times.
    table = first_point_table(days((JAN, 10, 3), (JAN, 20, 3), (FEB, 30, 5)), JAN, Q1_END)
    assert [(row.label, texts(row), row.is_total) for row in table.rows] == [
        ("January 2025", ["6", "10", "20"], False),  # ranks 3 and 6 of 6
        ("February 2025", ["5", "30", "30"], False),
        ("March 2025", ["0", "–", "–"], False),
        ("Whole period", ["11", "20", "30"], True),  # ranks 6 and 10 of 11
    ]
    chart = table.chart
    assert [d["column"] for d in chart["datasets"]] == ["median", "p90"]
    assert chart["datasets"][0]["data"] == [10, 30, None]


def test_fewer_than_five_patients_hide_their_count_and_have_no_median():
    table = first_point_table(days((JAN, 10, 3), (JAN, 20, 3), (FEB, 30, 2)), JAN, FEB.replace(day=28))
    january, february, whole = (texts(row) for row in table.rows)
    assert february == ["<5", "x", "x"]  # not "–": that would say there were none
    assert january[0] == "x"  # 8 - 6 would give February's 2 back
    assert january[1:] == ["10", "20"]  # six patients: enough for the median
    assert whole == ["8", "20", "30"]
    assert derivable(table, ["patients"], row_totals=False, column_totals=True) == set()
    assert table.chart["datasets"][0]["suppressed"] == [None, "x"]


def test_an_empty_period_has_no_patients_and_no_median():
    table = first_point_table(f.figures(), JAN, Q1_END)
    assert len(table.rows) == 4
    assert all(texts(row) == ["0", "–", "–"] for row in table.rows)


@pytest.mark.django_db
def test_days_to_the_first_point_table(world):
    table = first_point_table(indicators.load(scopes.organisation_scope(world["haukeland"]), START, END), START, END)
    whole = table.rows[-1]
    assert whole.label == "Whole period"
    # E7 0, V1 4, E4 5, E1 10, E2 39 days: five patients, median 5, 90th percentile 39.
    assert [c.text for c in whole.cells] == ["5", "5", "39"]
    january = table.rows[0]
    assert [c.text for c in january.cells][1:] == ["x", "x"]  # three patients: no median
