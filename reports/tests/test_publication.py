"""Suppression by publication (reports.publication): what it publishes never lets a small count
be worked out, checked by the exact solver written apart from it (reports.tests.linear), and it
hides no cell that could have been published."""

from hypothesis import given, settings

from reports.publication import _NullSpace, publish_in_order
from reports.suppression import PRIMARY, SECONDARY, SHOWN, _determined, is_small
from reports.tests.linear import fixed
from reports.tests.test_linked_suppression import system_of, systems_with_unpublished_cells


def flat(linked):
    """{(name, row, column): value} of every grid."""
    return {
        (name, r, c): value
        for name, grid in linked.grids.items()
        for r, row in enumerate(grid.cells)
        for c, value in enumerate(row)
    }


def larger_first(values):
    return lambda cell: (-values[cell], cell)


@settings(max_examples=300, deadline=None)
@given(systems_with_unpublished_cells())
def test_no_small_count_follows_and_no_cell_is_hidden_that_could_be_shown(system):
    linked, unpublished = system
    values, equations = flat(linked), system_of(linked)
    status = publish_in_order(values, equations, larger_first(values), unpublished=unpublished)
    small = {cell for cell, value in values.items() if is_small(value)}
    hidden = {cell for cell, s in status.items() if s != SHOWN} | set(unpublished)
    assert all(status[cell] == PRIMARY for cell in small)
    assert all(status[cell] != SHOWN for cell in unpublished)
    # Nothing small can be worked out from what is shown...
    assert fixed(equations, hidden) & small == set()
    # ...a hidden count that could be worked out is shown (it says nothing new)...
    assert {cell for cell in fixed(equations, hidden) - unpublished if status[cell] == SECONDARY} == set()
    # ...and each cell hidden to protect a small count is needed: showing it gives one away.
    for cell in (cell for cell, s in status.items() if s == SECONDARY and cell not in unpublished):
        assert fixed(equations, hidden - {cell}) & small, cell


@settings(max_examples=200, deadline=None)
@given(systems_with_unpublished_cells())
def test_without_small_counts_everything_is_shown(system):
    linked, unpublished = system
    values = {cell: value + 5 if is_small(value) else value for cell, value in flat(linked).items()}
    # The links still hold: a link ties cells of the same count, which both moved the same way;
    # the sums of the grids do not, so only the links are kept.
    status = publish_in_order(values, list(linked.links), larger_first(values), unpublished=unpublished)
    assert {cell for cell, s in status.items() if s != SHOWN} <= set(unpublished)


def test_the_null_space_agrees_with_the_elimination_after_each_publication():
    """Publishing cells one by one leaves determined exactly the cells that the incremental
    elimination of reports.suppression finds determined with the rest hidden."""
    equations = [
        {"a": 1, "b": 1, "t": -1},
        {"c": 1, "d": 1, "u": -1},
        {"a": 1, "c": 1, "v": -1},
        {"b": 1, "d": 1, "w": -1},
        {"t": 1, "u": 1, "z": -1},
    ]
    cells = sorted({cell for equation in equations for cell in equation})
    space = _NullSpace(equations, cells)
    published: set[str] = set()
    for cell in ["z", "t", "v", "a", "w"]:
        assert space.publish(cell)
        published.add(cell)
        hidden = set(cells) - published
        assert {c for c in hidden if space.determined(c)} == _determined(equations, hidden)


def test_a_year_of_small_months_still_shows_its_total():
    """Twelve months of 0 to 3 patients, the four quarters (each the sum of its months) and the
    year: the months and three of the quarters are small and hidden, the empty quarter is shown,
    and the year's total is still shown: it is a sum of hidden cells that no shown cell splits."""
    months = [0, 2, 0, 1, 0, 0, 3, 0, 0, 0, 0, 0]
    values = {("month", m): n for m, n in enumerate(months)}
    equations = []
    for q in range(4):
        values[("quarter", q)] = sum(months[3 * q : 3 * q + 3])
        equations.append({("quarter", q): -1} | {("month", m): 1 for m in range(3 * q, 3 * q + 3)})
    values[("year",)] = sum(months)
    equations.append({("year",): -1} | {("quarter", q): 1 for q in range(4)})
    status = publish_in_order(values, equations, larger_first(values))
    assert status[("year",)] == SHOWN  # 6
    assert status[("quarter", 0)] == PRIMARY and status[("quarter", 1)] == PRIMARY  # 3 and 1
    assert status[("quarter", 2)] == PRIMARY  # 3
    assert status[("quarter", 3)] == SHOWN  # 0
    hidden = {cell for cell, s in status.items() if s != SHOWN}
    assert fixed(equations, hidden) == set()


def test_known_zeros_are_published_first_and_nothing_else_unchecked():
    values = {"a": 3, "b": 0, "t": 3}
    equations = [{"a": 1, "b": 1, "t": -1}]
    status = publish_in_order(values, equations, lambda cell: cell, known=frozenset({"b"}))
    # The 0 is known to the reader, so the total would give the 3 back: it stays hidden.
    assert status == {"a": PRIMARY, "b": SHOWN, "t": PRIMARY}
    try:
        publish_in_order(values, equations, lambda cell: cell, known=frozenset({"a"}))
    except ValueError as error:
        assert "zeros" in str(error)
    else:
        raise AssertionError("a known small count must be refused")
