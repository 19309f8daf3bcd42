"""The incremental elimination of reports.suppression decides exactly as its first implementation
(reports.tests.reference_suppression: fractions, one elimination from scratch per secondary cell):
the same determined cells for any system, and the same hidden cells for any linked tables."""

from hypothesis import given, settings
from hypothesis import strategies as st

from reports.suppression import Linked, _determined, suppress_linked
from reports.tests.reference_suppression import reference_determined, reference_suppress_linked
from reports.tests.test_suppression import with_totals

SMALL_OR_NOT = st.one_of(st.integers(0, 4), st.integers(5, 40))


@st.composite
def grids(draw, name):
    rows, cols = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    inner = draw(st.lists(st.lists(SMALL_OR_NOT, min_size=cols, max_size=cols), min_size=rows, max_size=rows))
    return name, with_totals(inner, rows=draw(st.booleans()), columns=draw(st.booleans()))


@st.composite
def linked_systems(draw):
    """One to three tables with or without totals, links of two to five of their cells (the same
    count in two tables, or a count that is the sum of others: the coefficients the reports use),
    and some cells hidden from the start."""
    named = [draw(grids(name)) for name in "abc"[: draw(st.integers(1, 3))]]
    cells = [(name, r, c) for name, grid in named for r in range(grid.shape[0]) for c in range(grid.shape[1])]
    link = st.dictionaries(st.sampled_from(cells), st.sampled_from([-1, 1]), min_size=min(2, len(cells)), max_size=5)
    links = draw(st.lists(link, max_size=4))
    hidden = draw(st.frozensets(st.sampled_from(cells), max_size=3))
    return Linked(dict(named), tuple(links)), hidden


@settings(max_examples=400, deadline=None)
@given(linked_systems())
def test_the_same_cells_are_hidden_as_by_the_reference(system):
    linked, hidden = system
    assert suppress_linked(linked, hidden_from_start=hidden) == reference_suppress_linked(
        linked, hidden_from_start=hidden
    )


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.dictionaries(st.integers(0, 9), st.sampled_from([-3, -2, -1, 0, 1, 2, 3]), min_size=1, max_size=5),
        max_size=10,
    ),
    st.sets(st.integers(0, 9)),
)
def test_the_same_cells_are_determined_as_by_the_reference(equations, hidden):
    assert _determined(equations, hidden) == reference_determined(equations, hidden)
