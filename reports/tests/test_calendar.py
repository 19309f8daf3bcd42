"""The reports of a calendar year's quarters and of the year (reports.calendar): which periods they
are, the relations between scopes that their joint suppression uses, and the nightly choice that
a report page reads back only while its counts are the ones it was made for."""

import datetime

import pytest

from reports import calendar, periods, relations
from reports import report as reports
from reports import scope as scopes
from reports.models import CalendarCells, Measure, MonthlyFigure
from reports.public import compute
from reports.suppression import SECONDARY, SHOWN
from reports.tests.linear import Span
from reports.tests.test_public_suppression import AS_OF, YEAR, adversarial, places  # noqa: F401 (a fixture)

D = datetime.date


def test_a_calendar_period_is_a_quarter_or_the_whole_year():
    assert periods.calendar_year(D(2025, 4, 1), D(2025, 6, 30)) == 2025
    assert periods.calendar_year(D(2025, 1, 1), D(2025, 12, 31)) == 2025
    assert periods.calendar_year(D(2025, 1, 1), D(2025, 11, 30)) is None
    assert periods.calendar_year(D(2025, 2, 1), D(2025, 4, 30)) is None
    assert periods.period_index(D(2025, 10, 1), D(2025, 12, 31)) == 3
    assert periods.period_index(D(2025, 1, 1), D(2025, 12, 31)) == periods.YEAR


def test_the_relations_between_scopes_are_those_of_their_records():
    """Two municipalities (1, 2), a hospital (3) in a health trust (3 and 9), all of Norway; the
    patients are from 1 enrolled by 3 or by 1 itself, and from 2 enrolled by 3. All of Norway is the
    two municipalities, the trust is its hospital; nothing else holds."""
    active = {
        "norway": scopes.Scope(scopes.NORWAY, None, None),
        "a": scopes.Scope(scopes.ORGANISATION, None, frozenset({1})),
        "b": scopes.Scope(scopes.ORGANISATION, None, frozenset({2})),
        "hospital": scopes.Scope(scopes.ORGANISATION, None, frozenset({3})),
        "trust": scopes.Scope(scopes.ORGANISATION, None, frozenset({3, 9})),
    }
    pairs = {(3, 1), (1, 1), (3, 2)}
    found = relations._combinations(active, pairs, lambda ids, pair: pair[0] in ids or pair[1] in ids)
    expected = [{"norway": 1, "a": -1, "b": -1}, {"hospital": 1, "trust": -1}]
    assert len(found) == len(expected)
    assert all(Span(found).holds(relation) for relation in expected)
    # With a patient from 2 who asked municipality 1 directly, Norway is no longer a + b.
    found = relations._combinations(active, pairs | {(1, 2)}, lambda ids, pair: pair[0] in ids or pair[1] in ids)
    assert found and not Span(found).holds(expected[0])


def cells_of(scope, start, end):
    result = reports.build(scope, start, end)
    return {table.slug: [[cell.status for cell in row.cells] for row in table.rows] for table in result.tables}


@pytest.mark.django_db
def test_a_report_reads_the_nights_choice_back_while_its_counts_are_unchanged(places):  # noqa: F811
    adversarial(places, seed=3)
    compute.refresh(AS_OF)
    askoy = scopes.organisation_scope(places["municipalities"][0])
    q2 = D(YEAR, 4, 1), D(YEAR, 6, 30)
    stored = CalendarCells.objects.get(scope=askoy.key, year=YEAR, period=1)
    statuses = {name: [[status for _value, status in row] for row in rows] for name, rows in stored.cells.items()}
    assert [row[:4] for row in cells_of(askoy, *q2)["enrolments"]] == statuses["enrolments"]
    # The page follows what the night chose: hide one more cell there, and the page hides it.
    row, column = next((r, c) for r, row in enumerate(statuses["enrolments"]) for c, s in enumerate(row) if s == SHOWN)
    stored.cells["enrolments"][row][column][1] = SECONDARY
    stored.save()
    assert cells_of(askoy, *q2)["enrolments"][row][column] == SECONDARY
    # The counts change (the figures were computed again, the choice not yet): the stored choice
    # no longer fits, so the report is suppressed with its own year's reports instead.
    figure = MonthlyFigure.objects.filter(measure=Measure.ENROLMENT, month=D(YEAR, 5, 1)).order_by("pk").first()
    figure.count += 7
    figure.save()
    counts = reports.build(askoy, *q2).table("enrolments")
    own = calendar.year_cells(askoy, YEAR)[1].cells["enrolments"]
    assert [[cell.status for cell in row.cells] for row in counts.rows] == [[c.status for c in row] for row in own]


@pytest.mark.django_db
def test_a_month_is_shown_alike_in_its_quarters_report_and_its_years(places):  # noqa: F811
    """A year no night has computed (the year after the public one): the scope's five reports are
    suppressed together on the spot, so a month's cells are the same in both reports."""
    adversarial(places, seed=4)
    MonthlyFigure.objects.filter(month__year=YEAR).update(month=D(YEAR + 1, 1, 1))  # all in one month
    voss = scopes.organisation_scope(places["municipalities"][1])
    year = cells_of(voss, D(YEAR + 1, 1, 1), D(YEAR + 1, 12, 31))
    quarter = cells_of(voss, D(YEAR + 1, 1, 1), D(YEAR + 1, 3, 31))
    assert year["enrolments"][:3] == quarter["enrolments"][:3]
    assert year["points_trend"][:3] == quarter["points_trend"][:3]
    assert not CalendarCells.objects.exists()
