"""Several reports suppressed together as one system (a family): a scope's five reports of a
calendar year (`reports.calendar.year_cells`), or every scope's (`national_cells`).

Each cell that more than one report shows is one unknown: a month of a table is the same cell in
the quarter's report and the year's, and the comparison of a health community's municipalities is
one table in every report that shows it. Every sum of every report is an equation, with the links
within each report (`reports.links`), the year's comparison as the sum of the quarters', and any
equations the caller adds (the relations between scopes: `reports.relations`). A report that
leaves out a point with nothing counted in its period tells the reader those counts are 0, so they
are known from the start. The cells are then chosen by publication (`reports.publication`): every
cell starts hidden and is published in order of importance only while no small count follows from
all the reports together. The order: zeros first (as a single report shows them), then the year's
period row, the quarters' rows and the months; totals before the cells they add up; larger counts
before smaller.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from reports import links
from reports.linked import LinkedSystem
from reports.periods import YEAR
from reports.publication import publish_in_order
from reports.suppression import Grid
from reports.tables.cells import Cell, count_cell


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
    trust whose community it compares: the same table in every report that shows it). A family
    is of one calendar year, so a month is known by its number."""

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
        result.append(Reported(member.system.point_counts, cells, tables_of(member.system)))
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
        if len(by_period) != YEAR + 1:
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


def tables_of(system: LinkedSystem) -> dict[str, list[list[int]]]:
    """The report's linked tables (not the rests) with their totals."""
    return {name: spec.with_totals() for name, spec in system.counts.items() if name not in system.rest_names}
