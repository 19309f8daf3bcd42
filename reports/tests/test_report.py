"""Tables built from the indicators: percentiles, shares, suppression as shown, the comparison of
municipalities, and the capacity forecast (hand counts as in test_indicators)."""

import datetime

import pytest

from reports import forecast as forecasting
from reports import indicators, report
from reports import scope as scopes
from reports.percentiles import merge, nearest_rank
from reports.tables import Cell, share_cell
from reports.tests import factories as f
from reports.tests.conftest import END, START, TODAY

D = datetime.date


def test_nearest_rank_percentiles():
    assert nearest_rank({}, 50) is None
    assert nearest_rank({7: 1}, 90) == 7
    days = {0: 1, 4: 1, 5: 1, 10: 1, 39: 1}
    assert nearest_rank(days, 50) == 5  # rank ceil(2.5) = 3
    assert nearest_rank(days, 90) == 39  # rank ceil(4.5) = 5
    assert nearest_rank({1: 90, 100: 10}, 90) == 1
    assert nearest_rank({1: 89, 100: 11}, 90) == 100
    assert merge([{1: 2}, {1: 1, 3: 4}]) == {1: 3, 3: 4}


def test_a_share_is_hidden_when_it_would_give_a_small_count_away():
    shown = Cell("20", 20)
    assert share_cell(shown, shown, 10, 20).text == "50 %"
    assert share_cell(shown, shown, 17, 20).text == "x"  # 3 not: a small count
    assert share_cell(Cell("<5", None, "primary"), shown, 3, 20).text == "x"
    assert share_cell(shown, Cell("x", None, "secondary"), 10, 20).text == "x"
    assert share_cell(shown, shown, 0, 0).text == "–"


pytestmark = pytest.mark.django_db


def test_days_to_the_first_point_table(world):
    table = report.first_point_table(
        indicators.load(scopes.organisation_scope(world["haukeland"]), START, END), START, END
    )
    whole = table.rows[-1]
    assert whole.label == "Whole period"
    # E7 0, V1 4, E4 5, E1 10, E2 39 days: five patients, median 5, 90th percentile 39.
    assert [c.text for c in whole.cells] == ["5", "5", "39"]
    january = table.rows[0]
    assert [c.text for c in january.cells][1:] == ["x", "x"]  # three patients: no median


def test_points_table_counts_and_shares(world):
    outcome, trend = report.point_tables(
        indicators.load(scopes.organisation_scope(world["haukeland"]), START, END), START, END
    )
    sp1 = outcome.rows[0]
    by_key = dict(zip([c.key for c in outcome.columns], sp1.cells, strict=True))
    # Window closed Jan-Jun: 5 inside, 1 late, 1 not wanted, 1 cancelled, 1 overdue = 9.
    assert by_key["in_window"].text == "5" and by_key["total"].text == "9"
    assert by_key["late"].text == "<5" and by_key["overdue"].text == "<5"
    assert by_key["in_window_share"].text == "x"  # 4 of 9 not inside: a small count
    assert trend.rows[-1].label == "Whole period"


def test_comparison_of_municipalities(world):
    table = report.comparison_table(world["helse_bergen"], START, END)
    rows = {row.label: [c.text for c in row.cells] for row in table.rows}
    # Patients: Askøy 7, Voss 1, the rest 0, community 8. Voss's 1 is hidden, and Askøy's 7 with
    # it, or 8 - 0 - ... - 7 would give the 1 back.
    assert rows["Voss"][0] == "<5"
    assert rows["Askøy"][0] == "x"
    assert rows["Askøy"][1] == "x"  # 5 of 7 accepted: 2 did not, a small count
    assert rows["Askøy"][2] == "5"  # the only municipal points: Askøy's five
    assert rows["Askøy"][3] == "x"  # 1 of 5 inside the window
    community = table.rows[-1]
    assert community.is_total and community.label == "The health community (average)"
    assert [c.text for c in community.cells] == ["8", "x", "5", "x"]
    assert table.chart["datasets"][1]["type"] == "line"


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


def test_capacity_forecast(world):
    askoy, hauk = world["askoy"], world["haukeland"]
    # Today is Sunday 1 March 2026, so the first week starts Monday 23 February.
    accepted = f.enrolment(askoy, hauk, D(2026, 1, 5))
    f.point(accepted, "sp2", askoy, D(2026, 4, 5), D(2026, 5, 5))  # 41 days on: week 5
    f.point(accepted, "sp3", askoy, D(2027, 1, 5), D(2027, 7, 5))  # 316 days on: week 45
    not_asked = f.enrolment(askoy, hauk, D(2026, 2, 1), "not_asked")
    f.point(not_asked, "sp2", askoy, D(2026, 5, 1), D(2026, 6, 1))  # 67 days on: week 9
    result = forecasting.forecast(askoy, TODAY)
    assert result.weeks[0] == D(2026, 2, 23) and len(result.weeks) == 52
    assert [i for i, n in enumerate(result.accepted) if n] == [5, 45]
    assert [i for i, n in enumerate(result.not_asked) if n] == [9]
    # Already due: E5's second point and E1's third (accepted, open). E7's (not asked) is not.
    assert result.due_now == 2
    # Diagnosed in the last 12 months: the two above, one of one asked accepted: 2 a year.
    assert result.monthly_average == pytest.approx(2 / 12)
    assert result.acceptance == 1.0
    # Diagnoses from 1 March to 21 November 2026 (266 days) put a second point inside the 52
    # weeks; a third point (12 months on) falls after them.
    assert sum(result.expected) == pytest.approx(266 * 2 / 365)
    table = forecasting.forecast_table(result)
    assert table.rows[5].cells[0].text == "<5"
    assert table.rows[-1].label == "Next 52 weeks"
    # Two patients a year: the expectation would give them away, so it is hidden.
    assert result.basis_hidden
    assert all(row.cells[3].hidden and row.cells[4].hidden for row in table.rows)
    assert not any(table.column_values("expected", totals=True))


def test_the_forecast_shows_its_expectation_when_it_rests_on_enough_patients(world):
    result = forecasting.Forecast(
        weeks=[D(2026, 3, 2)],
        accepted=[0],
        not_asked=[0],
        expected=[1.26],
        due_now=0,
        monthly_average=1.0,
        acceptance=7 / 12,
        recent=12,
        asked=12,
        accepted_recent=7,
    )
    assert not result.basis_hidden
    table = forecasting.forecast_table(result)
    assert table.rows[0].cells[3].value == 1.3 and not table.rows[0].cells[3].hidden


def test_a_municipality_sees_its_own_points_numbered_as_in_the_national_pathway(world):
    outcome, trend = report.point_tables(
        indicators.load(scopes.organisation_scope(world["askoy"]), START, END), START, END
    )
    assert [row.label.split(":")[0] for row in outcome.rows] == ["Point 2"]  # no hospital point for a municipality
    assert trend.columns[0].label == "Point 2: inside the window"
    assert outcome.chart["labels"] == ["Point 2"]
