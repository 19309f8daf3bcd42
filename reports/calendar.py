"""The reports of a calendar year's four quarters and of the year, suppressed together.

The five reports of one scope overlap: a quarter's report shows the same months as the year's,
its period row is the sum of those months, and the year's comparison of municipalities is the
sum of the quarters'. Suppressed each on its own, two of them can give a small count away by
subtraction (the quarter's total less the year's other months). Reports of different scopes
overlap too (all of Norway is its municipalities; a health community's comparison is in each of
its municipalities' reports). So:

- every night, every scope's five reports of the last full year are suppressed together as one
  family (`national_cells`, with the relations between scopes of `reports.relations`), and the
  choice is stored (`CalendarCells`) for the report pages and read by the public figures;
- a report page of a calendar quarter or year reads that choice back while its counts are still
  the ones it was made for, and otherwise suppresses its scope's five reports together
  (`year_cells`), so those five agree whatever the year.
"""

from __future__ import annotations

import datetime

from directory.models import Organisation
from reports import indicators
from reports import scope as scopes
from reports.family import Member, Reported, suppress_together, tables_of
from reports.linked import LinkedSystem, linked_system
from reports.models import CalendarCells, MonthlyFigure
from reports.periods import YEAR, period_index, periods
from reports.relations import area_links, every_scope, relations_between
from reports.suppression import SHOWN
from reports.tables import comparison
from reports.tables.cells import count_cell
from reports.tables.labels import months_between

Kind = Organisation.Kind


def members_of(scope, year: int, figures, comparisons: list) -> list[Member]:
    """The scope's five reports of the year, from the year's figures and each period's comparison."""
    trust = comparison.community_of(scope)
    return [
        Member(
            scope.key,
            index,
            months_between(first, last),
            linked_system(scope, figures.within(first, last), first, last, comparisons[index]),
            f"trust:{trust.pk}" if trust is not None else "",
        )
        for index, (_id, first, last) in enumerate(periods(year))
    ]


def comparisons_of(scope, year: int, cache: dict | None = None) -> list:
    """The comparison of the scope's health community in each of the five periods (None where
    it has none), read once per community and period with a shared `cache`."""
    trust = comparison.community_of(scope)
    cache = {} if cache is None else cache
    result = []
    for _id, first, last in periods(year):
        key = (trust.pk if trust is not None else None, first, last)
        if key not in cache:
            cache[key] = comparison.comparison_counts(trust, first, last) if trust is not None else None
        result.append(cache[key])
    return result


def year_cells(scope, year: int, figures=None, comparisons=None) -> list[Reported]:
    """The linked cells of the scope's five reports of the year (as `reports.linked.linked_cells`
    gives one report's: each point's counts and the cells by table), suppressed together.
    `figures`: the scope's figures of the year and `comparisons` those of each period, if the
    caller has them."""
    if figures is None:
        figures = indicators.load(scope, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    if comparisons is None:
        comparisons = comparisons_of(scope, year)
    return suppress_together(members_of(scope, year, figures, comparisons))


def national_cells(year: int) -> dict[str, list[Reported]]:
    """The linked cells of every scope's five reports of the year (as `year_cells` gives one
    scope's), all suppressed together: a cell that one report shows gives no small count of
    another away, across periods, scopes and the comparisons the reports share. By scope key; a
    scope with nothing counted in the year (nor in its health community's comparison) is left
    out: its reports show zeros only, and `report_cells` suppresses them when asked."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    cache: dict = {}
    result: dict[str, list[Reported]] = {}
    members: list[Member] = []
    active: dict[str, scopes.Scope] = {}
    may_count = _may_count(year)
    for scope in every_scope():
        if not may_count(scope):
            continue
        own = members_of(scope, year, indicators.load(scope, start, end), comparisons_of(scope, year, cache))
        if all(_all_zero(member.system) for member in own):
            result[scope.key] = [
                Reported(member.system.point_counts, _shown(member.system), tables_of(member.system)) for member in own
            ]
        else:
            members += own
            active[scope.key] = scope
    relations = relations_between(active, year)
    cells = suppress_together(members, lambda values: area_links(relations, values))
    for member, reported in zip(members, cells, strict=True):
        result.setdefault(member.owner, []).append(reported)
    return result


def _may_count(year: int):
    """Whether a scope's reports of the year can count anything: one of its organisations has a
    monthly figure of the year, or one of the municipalities its comparison shows has."""
    rows = MonthlyFigure.objects.filter(month__gte=datetime.date(year, 1, 1), month__lte=datetime.date(year, 12, 31))
    counted = set(rows.values_list("organisation", flat=True).distinct())
    counted |= set(rows.exclude(other_organisation=None).values_list("other_organisation", flat=True).distinct())
    compared: dict[int | None, set[int]] = {}
    for pk, trust in Organisation.objects.filter(kind=Kind.MUNICIPALITY).values_list("pk", "health_trust"):
        compared.setdefault(trust, set()).add(pk)

    def check(scope) -> bool:
        if scope.org_ids is None or scope.org_ids & counted:
            return True
        org = scope.chosen
        if scope.kind == scopes.COMMUNITY or org.kind == Kind.HEALTH_TRUST:
            trust = org.pk
        elif org.kind == Kind.MUNICIPALITY and org.health_trust_id is not None:
            trust = org.health_trust_id
        else:  # a hospital's report has no comparison
            return False
        return bool(compared.get(trust, set()) & counted)

    return check


def _all_zero(system: LinkedSystem) -> bool:
    return not any(value for spec in system.counts.values() for row in spec.with_totals() for value in row)


def _shown(system: LinkedSystem) -> dict:
    """Every cell shown: a report with nothing counted."""
    return {
        name: [[count_cell(value, SHOWN) for value in row] for row in table]
        for name, table in tables_of(system).items()
    }


def store(year: int, reported: dict[str, list[Reported]], now) -> list[CalendarCells]:
    """The rows that keep each report's choice of cells (`national_cells`) for the report pages."""
    return [
        CalendarCells(
            scope=key,
            year=year,
            period=period,
            computed_at=now,
            cells={
                name: [
                    [[value, cell.status] for value, cell in zip(values, row, strict=True)]
                    for values, row in zip(report.tables[name], grid, strict=True)
                ]
                for name, grid in report.cells.items()
            },
        )
        for key, five in reported.items()
        for period, report in enumerate(five)
    ]


def report_cells(scope, start: datetime.date, end: datetime.date, figures, compared) -> tuple[dict, dict]:
    """The linked cells of the report of a calendar quarter or year: as stored by the night's
    computation of every scope together, while the counts are still those it was made for;
    otherwise this scope's five reports suppressed together (`year_cells`)."""
    year, period = start.year, period_index(start, end)
    system = linked_system(scope, figures, start, end, compared)
    stored = CalendarCells.objects.filter(scope=scope.key, year=year, period=period).first()
    if stored is not None:
        cells = _restored(system, stored.cells)
        if cells is not None:
            return system.point_counts, cells
    own = year_cells(scope, year, figures if period == YEAR else None)[period]
    return own.point_counts, own.cells


def _restored(system: LinkedSystem, stored: dict) -> dict | None:
    """The stored cells, if they are of exactly these counts; else None."""
    cells = {}
    for name, spec in system.counts.items():
        if name in system.rest_names:
            continue
        table = spec.with_totals()
        rows = stored.get(name)
        if rows is None or [[value for value, _status in row] for row in rows] != table:
            return None
        cells[name] = [[count_cell(value, status) for value, status in row] for row in rows]
    return cells if set(cells) == set(stored) else None
