"""What a reader of one table can work out from its shown cells and its sums (solved by
reports.tests.linear, written apart from the suppression it checks)."""

from reports.tests.linear import fixed


def derivable(table, keys, *, row_totals, column_totals) -> set:
    """The hidden cells (row index, column key) among `keys` that the table's shown cells give
    back: with `row_totals` the last of `keys` is the sum of the others in each row; with
    `column_totals` the table's total row is the sum of the rows above it."""
    index = {column.key: i for i, column in enumerate(table.columns)}
    hidden = {(r, key) for r, row in enumerate(table.rows) for key in keys if row.cells[index[key]].hidden}
    equations = []
    if row_totals:
        equations += [{(r, keys[-1]): -1, **{(r, key): 1 for key in keys[:-1]}} for r in range(len(table.rows))]
    if column_totals:
        inner = [r for r, row in enumerate(table.rows) if not row.is_total]
        total = next(r for r, row in enumerate(table.rows) if row.is_total)
        equations += [{(total, key): -1, **{(r, key): 1 for r in inner}} for key in keys]
    return fixed(equations, hidden)


def texts(row) -> list[str]:
    return [cell.text for cell in row.cells]
