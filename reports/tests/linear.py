"""An exact check, written apart from reports.suppression, of what a reader can work out: given
linear equations over named unknowns (each {name: coefficient}, summing to a known number), which
unknowns do they fix? An unknown is fixed exactly when its unit vector lies in the row space of
the equations restricted to the unknowns."""

from collections.abc import Hashable
from fractions import Fraction


class Span:
    """The linear span of some vectors ({name: coefficient}), kept in reduced row echelon form
    (pivot name -> row, every row reduced against the other pivots): does it hold a vector?"""

    def __init__(self, vectors=()):
        self.basis: dict[Hashable, dict[Hashable, Fraction]] = {}
        for vector in vectors:
            self.add(vector)

    def add(self, vector) -> None:
        row = _reduce({name: Fraction(c) for name, c in vector.items() if c}, self.basis)
        if not row:
            return
        pivot = min(row, key=repr)
        scale = row[pivot]
        row = {name: value / scale for name, value in row.items()}
        for other, other_row in self.basis.items():
            if pivot in other_row:
                factor = other_row[pivot]
                self.basis[other] = _drop_zeros(
                    {n: other_row.get(n, 0) - factor * row.get(n, 0) for n in other_row.keys() | row.keys()}
                )
        self.basis[pivot] = row

    def holds(self, vector) -> bool:
        return not _reduce({name: Fraction(c) for name, c in vector.items() if c}, self.basis)


def fixed(equations, unknowns) -> set:
    """The unknowns whose values the equations determine (the other cells being known)."""
    unknowns = set(unknowns)
    span = Span({name: c for name, c in equation.items() if name in unknowns} for equation in equations)
    return {name for name in unknowns if span.holds({name: 1})}


def _reduce(row, basis):
    row = dict(row)
    for pivot, pivot_row in basis.items():
        if row.get(pivot):
            factor = row[pivot]
            row = {n: row.get(n, 0) - factor * pivot_row.get(n, 0) for n in row.keys() | pivot_row.keys()}
            row = _drop_zeros(row)
    return row


def _drop_zeros(row):
    return {name: value for name, value in row.items() if value != 0}
