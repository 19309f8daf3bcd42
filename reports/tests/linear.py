"""An exact check, written apart from reports.suppression, of what a reader can work out: given
linear equations over named unknowns (each {name: coefficient}, summing to a known number), which
unknowns do they fix? An unknown is fixed exactly when its unit vector lies in the row space of
the equations restricted to the unknowns."""

from collections.abc import Hashable
from fractions import Fraction


def fixed(equations, unknowns) -> set:
    """The unknowns whose values the equations determine (the other cells being known)."""
    unknowns = set(unknowns)
    # pivot unknown -> row (dict), every row reduced against the other pivots
    basis: dict[Hashable, dict[Hashable, Fraction]] = {}
    for equation in equations:
        row = {name: Fraction(c) for name, c in equation.items() if name in unknowns and c}
        row = _reduce(row, basis)
        if not row:
            continue
        pivot = min(row, key=repr)
        scale = row[pivot]
        row = {name: value / scale for name, value in row.items()}
        for other, other_row in basis.items():
            if pivot in other_row:
                factor = other_row[pivot]
                basis[other] = _drop_zeros(
                    {n: other_row.get(n, 0) - factor * row.get(n, 0) for n in other_row.keys() | row.keys()}
                )
        basis[pivot] = row
    return {name for name in unknowns if not _reduce({name: Fraction(1)}, basis)}


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
