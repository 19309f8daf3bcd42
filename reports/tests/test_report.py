"""The whole report (reports.report.build): its tables in order, the comparison only where the
scope has a health community, and charts that plot the tables' own cells."""

import pytest

from reports import report
from reports import scope as scopes
from reports.tests.conftest import END, START

pytestmark = pytest.mark.django_db

ORDER = ["enrolments", "points", "points_trend", "first_point", "distress", "help_areas", "handover", "bereavement"]


def test_the_tables_in_the_order_of_the_page(world):
    assert [t.slug for t in report.build(scopes.organisation_scope(world["haukeland"]), START, END).tables] == ORDER
    community = report.build(scopes.community_scope(world["helse_bergen"]), START, END)
    assert [t.slug for t in community.tables] == [*ORDER, "comparison"]
    assert community.today is not None and community.table("nothing") is None


def test_a_report_for_a_hospital_has_no_comparison(world):
    built = report.build(scopes.organisation_scope(world["haukeland"]), START, END)
    assert built.table("comparison") is None
    assert report.build(scopes.organisation_scope(world["askoy"]), START, END).table("comparison")


def test_charts_plot_the_tables_cells_and_nothing_hidden(world):
    built = report.build(scopes.community_scope(world["helse_bergen"]), START, END)
    checked = 0
    for table in built.tables:
        keys = [column.key for column in table.columns]
        for dataset in (table.chart or {}).get("datasets", []):
            if "column" not in dataset:
                continue  # a line drawn from another cell (the community's average)
            index = keys.index(dataset["column"])
            cells = [row.cells[index] for row in table.rows if not row.is_total]
            assert dataset["data"] == [cell.value for cell in cells]
            assert all(value is None for value, cell in zip(dataset["data"], cells, strict=True) if cell.hidden)
            checked += 1
    assert checked >= 15
