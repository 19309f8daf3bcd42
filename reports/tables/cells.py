"""Report tables: labelled rows of cells whose counts have been through small-cell suppression.

A table is what the page shows, what the CSV export writes and what a chart plots, so the three
can never disagree. Cells keep their display text; a hidden cell has no value for charts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from reports import suppression

COUNT = "count"
SHARE = "share"
DAYS = "days"
DECIMAL = "decimal"


@dataclass(frozen=True)
class Cell:
    text: str
    value: float | int | None  # None when hidden or not available
    status: str = suppression.SHOWN

    @property
    def hidden(self) -> bool:
        return self.status != suppression.SHOWN


NOT_AVAILABLE = Cell("–", None)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = COUNT


@dataclass
class Row:
    label: str
    cells: list[Cell]
    is_total: bool = False


@dataclass
class Table:
    slug: str
    title: str
    row_header: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    definition: str = ""
    chart: dict | None = None  # what charts.js draws, built from the cells
    chart_summary: str = ""  # the chart's text alternative

    def column_values(self, key: str, *, totals: bool = False) -> list:
        index = [c.key for c in self.columns].index(key)
        return [row.cells[index].value for row in self.rows if totals or not row.is_total]

    def column_cells(self, key: str, *, totals: bool = False) -> list[Cell]:
        index = [c.key for c in self.columns].index(key)
        return [row.cells[index] for row in self.rows if totals or not row.is_total]

    def labels(self, *, totals: bool = False) -> list[str]:
        return [row.label for row in self.rows if totals or not row.is_total]

    @property
    def has_hidden(self) -> bool:
        return any(cell.hidden for row in self.rows for cell in row.cells)


def count_cell(value: int, status: str) -> Cell:
    shown = status == suppression.SHOWN
    return Cell(suppression.display(value, status), value if shown else None, status)


def share_cell(numerator: Cell, denominator: Cell, numerator_value: int, denominator_value: int) -> Cell:
    """A percentage, hidden where its numerator or base is hidden or its base is small: a share based on
    fewer than 5 patients, or one whose complement is a small count, would give a small count away."""
    hidden = Cell("x", None, suppression.SECONDARY)
    if numerator.hidden or denominator.hidden:
        return hidden  # before "–": a share "not available" would tell that a hidden base is 0
    if denominator_value == 0:
        return NOT_AVAILABLE
    complement = denominator_value - numerator_value
    if (
        denominator_value < suppression.THRESHOLD
        or suppression.is_small(numerator_value)
        or suppression.is_small(complement)
    ):
        return hidden
    percent = round(100 * numerator_value / denominator_value)
    return Cell(f"{percent} %", percent)


@dataclass(frozen=True)
class Counts:
    """The inner counts of one table and the totals it shows, before suppression."""

    matrix: list[list[int]]
    row_totals: bool
    column_totals: bool

    def with_totals(self) -> list[list[int]]:
        """The counts with the totals appended (computed once; not to be changed by the caller)."""
        return self._with_totals

    @cached_property
    def _with_totals(self) -> list[list[int]]:
        table = [list(row) + ([sum(row)] if self.row_totals else []) for row in self.matrix]
        if self.column_totals:
            width = len(table[0]) if table else 0
            table.append([sum(row[c] for row in table) for c in range(width)])
        return table

    def value(self, row: int, column: int) -> int:
        """A count of the table with its totals; -1 is the total row or column."""
        return self.with_totals()[row][column]

    def suppressed(self) -> list[list[Cell]]:
        """The table's cells suppressed on their own (a table no other table is linked to)."""
        return suppressed_grids({"": self})[""]


def suppressed_grid(matrix, *, row_totals: bool, column_totals: bool) -> list[list[Cell]]:
    """Append the totals asked for to `matrix` (inner counts), suppress, and return cells."""
    return Counts(matrix, row_totals, column_totals).suppressed()


def suppressed_grids(counts: dict[str, Counts], links=(), hidden=(), unpublished=()) -> dict[str, list[list[Cell]]]:
    """Suppress several tables together and return each one's cells. `links` are equations
    between their cells, as in `suppression.Linked`; a cell is (name, row, column) of the table
    with its totals, where -1 is the total row or column. Every link must hold for the counts.
    `hidden`: cells, named the same way, hidden from the start; `unpublished`: cells the reader is
    never shown, protected only where small (both as in `suppression.suppress_linked`)."""
    tables = {name: spec.with_totals() for name, spec in counts.items()}
    grids = {
        name: suppression.Grid(tuple(tuple(row) for row in table), spec.row_totals, spec.column_totals)
        for (name, spec), table in zip(counts.items(), tables.values(), strict=True)
        if table and table[0]
    }
    resolved = []
    for link in links:
        equation: dict[tuple[str, int, int], int] = {}
        for (name, row, column), coefficient in link.items():
            cell = (name, row % len(tables[name]), column % len(tables[name][0]))
            equation[cell] = equation.get(cell, 0) + coefficient
        if sum(coefficient * tables[name][r][c] for (name, r, c), coefficient in equation.items()) != 0:
            raise ValueError(f"the link {link} does not hold for the counts")
        resolved.append({cell: coefficient for cell, coefficient in equation.items() if coefficient})

    def resolve(cells):
        return frozenset((name, row % len(tables[name]), column % len(tables[name][0])) for name, row, column in cells)

    status = suppression.suppress_linked(
        suppression.Linked(grids, tuple(resolved)), hidden_from_start=resolve(hidden), unpublished=resolve(unpublished)
    )
    return {
        name: [[count_cell(value, status[name][r][c]) for c, value in enumerate(row)] for r, row in enumerate(table)]
        if name in grids
        else [[] for _ in table]
        for name, table in tables.items()
    }
