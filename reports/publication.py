"""Suppression of several overlapping reports at once, by publishing cells one by one while that
is safe: pure Python, no Django (the cells are any hashable names).

`reports.suppression.suppress_linked` protects one report: it starts from the small counts and
hides one more cell at a time until none of them follows from the rest. Several reports that
overlap (a year's report and its four quarters', which show the same months) are one system of
equations with far more ways to subtract, and hiding cell by cell there runs down whole tables
(docs/public-figures.md, "Known limitations"). Here it goes the other way round: every cell starts
hidden, and the cells are offered for publication in the caller's order of importance; a cell is
published only if no protected cell then follows from what is published. So what is published
is safe at every step, whatever the order, and the order decides only which cells are shown.

The test is exact, as in `reports.suppression`: a hidden cell is determined by the published
ones exactly when no null vector of the system restricted to the hidden cells (a change of the
hidden values that keeps every sum) moves it. `_NullSpace` keeps such a basis, each vector
explicit, and an index from each cell to the vectors that move it. Publishing a cell keeps only
the null vectors that do not move it: one vector that moves it is used to take the cell out of
the others and is then dropped (the null space shrinks by one). A cell is determined once no
vector moves it any more, so publishing a cell is safe exactly when no protected cell loses the
last vector that moved it; that is checked before anything is changed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

from reports.suppression import PRIMARY, SECONDARY, SHOWN, Elimination, combine, is_small

Cell = TypeVar("Cell", bound=Hashable)


class _NullSpace:
    """A basis of the null space of the equations restricted to the hidden cells, with every cell
    hidden at the start."""

    def __init__(self, equations: list[dict], cells: Iterable[Hashable]) -> None:
        self.vectors: dict[int, dict] = {}
        self.moving: dict[Hashable, set[int]] = {}  # cell -> the vectors that move it
        elimination = Elimination(equations)
        for cell in cells:
            self.moving.setdefault(cell, set())
            vector = elimination.hide(cell)
            if vector is not None:
                self._add(len(self.vectors), vector)

    def _add(self, index: int, vector: dict) -> None:
        self.vectors[index] = vector
        for cell in vector:
            self.moving.setdefault(cell, set()).add(index)

    def determined(self, cell) -> bool:
        return not self.moving.get(cell)

    def publish(self, cell, protected: Callable[[Hashable], bool] | None = None) -> bool:
        """Publish the cell unless a cell for which `protected` is true would then be determined
        (None: publish in any case). Returns whether it was published."""
        indexes = self.moving.get(cell, set())
        if not indexes:
            return True  # determined already: publishing it says nothing new
        pivot = min(indexes, key=lambda index: (len(self.vectors[index]), index))
        base = self.vectors[pivot]
        replaced = {}
        for index in indexes - {pivot}:
            vector = self.vectors[index]
            combined = combine(vector, base[cell], base, vector[cell])
            divisor = math.gcd(*combined.values())
            replaced[index] = {key: value // divisor for key, value in combined.items()} if divisor > 1 else combined
        if protected is not None:
            dropped = {pivot, *replaced}
            still_moved = set().union(*replaced.values())
            for other in set(base).union(*(self.vectors[index] for index in replaced)):
                if other == cell or other in still_moved or not protected(other):
                    continue
                if self.moving[other] <= dropped:
                    return False
        for index in (pivot, *replaced):
            for member in self.vectors.pop(index):
                self.moving[member].discard(index)
        for index, vector in replaced.items():
            self._add(index, vector)
        return True


def publish_in_order(
    values: dict[Cell, int],
    equations: list[dict],
    order: Callable[[Cell], tuple],
    *,
    unpublished: frozenset = frozenset(),
    known: frozenset = frozenset(),
    threshold: int | None = None,
) -> dict[Cell, str]:
    """The status of every cell of `values`: SHOWN, PRIMARY (a small count, never published) or
    SECONDARY (not published, so that no small count follows). `equations`: each as {cell:
    coefficient} with sum(coefficient * value) == 0 for the values. `order`: the sort key that
    says which cells to publish first. `unpublished`: cells no reader is shown, unknowns for
    good, protected only where small. `known`: cells a reader knows whatever this says (a
    report that leaves out a point with nothing counted says its counts are 0): published first,
    unchecked, so they must not give away a small count on their own (zeros never do: what zeros
    alone determine is 0). A hidden cell that is not small and follows from the published ones
    is shown as well (it says nothing new)."""
    if any(values[cell] for cell in known):
        raise ValueError("only zeros can be published unchecked")
    small = {cell for cell, value in values.items() if (is_small(value, threshold) if threshold else is_small(value))}
    ordered: list[Cell] = sorted(values, key=order)
    space = _NullSpace(equations, ordered)

    def protected(cell) -> bool:
        return cell in small

    status = {cell: PRIMARY if cell in small else SECONDARY for cell in values}
    for cell in sorted(known, key=order):
        space.publish(cell)
        status[cell] = SHOWN
    candidates = [cell for cell in values if cell not in small and cell not in unpublished and cell not in known]
    for cell in sorted(candidates, key=order):
        if space.publish(cell, protected):
            status[cell] = SHOWN
    for cell in candidates:
        if status[cell] == SECONDARY and space.determined(cell):
            status[cell] = SHOWN
    return status
