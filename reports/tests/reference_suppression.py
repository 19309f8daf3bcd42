"""The suppression's first implementation (reports.suppression before it was made incremental),
kept as the oracle of test_suppression_oracle.py: one Gaussian elimination over fractions from
scratch for every secondary cell. Slow, but simple; the fast one must decide exactly as it did."""

from fractions import Fraction

from reports.suppression import PRIMARY, SECONDARY, SHOWN, THRESHOLD, Linked, is_small


def reference_determined(equations, hidden: set) -> set:
    """The hidden cells whose value the equations fix, given every other cell."""
    # Reduced row echelon form of the system restricted to the hidden cells, kept sparse (each
    # sum holds a few cells of a report's hundreds): pivot cell -> row {cell: coefficient}, and
    # for each cell the pivots whose rows hold it.
    rows: dict = {}
    holding: dict = {}
    for equation in equations:
        row = {cell: Fraction(coefficient) for cell, coefficient in equation.items() if cell in hidden and coefficient}
        for pivot in [cell for cell in row if cell in rows]:
            if pivot in row:  # an earlier step of this loop may have cancelled it
                _subtract(row, rows[pivot], row[pivot])
        if not row:
            continue
        pivot = min(row)
        factor = row[pivot]
        row = {cell: value / factor for cell, value in row.items()}
        for other in list(holding.get(pivot, ())):
            other_row = rows[other]
            before = set(other_row)
            _subtract(other_row, row, other_row[pivot])
            for cell in before - other_row.keys():
                holding[cell].discard(other)
            for cell in other_row.keys() - before:
                holding.setdefault(cell, set()).add(other)
        rows[pivot] = row
        for cell in row:
            holding.setdefault(cell, set()).add(pivot)
    # A cell is determined when its pivot row has no other non-zero entry.
    return {pivot for pivot, row in rows.items() if len(row) == 1}


def _subtract(row: dict, other: dict, scale) -> None:
    """row -= scale * other, in place, dropping the entries that become zero."""
    for cell, value in other.items():
        result = row.get(cell, 0) - scale * value
        if result:
            row[cell] = result
        else:
            row.pop(cell, None)


def reference_suppress_linked(
    linked: Linked, threshold: int = THRESHOLD, hidden_from_start: frozenset[tuple[str, int, int]] = frozenset()
) -> dict[str, list[list[str]]]:
    """The status of every cell of every grid, suppressed together: each grid's own sums and the
    links between grids are one system of equations. One grid without links is suppressed as on
    its own (`suppress`). `hidden_from_start`: cells (name, row, column) hidden from the start for a
    reason of the caller's (shown as "x", and protected like any other hidden cell)."""
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

    def hidden_in(equation, hidden):
        return sum(1 for cell in equation if cell in hidden)

    # The sums each cell takes part in (a grid's cells are in two; a link may hold hundreds of
    # cells, so looking them up beats scanning every sum for every candidate).
    sums_of: dict = {}
    for equation in equations:
        for member in equation:
            sums_of.setdefault(member, []).append(equation)

    def preference(cell, hidden):
        """Prefer a cell whose other sums already hide something (hiding it then exposes no
        new cell, so one extra cell ends the matter instead of starting a chain), then a
        non-zero inner cell, then a total, then a zero; the smallest first."""
        exposes = any(hidden_in(eq, hidden) == 0 for eq in sums_of.get(cell, ()))
        return (exposes, value(cell) == 0, cell in total_cells, value(cell), cell)

    while True:
        hidden = {cell for cell in every_cell if status[cell[0]][cell[1]][cell[2]] != SHOWN}
        exposed = reference_determined(equations, hidden)
        if not exposed:
            return status
        cell = min(exposed)
        # Where the cell is the only hidden one, a subtraction gives it: hide a second cell there.
        # Otherwise (it is fixed by combining several sums) any shown cell in a sum it is part
        # of, and failing that any shown cell in a sum that holds a hidden one.
        containing = sums_of.get(cell, [])
        alone = [eq for eq in containing if hidden_in(eq, hidden) == 1]
        neighbours = {other for eq in (alone or containing) for other in eq if other not in hidden}
        if not neighbours:
            neighbours = {other for eq in equations if hidden & eq.keys() for other in eq if other not in hidden}
        if not neighbours:  # everything that takes part in a sum is hidden already
            return status
        name, r, c = min(neighbours, key=lambda candidate: preference(candidate, hidden))
        status[name][r][c] = SECONDARY
