"""The capacity forecast of a municipality (reports.forecast) and its table: the points falling
due each week, the expectation from new diagnoses, hidden where it rests on a small count."""

import datetime

import pytest

from reports import forecast as forecasting
from reports.tests import factories as f
from reports.tests.conftest import TODAY

pytestmark = pytest.mark.django_db
D = datetime.date


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
