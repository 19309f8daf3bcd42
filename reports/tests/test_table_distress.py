"""Distress scores at each collaboration point (reports.tables.distress): conversations by band
per point, with the totals, small counts hidden, and its stacked bar chart."""

from reports.tables.distress import distress_table
from reports.tests.grids import derivable, texts

KEYS = ["low", "middle", "high", "missing", "total"]


def band(low=0, middle=0, high=0, missing=0):
    return {"low": low, "middle": middle, "high": high, "missing": missing}


def test_a_row_per_point_in_the_pathways_order_and_one_for_all_points():
    table = distress_table({"sp2": band(8, 0, 5, 5), "sp1": band(5, 6, 7)})
    assert [c.key for c in table.columns] == KEYS
    assert [(row.label.split(":")[0], texts(row), row.is_total) for row in table.rows] == [
        ("Point 1", ["5", "6", "7", "0", "18"], False),
        ("Point 2", ["8", "0", "5", "5", "18"], False),
        ("All points", ["13", "6", "12", "5", "36"], True),
    ]
    chart = table.chart
    assert chart["stacked"] and chart["ticks"] == ["Point 1", "Point 2"]
    assert [d["column"] for d in chart["datasets"]] == ["low", "middle", "high", "missing"]
    assert chart["datasets"][2]["data"] == [7, 5]


def test_a_small_count_is_hidden_and_cannot_be_worked_out():
    table = distress_table({"sp1": band(10, 6, 2), "sp2": band(8, 7, 5)})
    assert table.rows[0].cells[2].text == "<5"
    assert table.has_hidden and derivable(table, KEYS, row_totals=True, column_totals=True) == set()
    truth = [[10, 6, 2, 0, 18], [8, 7, 5, 0, 20], [18, 13, 7, 0, 38]]
    for row, values in zip(table.rows, truth, strict=True):
        assert all(cell.value == value for cell, value in zip(row.cells, values, strict=True) if not cell.hidden)


def test_an_empty_period_has_no_rows_and_an_empty_chart():
    table = distress_table({})
    assert table.rows == [] and [c.key for c in table.columns] == KEYS
    assert table.chart["labels"] == [] and all(d["data"] == [] for d in table.chart["datasets"])
