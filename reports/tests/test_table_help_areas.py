"""The areas patients most often want help with (reports.tables.help_areas): conversations per
area and point, the most frequent areas first and only the first 15, small counts hidden."""

from django.utils import translation

from reports.tables.help_areas import TOP_AREAS, help_area_table
from reports.tests.grids import derivable, texts


def test_areas_ranked_by_conversations_with_a_column_per_point():
    data = {
        "topic-work-finances": {"sp1": 6, "sp2": 5},
        "topic-information": {"sp1": 7},
        "topic-practical-help": {"sp2": 20},
    }
    with translation.override("en"):
        table = help_area_table(data)
    assert [(c.key, c.label) for c in table.columns] == [
        ("sp1", "Point 1"),
        ("sp2", "Point 2"),
        ("total", "All points"),
    ]
    assert [texts(row) for row in table.rows] == [["0", "20", "20"], ["6", "5", "11"], ["7", "0", "7"]]
    assert table.rows[0].label == "Do you want to talk about practical help?"  # the question, not its code
    assert not any(row.is_total for row in table.rows)  # a conversation can mark several areas: no sum
    chart = table.chart
    assert chart["horizontal"] and [d["column"] for d in chart["datasets"]] == ["total"]
    assert chart["datasets"][0]["data"] == [20, 11, 7]


def test_only_the_most_frequent_areas_ties_by_code():
    data = {f"area-{i:02}": {"sp2": 100 - i} for i in range(TOP_AREAS + 2)}
    data["area-99"] = {"sp2": 100}  # as frequent as area-00: after it
    table = help_area_table(data)
    assert len(table.rows) == TOP_AREAS == 15
    assert [row.label for row in table.rows][:3] == ["area-00", "area-99", "area-01"]  # no text: the code
    assert "area-16" not in [row.label for row in table.rows]


def test_a_small_count_is_hidden_with_the_cell_that_would_give_it_away():
    table = help_area_table({"topic-information": {"sp1": 6, "sp2": 2}})
    assert texts(table.rows[0]) == ["x", "<5", "8"]
    assert derivable(table, ["sp1", "sp2", "total"], row_totals=True, column_totals=False) == set()
    assert table.chart["datasets"][0]["data"] == [8]


def test_an_empty_period_has_no_rows():
    table = help_area_table({})
    assert table.rows == [] and [c.key for c in table.columns] == ["total"]
    assert table.chart["labels"] == []
