"""The scopes a signed-in report can be chosen for, and the linear relations between their counts
(all of Norway as its municipalities, a health trust as its hospitals, ...), found from the
records present rather than written by hand, for the family of every scope's reports
(`reports.calendar.national_cells`)."""

from __future__ import annotations

import datetime

from directory.models import Organisation
from reports import links
from reports import scope as scopes
from reports.models import Measure, MonthlyFigure
from reports.suppression import Elimination

Kind = Organisation.Kind


def every_scope() -> list:
    """The scopes a signed-in report can be chosen for: all of Norway, each hospital, health trust
    and municipality, and each health community (a trust that serves municipalities)."""
    orgs = list(
        Organisation.objects.filter(kind__in=scopes.REPORTED_KINDS)
        .select_related("parent", "health_trust")  # each report's health community, without a query each
        .order_by("kind", "name")
    )
    with_municipalities = set(
        Organisation.objects.filter(kind=Kind.MUNICIPALITY, health_trust__isnull=False).values_list(
            "health_trust", flat=True
        )
    )
    return (
        [scopes.norway_scope()]
        + [scopes.organisation_scope(org) for org in orgs]
        + [
            scopes.community_scope(org)
            for org in orgs
            if org.kind == Kind.HEALTH_TRUST and org.pk in with_municipalities
        ]
    )


def relations_between(active: dict[str, scopes.Scope], year: int) -> dict[str, list[dict[str, int]]]:
    """The linear relations between the scopes' counts, by grid name: for the enrolment table and
    each point's grid, a basis of the combinations of scopes (scope key -> coefficient) whose
    counts cancel out in every cell whatever the records, given who could have records.

    A scope's enrolment count is the sum over the pairs (enrolling organisation, patient's
    municipality) it holds (reports.scope), and a point's count the sum over the organisations
    responsible for such points it holds; every cell of a table (a month and an outcome, or a
    period and the total) adds up the same pairs or organisations, each in its own records. So
    the relations are those between the scopes' sets of pairs or organisations, the same for
    every cell: all of Norway as its municipalities, a health trust as its hospitals, a health
    community as its municipalities where its hospitals enrolled only patients of those, and any
    other that the pairs present in the year allow (a reader may know which pairs there are).
    Only the scopes with something counted: the others' counts are zeros, and shown."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    figures = MonthlyFigure.objects.filter(month__gte=start, month__lte=end)
    pairs = set(figures.filter(measure=Measure.ENROLMENT).values_list("organisation", "other_organisation"))
    responsible: dict[str, set[int]] = {}
    for key, org in figures.filter(measure=Measure.POINT).values_list("key", "organisation").distinct():
        responsible.setdefault(key, set()).add(org)
    result = {links.ENROLMENTS: _combinations(active, pairs, lambda ids, pair: pair[0] in ids or pair[1] in ids)}
    for key, orgs in responsible.items():
        result[links.point_grid(key)] = _combinations(active, orgs, lambda ids, org: org in ids)
    return result


def _combinations(active: dict[str, scopes.Scope], units, holds) -> list[dict[str, int]]:
    """A basis of the combinations of scopes whose sets of units (`holds(org_ids, unit)`; all of
    Norway holds every unit) cancel out: the null space of the scopes as columns over the units."""
    units = sorted(units, key=repr)
    equations = [
        {key: 1 for key, scope in active.items() if scope.org_ids is None or holds(scope.org_ids, unit)}
        for unit in units
    ]
    elimination = Elimination(equations)
    return [vector for key in sorted(active) if (vector := elimination.hide(key)) is not None]


def area_links(relations: dict[str, list[dict[str, int]]], values: dict) -> list[dict]:
    """Each relation between scopes (`relations_between`) in each cell of the tables it is about, where
    it holds for the counts (it always should; a cell where it does not is left out)."""
    cells_of: dict[tuple[str, str], list[tuple]] = {}
    for variable in values:
        if variable[1] in relations:
            cells_of.setdefault((variable[1], variable[0]), []).append(variable)
    result = []
    for name, combinations in relations.items():
        for combination in combinations:
            coordinates = {variable[1:] for owner in combination for variable in cells_of.get((name, owner), [])}
            for coordinate in sorted(coordinates):
                equation = {
                    (owner, *coordinate): coefficient
                    for owner, coefficient in combination.items()
                    if (owner, *coordinate) in values
                }
                if sum(coefficient * values[cell] for cell, coefficient in equation.items()) == 0:
                    result.append(equation)
    return result
