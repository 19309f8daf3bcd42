"""Report tables: labelled rows of cells whose counts have been through small-cell suppression.

A table is what the page shows, what the CSV export writes and what a chart plots, so the three
can never disagree. Cells keep their display text; a hidden cell has no value for charts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
    if denominator_value == 0:
        return NOT_AVAILABLE
    complement = denominator_value - numerator_value
    if (
        numerator.hidden
        or denominator.hidden
        or denominator_value < suppression.THRESHOLD
        or suppression.is_small(numerator_value)
        or suppression.is_small(complement)
    ):
        return Cell("x", None, suppression.SECONDARY)
    percent = round(100 * numerator_value / denominator_value)
    return Cell(f"{percent} %", percent)


def suppressed_grid(matrix, *, row_totals: bool, column_totals: bool) -> list[list[Cell]]:
    """Append the totals asked for to `matrix` (inner counts), suppress, and return cells."""
    table = [list(row) + ([sum(row)] if row_totals else []) for row in matrix]
    if column_totals:
        width = len(table[0]) if table else 0
        table.append([sum(row[c] for row in table) for c in range(width)])
    if not table or not table[0]:
        return [[] for _ in table]
    grid = suppression.Grid(tuple(tuple(row) for row in table), row_totals=row_totals, column_totals=column_totals)
    status = suppression.suppress(grid)
    return [[count_cell(table[r][c], status[r][c]) for c in range(len(table[r]))] for r in range(len(table))]
