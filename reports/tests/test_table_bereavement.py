"""Follow-up offered to the bereaved (reports.tables.bereavement): one row for the period,
relatives contacted or not, small counts hidden."""

import datetime

from reports.models import Measure
from reports.tables.bereavement import bereavement_table
from reports.tests import factories as f
from reports.tests.grids import texts

D = datetime.date


def follow_ups(contacted, not_contacted):
    return f.figures(
        (Measure.BEREAVEMENT, D(2025, 1, 1), "", "contacted", contacted),
        (Measure.BEREAVEMENT, D(2025, 2, 1), "", "not_contacted", not_contacted),
        (Measure.BEREAVEMENT, D(2025, 3, 1), "", "contacted", 1),
    )


def test_one_row_for_the_period_summed_over_its_months():
    table = bereavement_table(follow_ups(5, 5))
    assert [c.key for c in table.columns] == ["contacted", "not_contacted", "total"]
    assert [(row.label, texts(row)) for row in table.rows] == [("Whole period", ["6", "5", "11"])]
    assert table.chart is None


def test_a_small_count_is_hidden_with_the_cell_that_would_give_it_away():
    (row,) = bereavement_table(follow_ups(6, 3)).rows
    assert texts(row) == ["x", "<5", "10"]


def test_an_empty_period_shows_zeros():
    (row,) = bereavement_table(f.figures()).rows
    assert texts(row) == ["0", "0", "0"]
