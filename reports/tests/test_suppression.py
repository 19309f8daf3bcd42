"""Small-cell suppression: primary ("<5"), secondary (no hidden count can be worked out from the
shown cells and the table's totals), checked by hand and as a property with hypothesis."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from reports.suppression import PRIMARY, SECONDARY, SHOWN, Grid, display, is_small, suppress


def with_totals(inner, rows=True, columns=True):
    """The inner counts with a total column and/or a total row appended."""
    table = [list(row) + ([sum(row)] if rows else []) for row in inner]
    if columns:
        table.append([sum(col) for col in zip(*table, strict=True)])
    return Grid(tuple(tuple(row) for row in table), row_totals=rows, column_totals=columns)


def test_it_hides_one_to_four_and_shows_zero_and_five():
    assert [is_small(v) for v in (0, 1, 4, 5)] == [False, True, True, False]
    status = suppress(Grid(((0, 1, 4, 5),)))
    assert status == [[SHOWN, PRIMARY, PRIMARY, SHOWN]]


def test_it_shows_a_table_without_small_counts_untouched():
    grid = with_totals([[10, 20], [30, 0]])
    assert all(s == SHOWN for row in suppress(grid) for s in row)


def test_a_small_cell_in_a_row_with_a_total_takes_the_next_smallest_cell_with_it():
    # 2 + 7 + 30 = 39: hiding only the 2 gives it back as 39 - 7 - 30.
    status = suppress(Grid(((2, 7, 30, 39),), row_totals=True))
    assert status == [[PRIMARY, SECONDARY, SHOWN, SHOWN]]


def test_it_hides_the_total_when_the_row_has_nothing_else_to_hide():
    status = suppress(Grid(((3, 0, 3),), row_totals=True))
    # The total 3 is small itself; the zero need not be hidden since both unknowns share one row.
    assert status[0][0] == PRIMARY and status[0][2] == PRIMARY


def test_secondary_suppression_covers_rows_and_columns():
    grid = with_totals([[2, 10, 12], [8, 9, 11], [15, 14, 13]])
    status = suppress(grid)
    hidden = {(r, c) for r, row in enumerate(status) for c, s in enumerate(row) if s != SHOWN}
    assert status[0][0] == PRIMARY
    # Row 0 and column 0 each hide a second cell.
    assert any(c != 0 for r, c in hidden if r == 0)
    assert any(r != 0 for r, c in hidden if c == 0)
    assert_not_derivable(grid, status)


def test_display():
    assert display(3, PRIMARY) == "<5"
    assert display(30, SECONDARY) == "x"
    assert display(0, SHOWN) == "0"


def assert_not_derivable(grid, status):
    """Independent of the implementation: for every hidden cell there is another table, differing
    from the true one only in hidden cells (by -1, 0 or +1 each), that satisfies every total the
    table states and in which that cell differs. Then no subtraction or combination of shown
    figures can give the cell's value. (The sums are a graph's incidence system, whose solutions
    are made of such -1/0/+1 cycles, so the search is complete.)"""
    equations = grid.equations()
    hidden = [(r, c) for r, row in enumerate(status) for c, s in enumerate(row) if s != SHOWN]
    relevant = [eq for eq in equations if any(cell in eq for cell in hidden)]
    unproven = set(hidden)
    for deltas in itertools.product((-1, 0, 1), repeat=len(hidden)):
        if not unproven:
            break
        change = dict(zip(hidden, deltas, strict=True))
        if not any(deltas):
            continue
        if all(sum(coef * change.get(cell, 0) for cell, coef in eq.items()) == 0 for eq in relevant):
            unproven -= {cell for cell, delta in change.items() if delta}
    assert not unproven, f"hidden cells {sorted(unproven)} can be worked out from {grid.cells} with {status}"


def grids():
    small_or_not = st.one_of(st.integers(0, 4), st.integers(5, 40))
    return st.tuples(st.integers(1, 3), st.integers(1, 3), st.booleans(), st.booleans()).flatmap(
        lambda shape: st.lists(
            st.lists(small_or_not, min_size=shape[1], max_size=shape[1]), min_size=shape[0], max_size=shape[0]
        ).map(lambda inner: with_totals(inner, rows=shape[2], columns=shape[3]))
    )


@settings(max_examples=500, deadline=None)
@given(grids())
def test_no_hidden_count_can_be_recovered_from_the_shown_figures(grid):
    status = suppress(grid)
    rows, cols = grid.shape
    for r in range(rows):
        for c in range(cols):
            if is_small(grid.cells[r][c]):
                assert status[r][c] == PRIMARY
            elif status[r][c] != SHOWN:
                assert status[r][c] == SECONDARY
    assert_not_derivable(grid, status)
