"""Tables suppressed together (suppression.Linked): a count shown in two tables, or a count in
one table that is the sum of counts in another, must not give a hidden cell away, checked by an
exact solver written apart from the implementation (reports.tests.linear)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from reports.suppression import (
    PRIMARY,
    SECONDARY,
    SHOWN,
    Grid,
    Linked,
    _determined,
    same,
    suppress,
    suppress_linked,
)
from reports.tables.cells import Counts, suppressed_grids
from reports.tests.linear import fixed
from reports.tests.test_suppression import with_totals


def derivable(linked, status):
    """The hidden cells that the shown cells of all the grids and all the equations determine."""
    return fixed(system_of(linked), hidden_in(status))


def system_of(linked):
    """Every grid's sums and every link, as equations over (name, row, column)."""
    equations = [
        {(name, *cell): coefficient for cell, coefficient in equation.items()}
        for name, grid in linked.grids.items()
        for equation in grid.equations()
    ]
    return equations + list(linked.links)


def hidden_in(status):
    return {
        (name, r, c)
        for name, rows in status.items()
        for r, row in enumerate(rows)
        for c, s in enumerate(row)
        if s != SHOWN
    }


def comparison_and_enrolments():
    """A comparison of two municipalities (7 and 1 patients, 8 in all) and the first
    municipality's own enrolment table (5 accepted, 2 declined, 7 in all): the 7 is in both."""
    comparison = Grid(((7,), (1,), (8,)), column_totals=True)
    enrolments = Grid(((5, 2, 7),), row_totals=True)
    return Linked(
        {"comparison": comparison, "enrolments": enrolments}, (same(("comparison", 0, 0), ("enrolments", 0, 2)),)
    )


def test_per_table_suppression_leaves_a_cell_derivable_through_the_other_table():
    linked = comparison_and_enrolments()
    alone = {name: suppress(grid) for name, grid in linked.grids.items()}
    # On its own the comparison hides the 1 and the 7; the enrolment table shows its total 7,
    # and 8 - 7 gives the 1 back.
    assert alone["comparison"] == [[SECONDARY], [PRIMARY], [SHOWN]]
    assert alone["enrolments"][0][2] == SHOWN
    assert derivable(linked, alone) == {("comparison", 0, 0), ("comparison", 1, 0)}


def test_linked_tables_are_suppressed_together():
    linked = comparison_and_enrolments()
    status = suppress_linked(linked)
    assert status["comparison"][1][0] == PRIMARY and status["enrolments"][0][1] == PRIMARY
    assert derivable(linked, status) == set()
    # One more cell where the two tables meet: the enrolment total or the comparison's total.
    assert status["enrolments"][0][2] == SECONDARY or status["comparison"][2][0] == SECONDARY


def test_a_total_that_is_the_sum_of_totals_of_other_tables():
    # Two points tables (a point's outcomes, with the total) and one comparison row that is the
    # sum of the two totals: 20 + 3 = 23 gives the hidden 3 back unless more is hidden.
    point2, point3 = Grid(((12, 8, 20),), row_totals=True), Grid(((0, 3, 3),), row_totals=True)
    comparison = Grid(((23,), (0,), (23,)), column_totals=True)
    link = {("comparison", 0, 0): -1, ("point2", 0, 2): 1, ("point3", 0, 2): 1}
    linked = Linked({"point2": point2, "point3": point3, "comparison": comparison}, (link,))
    alone = {name: suppress(grid) for name, grid in linked.grids.items()}
    assert derivable(linked, alone) == {("point3", 0, 1), ("point3", 0, 2)}
    status = suppress_linked(linked)
    assert derivable(linked, status) == set()
    assert status["point3"][0][2] == PRIMARY


def test_one_grid_without_links_is_suppressed_as_on_its_own():
    grid = with_totals([[2, 10, 12], [8, 9, 11], [15, 14, 13]])
    other = with_totals([[1, 7], [30, 4]])
    status = suppress_linked(Linked({"a": grid, "b": other}))
    assert status == {"a": suppress(grid), "b": suppress(other)}


def test_suppressed_grids_resolves_totals_and_refuses_a_link_that_does_not_hold():
    counts = {"comparison": Counts([[7], [1]], False, True), "enrolments": Counts([[5, 2]], True, False)}
    cells = suppressed_grids(counts, [same(("comparison", 0, 0), ("enrolments", -1, -1))])
    comparison = [row[0].text for row in cells["comparison"]]
    # -1, -1 is the enrolment table's total 7: with it shown, the comparison hides its total 8.
    assert comparison == ["7", "<5", "x"] and cells["enrolments"][0][2].text == "7"
    try:
        suppressed_grids(counts, [same(("comparison", 1, 0), ("enrolments", -1, -1))])
    except ValueError:
        pass
    else:
        raise AssertionError("a link that does not hold was taken")


def linked_grids():
    """A grid with row totals (and maybe column totals), and a one-column table of its row
    totals with their sum: the same counts shown twice, as the comparison shows the enrolments."""
    small_or_not = st.one_of(st.integers(0, 4), st.integers(5, 40))
    return st.tuples(st.integers(1, 3), st.integers(1, 3), st.booleans()).flatmap(
        lambda shape: st.tuples(
            st.lists(
                st.lists(small_or_not, min_size=shape[1], max_size=shape[1]), min_size=shape[0], max_size=shape[0]
            ),
            st.lists(small_or_not, min_size=1, max_size=2),  # rows of the column not in the grid
            st.just(shape[2]),
        )
    )


@settings(max_examples=300, deadline=None)
@given(linked_grids())
def test_no_hidden_count_can_be_recovered_from_linked_tables(example):
    inner, extra, column_totals = example
    grid = with_totals(inner, rows=True, columns=column_totals)
    row_totals = [sum(row) for row in inner]
    column = Grid(tuple((v,) for v in [*row_totals, *extra, sum(row_totals) + sum(extra)]), column_totals=True)
    links = [same(("grid", r, len(inner[0])), ("column", r, 0)) for r in range(len(inner))]
    if column_totals and not extra:  # the column's total is the grid's corner as well
        links.append(same(("grid", len(inner), len(inner[0])), ("column", len(inner), 0)))
    linked = Linked({"grid": grid, "column": column}, tuple(links))
    status = suppress_linked(linked)
    for name, g in linked.grids.items():
        for r, row in enumerate(g.cells):
            for c, value in enumerate(row):
                assert status[name][r][c] == PRIMARY if 0 < value < 5 else status[name][r][c] in (SHOWN, SECONDARY)
    assert derivable(linked, status) == set(), (inner, extra, status)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.dictionaries(st.integers(0, 7), st.sampled_from([-2, -1, 1, 2]), min_size=1, max_size=4),
        max_size=8,
    ),
    st.sets(st.integers(0, 7)),
)
def test_the_elimination_finds_exactly_the_determined_cells(equations, hidden):
    """The sparse elimination against the solver written apart from it, on any small system."""
    assert _determined(equations, hidden) == fixed(equations, hidden)


def rest_of_a_share(inner, unpublished_rest=True):
    """A column of parts (inside the window, say) over a column of bases (windows closed) for
    months and the period, with each month's rest (base less part) as an unpublished count of its
    own, tied to the two cells it is the difference of."""
    parts = Grid(tuple((part,) for part, _base in inner) + ((sum(p for p, _ in inner),),), column_totals=True)
    bases = Grid(tuple((base,) for _part, base in inner) + ((sum(b for _, b in inner),),), column_totals=True)
    rests = Grid(tuple((base - part,) for part, base in inner))
    links = tuple({("rest", r, 0): 1, ("base", r, 0): -1, ("part", r, 0): 1} for r in range(len(inner)))
    unpublished = frozenset(("rest", r, 0) for r in range(len(inner))) if unpublished_rest else frozenset()
    return Linked({"part": parts, "base": bases, "rest": rests}, links), unpublished


def test_a_small_rest_is_protected_by_one_cell_beside_it_and_one_more_in_its_column():
    # March: 10 of 12 inside the window, so 2 outside: 10 and 12 shown would give the 2 away.
    linked, unpublished = rest_of_a_share([(20, 30), (10, 12), (15, 25), (30, 41)])
    status = suppress_linked(linked, unpublished=unpublished)
    assert status["rest"][1][0] == PRIMARY  # the small rest, never shown
    hidden = {(name, r) for name in ("part", "base") for r, row in enumerate(status[name]) if row[0] != SHOWN}
    # Its part (the smaller cell beside it), and the smallest other month's part (15) so that the
    # period's sum does not give it back; that month's rest of 10 needs no protection.
    assert hidden == {("part", 1), ("part", 2)}
    assert fixed_with_rests(linked, status, unpublished) == set()


def test_a_rest_of_five_or_more_may_be_worked_out():
    linked, unpublished = rest_of_a_share([(20, 30), (10, 15)])
    status = suppress_linked(linked, unpublished=unpublished)
    assert all(row[0] == SHOWN for name in ("part", "base") for row in status[name])


def test_without_the_rest_the_same_tables_give_it_away():
    linked, _unpublished = rest_of_a_share([(20, 30), (10, 12)], unpublished_rest=False)
    status = suppress_linked(linked)
    # The rest table is then a count on show: its 2 is hidden, and the suppression has to protect
    # it as a published cell, which costs more than the part beside it (here, each rest cell too).
    assert status["rest"][1][0] == PRIMARY
    assert fixed_with_rests(linked, status, frozenset()) == set()


def fixed_with_rests(linked, status, unpublished):
    """The protected unknowns the reader can work out: hidden published cells, and unpublished
    cells that hold a small count (a rest of 1 to 4)."""
    hidden = hidden_in(status)
    protected = (hidden - unpublished) | {cell for cell in unpublished if cell in hidden}
    return fixed(system_of(linked), hidden | unpublished) & protected


@st.composite
def systems_with_unpublished_cells(draw):
    """Up to three tables, some links, and a few cells the reader is never shown."""
    named = [
        (name, with_totals(inner, rows=draw(st.booleans()), columns=draw(st.booleans())))
        for name in "abc"[: draw(st.integers(1, 3))]
        for rows, cols in [(draw(st.integers(1, 4)), draw(st.integers(1, 4)))]
        for inner in [
            draw(
                st.lists(
                    st.lists(st.one_of(st.integers(0, 4), st.integers(5, 40)), min_size=cols, max_size=cols),
                    min_size=rows,
                    max_size=rows,
                )
            )
        ]
    ]
    grids = dict(named)
    cells = [(name, r, c) for name, grid in named for r in range(grid.shape[0]) for c in range(grid.shape[1])]
    # Links that hold for the counts, as the reports' do: two cells with the same count.
    pairs = draw(st.lists(st.tuples(st.sampled_from(cells), st.sampled_from(cells)), max_size=6))
    links = tuple(
        same(a, b) for a, b in pairs if a != b and grids[a[0]].cells[a[1]][a[2]] == grids[b[0]].cells[b[1]][b[2]]
    )
    unpublished = draw(st.frozensets(st.sampled_from(cells), max_size=4))
    return Linked(grids, links), unpublished


@settings(max_examples=300, deadline=None)
@given(systems_with_unpublished_cells())
def test_no_protected_cell_follows_and_unpublished_ones_are_never_chosen(system):
    """Checked by the exact solver apart from the implementation (reports.tests.linear): no hidden
    published cell and no small unpublished cell is fixed by the shown cells; an unpublished cell
    is never hidden to protect another (hiding what is not shown protects nothing)."""
    linked, unpublished = system
    status = suppress_linked(linked, unpublished=unpublished)
    # A hidden cell that the links force to 0 (a count tied to its column's total, so the others
    # in the column are 0) can always be worked out: once every cell of its sums is hidden, what
    # fixes it is sums of hidden cells alone, and those fix a cell only at 0. A 0 gives nothing
    # away; it is shown anyway.
    given_away = {cell for cell in fixed_with_rests(linked, status, unpublished) if value_of(linked, cell)}
    assert given_away == set()
    assert all(status[name][r][c] != SECONDARY for name, r, c in unpublished)


def value_of(linked, cell):
    name, r, c = cell
    return linked.grids[name].cells[r][c]
