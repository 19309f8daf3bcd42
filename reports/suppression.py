"""Small-cell suppression of count tables: pure Python, no Django, so it is tested exhaustively.

Norwegian practice for health statistics, decided here as:

- **Primary suppression**: a count of 1, 2, 3 or 4 patients is hidden and shown as "<5". A count of
  0 is shown: it says nothing about any person.
- **Secondary suppression**: a table's totals must not give a hidden count back by subtraction (a
  row of 12 with the other cells 3 shown, 7 shown, total 12 gives the hidden 2). Each table says
  which of its rows and columns are sums of the others (`row_totals`: the last column is the sum
  of the row; `column_totals`: the last row is the sum of the column). Those sums are linear
  equations; a hidden cell is *derivable* when the shown cells and the equations determine it,
  whether by one subtraction or by combining several rows and columns. While any hidden cell is
  derivable, one more cell that shares a row or column with it is hidden: first one whose other
  row or column already hides a cell (so the extra cell exposes nothing new and no chain of
  suppressions runs down a column), then the smallest non-zero inner cell (the least information
  lost), then a total, then a zero. Secondary cells are shown as "x", so readers can tell "fewer
  than 5" from "hidden to protect a small count".
- **Across tables**: a report shows some counts in more than one table (a municipality's patients
  in the enrolment table and in the comparison of the health community's municipalities), or a
  count in one table that is the sum of counts in another. Such tables are suppressed together
  (`Linked`, `suppress_linked`): their sums and the links between them are one system, so no
  hidden cell follows from all the shown cells of the report. The same rules choose the cells.

The test of derivability is exact: a cell is determined exactly when no solution of the equations
restricted to the hidden cells with every sum zero (a null vector) moves it. `Elimination` keeps a
basis of those null vectors while cells are hidden one by one (integer elimination, no fractions,
each hidden cell reduced once), so a report's hundreds of cells and dozens of secondary cells cost
milliseconds rather than one elimination from scratch per secondary cell.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

THRESHOLD = 5

SHOWN = "shown"
PRIMARY = "primary"
SECONDARY = "secondary"


def is_small(value: int, threshold: int = THRESHOLD) -> bool:
    """A count that is hidden on its own: 1 to threshold-1 (0 is shown)."""
    return 0 < value < threshold


@dataclass(frozen=True)
class Grid:
    """A table of counts. With `row_totals` the last column holds each row's sum; with
    `column_totals` the last row holds each column's sum (and the corner both)."""

    cells: tuple[tuple[int, ...], ...]
    row_totals: bool = False
    column_totals: bool = False

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.cells), len(self.cells[0]) if self.cells else 0

    def equations(self) -> list[dict[tuple[int, int], int]]:
        """Each sum as {cell: coefficient} with the equation sum(coefficient * value) == 0."""
        rows, cols = self.shape
        equations = []
        if self.row_totals and cols >= 2:
            for r in range(rows):
                equation = {(r, c): 1 for c in range(cols - 1)}
                equation[(r, cols - 1)] = -1
                equations.append(equation)
        if self.column_totals and rows >= 2:
            for c in range(cols):
                equation = {(r, c): 1 for r in range(rows - 1)}
                equation[(rows - 1, c)] = -1
                equations.append(equation)
        return equations


class Elimination:
    """Which hidden cells the equations fix, kept up to date while cells are hidden one by one.

    A hidden cell is determined exactly when no solution of the homogeneous system restricted to
    the hidden cells (a null vector: a change of the hidden values that keeps every sum) moves it.
    So the cells that are *not* determined are the union of the supports of a basis of the null
    space, and that basis grows with each hidden cell: the cell's column (its coefficients in the
    equations) is reduced against the columns hidden before, in echelon form. If it reduces to zero,
    the combination that did it is a new null vector (it moves the new cell, so it is independent
    of the earlier ones, and the null space grows by exactly one); otherwise the null space stays
    as it was and the new cell is determined. Hiding a cell never makes another one determined.

    Exact and fraction-free: columns and combinations hold Python ints, each step multiplies by
    the pivot instead of dividing and then divides by the common divisor (coefficients stay small)."""

    def __init__(self, equations) -> None:
        # cell -> {equation index: coefficient}: the column of the cell in the system
        self._columns: dict = {}
        for index, equation in enumerate(equations):
            for cell, coefficient in equation.items():
                if coefficient:
                    self._columns.setdefault(cell, {})[index] = coefficient
        # pivot equation (the smallest index of the column) -> (reduced column, the combination of
        # hidden cells' columns that gives it, as {cell: coefficient})
        self._echelon: dict[int, tuple[dict, dict]] = {}
        self.hidden: set = set()
        self.free: set = set()  # hidden cells that some null vector moves: not determined

    def hide(self, cell) -> dict | None:
        """Hide the cell; returns the new null vector ({cell: coefficient}) if the null space grew."""
        if cell in self.hidden:
            return None
        self.hidden.add(cell)
        column = dict(self._columns.get(cell, {}))
        combination = {cell: 1}
        while column:
            pivot = min(column)
            if pivot not in self._echelon:
                self._echelon[pivot] = (column, combination)
                return None
            base, base_combination = self._echelon[pivot]
            keep, scale = base[pivot], column[pivot]
            column = combine(column, keep, base, scale)
            combination = combine(combination, keep, base_combination, scale)
            divisor = math.gcd(*column.values(), *combination.values())
            if divisor > 1:
                column = {key: value // divisor for key, value in column.items()}
                combination = {key: value // divisor for key, value in combination.items()}
        self.free.update(combination)
        return combination

    def determined(self) -> set:
        return self.hidden - self.free


def combine(row: dict, keep: int, other: dict, scale: int) -> dict:
    """keep * row - scale * other, without the entries that become zero."""
    result = {key: keep * value for key, value in row.items()}
    for key, value in other.items():
        total = result.get(key, 0) - scale * value
        if total:
            result[key] = total
        else:
            result.pop(key, None)
    return result


def _determined(equations, hidden: set) -> set:
    """The hidden cells whose value the equations fix, given every other cell."""
    elimination = Elimination(equations)
    for cell in hidden:
        elimination.hide(cell)
    return elimination.determined()


@dataclass(frozen=True)
class Linked:
    """Several tables of one report whose counts are tied together: `grids` by name, and `links`,
    the equations between cells of different grids (a count shown in two tables, or a count that
    is the sum of counts of another table), each as {(name, row, column): coefficient} with
    sum(coefficient * value) == 0. A reader has every table of the report at once, so a hidden
    cell must not follow from the shown cells of all of them together."""

    grids: dict[str, Grid]
    links: tuple[dict[tuple[str, int, int], int], ...] = ()


def same(a: tuple[str, int, int], b: tuple[str, int, int]) -> dict[tuple[str, int, int], int]:
    """The link "cell a and cell b hold the same count"."""
    return {a: 1, b: -1}


def suppress(grid: Grid, threshold: int = THRESHOLD) -> list[list[str]]:
    """The status of every cell: SHOWN, PRIMARY ("<5") or SECONDARY ("x")."""
    return suppress_linked(Linked({"": grid}), threshold)[""]


def suppress_linked(
    linked: Linked,
    threshold: int = THRESHOLD,
    hidden_from_start: frozenset[tuple[str, int, int]] = frozenset(),
    unpublished: frozenset[tuple[str, int, int]] = frozenset(),
) -> dict[str, list[list[str]]]:
    """The status of every cell of every grid, suppressed together: each grid's own sums and the
    links between grids are one system of equations. One grid without links is suppressed as on
    its own (`suppress`). `hidden_from_start`: cells (name, row, column) hidden from the start for a
    reason of the caller's (shown as "x", and protected like any other hidden cell).

    `unpublished`: cells the reader is never shown (a month's late points, which only the
    period's row shows; the rest of a share, which is the difference of two shown cells). They
    are unknowns from the start, and only those holding a small count are protected: a reader
    may work out an unpublished 12, never an unpublished 3. So the rest of a share is protected
    by one hidden cell beside it, and the cells chosen to protect it need no protection of
    their own rests."""
    grids = linked.grids
    status = {
        name: [
            [
                PRIMARY if is_small(value, threshold) else SECONDARY if (name, r, c) in hidden_from_start else SHOWN
                for c, value in enumerate(row)
            ]
            for r, row in enumerate(grid.cells)
        ]
        for name, grid in grids.items()
    }
    equations = [
        {(name, *cell): coefficient for cell, coefficient in equation.items()}
        for name, grid in grids.items()
        for equation in grid.equations()
    ]
    equations += [dict(link) for link in linked.links]
    if not equations:
        return status
    total_cells = set()
    for name, grid in grids.items():
        rows, cols = grid.shape
        if grid.row_totals:
            total_cells |= {(name, r, cols - 1) for r in range(rows)}
        if grid.column_totals:
            total_cells |= {(name, rows - 1, c) for c in range(cols)}
    every_cell = [
        (name, r, c) for name, grid in grids.items() for r in range(grid.shape[0]) for c in range(grid.shape[1])
    ]

    def value(cell):
        return grids[cell[0]].cells[cell[1]][cell[2]]

    hidden = {cell for cell in every_cell if status[cell[0]][cell[1]][cell[2]] != SHOWN} | set(unpublished)
    # Unknown to the reader, and no harm if worked out: unpublished cells that are not small.
    unprotected = {cell for cell in unpublished if status[cell[0]][cell[1]][cell[2]] == SHOWN}
    # The sums each cell takes part in, by index (a grid's cells are in two; a link may hold
    # hundreds of cells, so looking them up beats scanning every sum for every candidate), and
    # how many hidden cells each sum holds, kept up to date as cells are hidden.
    sums_of: dict = {}
    for index, equation in enumerate(equations):
        for member in equation:
            sums_of.setdefault(member, []).append(index)
    hidden_in = [sum(1 for cell in equation if cell in hidden) for equation in equations]

    def preference(cell):
        """Prefer a cell whose other sums already hide something (hiding it then exposes no
        new cell, so one extra cell ends the matter instead of starting a chain), then a
        non-zero inner cell, then a total, then a zero; the smallest first."""
        exposes = any(hidden_in[index] == 0 for index in sums_of.get(cell, ()))
        return (exposes, value(cell) == 0, cell in total_cells, value(cell), cell)

    elimination = Elimination(equations)
    for cell in sorted(hidden):
        elimination.hide(cell)
    while True:
        exposed = elimination.determined() - unprotected
        if not exposed:
            return status
        cell = min(exposed)
        # Where the cell is the only hidden one, a subtraction gives it: hide a second cell there.
        # Otherwise (it is fixed by combining several sums) any shown cell in a sum it is part
        # of, and failing that any shown cell in a sum that holds a hidden one.
        containing = sums_of.get(cell, [])
        alone = [index for index in containing if hidden_in[index] == 1]
        neighbours = {other for index in (alone or containing) for other in equations[index] if other not in hidden}
        if not neighbours:
            neighbours = {
                other
                for index, equation in enumerate(equations)
                if hidden_in[index]
                for other in equation
                if other not in hidden
            }
        if not neighbours:  # everything that takes part in a sum is hidden already
            return status
        chosen = min(neighbours, key=preference)
        status[chosen[0]][chosen[1]][chosen[2]] = SECONDARY
        hidden.add(chosen)
        for index in sums_of.get(chosen, ()):
            hidden_in[index] += 1
        elimination.hide(chosen)


def display(value: int, cell_status: str) -> str:
    if cell_status == PRIMARY:
        return f"<{THRESHOLD}"
    if cell_status == SECONDARY:
        return "x"
    return str(value)
