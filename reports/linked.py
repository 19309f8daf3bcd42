"""The count tables of one report that show the same counts (`reports.links`): the enrolment
table, each point's grid and the comparison of the health community's municipalities, with the
rests of their shares, and their suppression together, so that no hidden count follows from the
report as a whole. The public figures (reports.public) read the same cells, so they never show
what a report hides."""

from __future__ import annotations

from dataclasses import dataclass

from reports import links
from reports.tables import enrolments, points
from reports.tables.cells import Counts, suppressed_grids


@dataclass
class LinkedSystem:
    """The count tables of one report that show the same counts (reports.links), before
    suppression: each point's counts; every table by name, the rests of its shares among them;
    the equations between their cells; and the cells no reader is shown."""

    point_counts: dict[str, Counts]
    counts: dict[str, Counts]
    equations: list[dict]
    unpublished: list[tuple[str, int, int]]
    rest_names: frozenset[str]


def linked_system(scope, figures, start, end, compared) -> LinkedSystem:
    """The cells of the enrolment table, of each point's grid and of the comparison (`compared`,
    or None where the report has none), with the links between them and the rests."""
    point_counts = points.point_counts(figures, start, end)
    counts = {links.ENROLMENTS: enrolments.enrolment_counts(figures, start, end)}
    counts |= {links.point_grid(key): spec for key, spec in point_counts.items()}
    if compared is not None:
        counts[links.COMPARISON] = compared.counts
    ids = [pk for pk, _name in compared.municipalities] if compared is not None else None
    equations = links.report_links(scope, counts, ids)
    rest_counts, rest_links, unpublished = links.rests(counts)
    return LinkedSystem(point_counts, counts | rest_counts, equations + rest_links, unpublished, frozenset(rest_counts))


def linked_cells(scope, figures, start, end, compared) -> tuple[dict, dict]:
    """The report's linked count tables suppressed together, so that no hidden count follows from
    the report as a whole: (each point's counts, the cells of each table by name). A report of a
    calendar quarter or year is suppressed together with the other four of its year instead
    (`reports.calendar`, as `build` does)."""
    system = linked_system(scope, figures, start, end, compared)
    cells = suppressed_grids(system.counts, system.equations, unpublished=system.unpublished)
    return system.point_counts, {name: grid for name, grid in cells.items() if name not in system.rest_names}
