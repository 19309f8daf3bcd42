"""The reports of a calendar year's four quarters and of the year, suppressed together.

The five reports of one scope overlap: a quarter's report shows the same months as the year's,
its period row is the sum of those months, and the year's comparison of municipalities is the
sum of the quarters'. Suppressed each on its own, two of them can give a small count away by
subtraction (the quarter's total less the year's other months). So these five are one system:
each cell that more than one of them shows is one unknown (a month of a table is the same cell in
the quarter and the year), every sum of every report is an equation, and the cells are chosen by
publication (`reports.publication`): every cell starts hidden and is published, in order of
importance, only while no small count then follows from all five reports together. The order:
zeros first (as a single report shows them), then the year's period row, the quarters' rows and
the months; totals before the cells they add up; larger counts before smaller.

The public delivery figures (reports.public) are the calendar quarters and the year of the last
full year, and read these cells, so what they show the five reports show already.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from directory.models import Organisation
from reports import indicators, links
from reports import scope as scopes
from reports.linked import LinkedSystem, linked_system
from reports.models import CalendarCells, Measure, MonthlyFigure
from reports.publication import publish_in_order
from reports.suppression import SHOWN, Grid, _Elimination
from reports.tables import comparison
from reports.tables.cells import Cell, count_cell
from reports.tables.labels import months_between

Kind = Organisation.Kind
YEAR = 4  # the index of the year among the periods (the four quarters come first)


def periods(year: int) -> list[tuple[str, datetime.date, datetime.date]]:
    """The four calendar quarters and the year: (id, first day, last day)."""
    quarters = []
    for q in range(1, 5):
        start = datetime.date(year, 3 * q - 2, 1)
        end = datetime.date(year, 12, 31) if q == 4 else datetime.date(year, 3 * q + 1, 1) - datetime.timedelta(1)
        quarters.append((f"{year}-Q{q}", start, end))
    return [*quarters, (str(year), datetime.date(year, 1, 1), datetime.date(year, 12, 31))]


def calendar_year(start: datetime.date, end: datetime.date) -> int | None:
    """The year of which the period is a calendar quarter or the whole, else None."""
    if any((first, last) == (start, end) for _id, first, last in periods(start.year)):
        return start.year
    return None


def period_index(start: datetime.date, end: datetime.date) -> int:
    """The index of a calendar period among `periods` of its year (0-3 the quarters, 4 the year)."""
    return [(first, last) for _id, first, last in periods(start.year)].index((start, end))


def _is_monthly(name: str) -> bool:
    """A table with a row per month and a row for the period."""
    name = name.removeprefix(links.REST)
    return name == links.ENROLMENTS or name.startswith("point:")


class Reported(NamedTuple):
    """One report's linked tables after suppression: each point's counts, the cells of each table
    by name, and each table's counts with its totals (what the cells are of)."""

    point_counts: dict
    cells: dict[str, list[list[Cell]]]
    tables: dict[str, list[list[int]]]


@dataclass
class Member:
    """One report of a family suppressed together: whose it is (the scope's key), which of the
    five periods, its months, its linked tables, and the owner of its comparison (the health
    trust whose community it compares: the same table in every report that shows it)."""

    owner: str
    period: int
    months: list[datetime.date]
    system: LinkedSystem
    comparison_owner: str = ""

    def variable(self, name: str, row: int, column: int) -> tuple:
        """The unknown a cell is: a month's row is the same in every report of the owner that
        shows the month, any other row is the period's own; the comparison is its trust's."""
        owner = self.comparison_owner if name.removeprefix(links.REST) == links.COMPARISON else self.owner
        if _is_monthly(name) and row < len(self.months):
            return (owner, name, 0, self.months[row].month, 0, column)
        return (owner, name, 1, self.period, row, column)


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


def suppress_together(members: list[Member], extra=None) -> list[Reported]:
    """The reports (`members`) as one system: every sum of every report, the links within each,
    the year's comparison as the sum of the quarters', and `extra(values)`, more equations
    between the unknowns (by `Member.variable`). Returns each report's (point counts, cells)."""
    values: dict[tuple, int] = {}
    totals: set[tuple] = set()
    equations: list[dict] = []
    where: list[dict[str, list[list[tuple]]]] = []
    shown_somewhere: set[tuple] = set()
    unpublished: set[tuple] = set()
    for member in members:
        system = member.system
        tables = {name: spec.with_totals() for name, spec in system.counts.items()}
        names: dict[str, list[list[tuple]]] = {}
        hidden_here = {(name, r % len(tables[name]), c % len(tables[name][0])) for name, r, c in system.unpublished}
        for name, spec in system.counts.items():
            table = tables[name]
            if not table or not table[0]:
                continue
            width = len(table[0])
            grid = [[member.variable(name, r, c) for c in range(width)] for r in range(len(table))]
            names[name] = grid
            for r, row in enumerate(table):
                for c, value in enumerate(row):
                    variable = grid[r][c]
                    if values.setdefault(variable, value) != value:
                        raise ValueError(f"{variable} is {values[variable]} in one report and {value} in another")
                    if (spec.row_totals and c == width - 1) or (spec.column_totals and r == len(table) - 1):
                        totals.add(variable)
                    (unpublished if (name, r, c) in hidden_here else shown_somewhere).add(variable)
            equations += [
                {grid[r][c]: coefficient for (r, c), coefficient in equation.items()}
                for equation in Grid(tuple(map(tuple, table)), spec.row_totals, spec.column_totals).equations()
            ]
        for link in system.equations:
            equations.append(
                {
                    names[name][r % len(tables[name])][c % len(tables[name][0])]: coefficient
                    for (name, r, c), coefficient in link.items()
                }
            )
        where.append(names)
    equations += _comparison_years(members, where, values)
    if extra is not None:
        equations += extra(values)
    status = publish_in_order(
        values,
        _deduplicated(equations),
        lambda variable: _importance(variable, values[variable], variable in totals),
        unpublished=frozenset(unpublished - shown_somewhere),
        known=frozenset(_known_zeros(members, where)),
    )
    result = []
    for member, names in zip(members, where, strict=True):
        cells: dict[str, list[list[Cell]]] = {}
        for name, spec in member.system.counts.items():
            if name in member.system.rest_names:
                continue
            if name not in names:
                cells[name] = [[] for _ in spec.with_totals()]
                continue
            cells[name] = [[count_cell(values[variable], status[variable]) for variable in row] for row in names[name]]
        result.append(Reported(member.system.point_counts, cells, _tables(member.system)))
    return result


def _deduplicated(equations: list[dict]) -> list[dict]:
    """The equations without repeats (a month's sum is in the quarter's report and the year's)."""
    seen, result = set(), []
    for equation in equations:
        key = frozenset(equation.items())
        if key not in seen:
            seen.add(key)
            result.append(equation)
    return result


def _comparison_years(members: list[Member], where: list[dict], values: dict) -> list[dict]:
    """The year's comparison of municipalities is the sum of the quarters', cell by cell, where
    that holds for the counts."""
    grids: dict[str, dict[int, list[list[tuple]]]] = {}
    for member, names in zip(members, where, strict=True):
        if links.COMPARISON in names:
            grids.setdefault(member.comparison_owner, {})[member.period] = names[links.COMPARISON]
    result = []
    for by_period in grids.values():
        if len(by_period) != len(periods(2000)):
            continue
        for r, row in enumerate(by_period[YEAR]):
            for c, variable in enumerate(row):
                equation = {variable: -1} | {by_period[q][r][c]: 1 for q in range(YEAR)}
                if sum(coefficient * values[cell] for cell, coefficient in equation.items()) == 0:
                    result.append(equation)
    return result


def _known_zeros(members: list[Member], where: list[dict]) -> set[tuple]:
    """A report leaves out a point with nothing counted in its period, so the reader knows that
    point's counts in those months are 0: the month cells of the year's grid of that point."""
    years = {member.owner: names for member, names in zip(members, where, strict=True) if member.period == YEAR}
    known = set()
    for member in members:
        if member.period == YEAR or member.owner not in years:
            continue
        for name, grid in years[member.owner].items():
            if not name.removeprefix(links.REST).startswith("point:") or name in member.system.counts:
                continue
            for month in member.months:
                known |= {variable for row in grid for variable in row if variable[2:4] == (0, month.month)}
    return known


def _importance(variable: tuple, value: int, total: bool) -> tuple:
    """The order of publication: zeros, then the year's row, the quarters' rows, the months;
    totals first; larger counts first."""
    _owner, _name, kind, period, _row, _column = variable
    level = 2 if kind == 0 else 0 if period == YEAR else 1
    return (value != 0, level, not total, -value, variable)


def every_scope() -> list:
    """The scopes a signed-in report can be chosen for: all of Norway, each hospital, health trust
    and municipality, and each health community (a trust that serves municipalities)."""
    orgs = list(Organisation.objects.filter(kind__in=scopes.REPORTED_KINDS).order_by("kind", "name"))
    with_municipalities = set(
        Organisation.objects.filter(kind=Kind.MUNICIPALITY, health_trust__isnull=False).values_list(
            "health_trust", flat=True
        )
    )
    return (
        [scopes.norway_scope()]
        + [scopes.organisation_scope(org) for org in orgs]
        + [
            scopes.community_scope(org)
            for org in orgs
            if org.kind == Kind.HEALTH_TRUST and org.pk in with_municipalities
        ]
    )


def _relations(active: dict[str, scopes.Scope], year: int) -> dict[str, list[dict[str, int]]]:
    """The linear relations between the scopes' counts, by grid name: for the enrolment table and
    each point's grid, a basis of the combinations of scopes (scope key -> coefficient) whose
    counts cancel out in every cell whatever the records, given who could have records.

    A scope's enrolment count is the sum over the pairs (enrolling organisation, patient's
    municipality) it holds (reports.scope), and a point's count the sum over the organisations
    responsible for such points it holds; every cell of a table (a month and an outcome, or a
    period and the total) adds up the same pairs or organisations, each in its own records. So
    the relations are those between the scopes' sets of pairs or organisations, the same for
    every cell: all of Norway as its municipalities, a health trust as its hospitals, a health
    community as its municipalities where its hospitals enrolled only patients of those, and any
    other that the pairs present in the year allow (a reader may know which pairs there are).
    Only the scopes with something counted: the others' counts are zeros, and shown."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    figures = MonthlyFigure.objects.filter(month__gte=start, month__lte=end)
    pairs = set(figures.filter(measure=Measure.ENROLMENT).values_list("organisation", "other_organisation"))
    responsible: dict[str, set[int]] = {}
    for key, org in figures.filter(measure=Measure.POINT).values_list("key", "organisation").distinct():
        responsible.setdefault(key, set()).add(org)
    result = {links.ENROLMENTS: _combinations(active, pairs, lambda ids, pair: pair[0] in ids or pair[1] in ids)}
    for key, orgs in responsible.items():
        result[links.point_grid(key)] = _combinations(active, orgs, lambda ids, org: org in ids)
    return result


def _combinations(active: dict[str, scopes.Scope], units, holds) -> list[dict[str, int]]:
    """A basis of the combinations of scopes whose sets of units (`holds(org_ids, unit)`; all of
    Norway holds every unit) cancel out: the null space of the scopes as columns over the units."""
    units = sorted(units, key=repr)
    equations = [
        {key: 1 for key, scope in active.items() if scope.org_ids is None or holds(scope.org_ids, unit)}
        for unit in units
    ]
    elimination = _Elimination(equations)
    return [vector for key in sorted(active) if (vector := elimination.hide(key)) is not None]


def _area_links(relations: dict[str, list[dict[str, int]]], values: dict) -> list[dict]:
    """Each relation between scopes (`_relations`) in each cell of the tables it is about, where
    it holds for the counts (it always should; a cell where it does not is left out)."""
    cells_of: dict[tuple[str, str], list[tuple]] = {}
    for variable in values:
        if variable[1] in relations:
            cells_of.setdefault((variable[1], variable[0]), []).append(variable)
    result = []
    for name, combinations in relations.items():
        for combination in combinations:
            coordinates = {variable[1:] for owner in combination for variable in cells_of.get((name, owner), [])}
            for coordinate in sorted(coordinates):
                equation = {
                    (owner, *coordinate): coefficient
                    for owner, coefficient in combination.items()
                    if (owner, *coordinate) in values
                }
                if sum(coefficient * values[cell] for cell, coefficient in equation.items()) == 0:
                    result.append(equation)
    return result


def national_cells(year: int) -> dict[str, list[Reported]]:
    """The linked cells of every scope's five reports of the year (as `year_cells` gives one
    scope's), all suppressed together: a cell that one report shows gives no small count of
    another away, across periods, scopes and the comparisons the reports share. By scope key."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    cache: dict = {}
    result: dict[str, list[Reported]] = {}
    members: list[Member] = []
    active: dict[str, scopes.Scope] = {}
    for scope in every_scope():
        own = members_of(scope, year, indicators.load(scope, start, end), comparisons_of(scope, year, cache))
        if all(_all_zero(member.system) for member in own):
            result[scope.key] = [
                Reported(member.system.point_counts, _shown(member.system), _tables(member.system)) for member in own
            ]
        else:
            members += own
            active[scope.key] = scope
    relations = _relations(active, year)
    cells = suppress_together(members, lambda values: _area_links(relations, values))
    for member, reported in zip(members, cells, strict=True):
        result.setdefault(member.owner, []).append(reported)
    return result


def _all_zero(system: LinkedSystem) -> bool:
    return not any(value for spec in system.counts.values() for row in spec.with_totals() for value in row)


def _tables(system: LinkedSystem) -> dict[str, list[list[int]]]:
    """The report's linked tables (not the rests) with their totals."""
    return {name: spec.with_totals() for name, spec in system.counts.items() if name not in system.rest_names}


def _shown(system: LinkedSystem) -> dict:
    """Every cell shown: a report with nothing counted."""
    return {
        name: [[count_cell(value, SHOWN) for value in row] for row in table] for name, table in _tables(system).items()
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
