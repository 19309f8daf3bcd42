"""The counts one report shows in more than one table, as equations between the tables' cells,
so that the tables are suppressed together (`reports.tables.cells.suppressed_grids`).

The count tables of a report, by name (a cell is (name, row, column) of the table with its
totals; -1 is the total row or column):

- `enrolments`: months x (accepted, declined, not yet asked, total), and a row for the period;
- `point:<key>`: for each collaboration point, months x (the outcomes, window closed), and a row
  for the period (the points table shows that row, the trend table the first and last columns);
- `comparison`: the health community's municipalities x (enrolled, accepted, municipal points
  judged, inside the window), and a row for the community. Accepted and inside the window are
  shown as shares of the shown enrolled and judged: a share of a shown base gives its count
  back, so they are counts here.

The links, where the comparison is part of the report:

- a municipality's report: its row of the comparison is its enrolment table's period row
  (enrolled = the total, accepted = accepted), and the sum over its points tables' period rows
  (judged = the windows closed, inside the window = inside the window);
- a health community's report: the comparison's community row is the sum over the points
  tables of the municipal points (a municipality is responsible for those, and only for those),
  and, as for a health trust's report, the enrolment table's period row.

The rests, in every report: a share shown with its base gives its rest back (the patients who
did not accept, the points not held inside the window), so each rest is a count of its own
(`rests`), unpublished, and protected where small:

- `rest:point:<key>`: for each row of the point's grid, the windows closed less those inside
  the window (the trend shows both for each month); the month's other outcomes, which no table
  shows (the points table shows the period's), are unpublished too;
- `rest:comparison`: for each row of the comparison, enrolled less accepted, and judged less
  inside the window;
- `rest:enrolments`: for each row of the enrolment table, the patients offered the pathway
  (accepted or declined: all less those not yet asked), which the public figures show as a share.

A link goes in only where it holds for the counts: the patients a municipality enrolled itself
who live elsewhere, or those a community's hospitals enrolled from outside it, make the
enrolment table larger than the comparison, and a point key that is a hospital's in one
definition and a municipality's in another can make the municipal points differ. Where a link
does not hold, a reader who assumes it works out a wrong number, not a hidden one; where it
holds but is not a rule, suppressing by it only hides more.
"""

from __future__ import annotations

from pathway.definitions import all_definitions
from reports import scope as scopes
from reports.suppression import same
from reports.tables.cells import Counts

REST = "rest:"

ENROLMENTS = "enrolments"
COMPARISON = "comparison"
ENROLLED, ACCEPTED, JUDGED, IN_WINDOW = range(4)  # the comparison's columns
TOTAL = -1
ENROLMENT_ACCEPTED = 0  # the enrolment table's column of accepted
ENROLMENT_NOT_ASKED = 2  # the enrolment table's column of those not yet asked
POINT_IN_WINDOW = 0  # the points tables' column of inside the window


def point_grid(key: str) -> str:
    return f"point:{key}"


def municipal_keys(keys) -> list[str]:
    """The points a municipality is responsible for (the care level of the point in the shipped
    definitions; a hospital's points are a hospital's or a health trust's, never a municipality's)."""
    municipal = {
        point.report_key
        for definition in all_definitions().values()
        for point in definition.points
        if point.is_municipal  # the municipality's, its home services' or its nursing home's
    }
    return [key for key in keys if key in municipal]


def sum_of(total, parts) -> dict:
    """The link "total is the sum of parts"."""
    equation = {total: -1}
    for part in parts:
        equation[part] = equation.get(part, 0) + 1
    return equation


def report_links(scope, counts: dict[str, Counts], municipality_ids: list[int] | None) -> list[dict]:
    """The links between the report's count tables (`counts` by name) that hold for its counts.
    `municipality_ids`: the comparison's rows, None when the report has no comparison."""
    if municipality_ids is None or COMPARISON not in counts:
        return []
    keys = [name.removeprefix("point:") for name in counts if name.startswith("point:")]
    row, linked_keys = TOTAL, []
    if scope.is_municipality:
        if scope.organisation.pk not in municipality_ids:
            return []
        row, linked_keys = municipality_ids.index(scope.organisation.pk), keys
    elif scope.kind == scopes.COMMUNITY:
        linked_keys = municipal_keys(keys)
    candidates = [
        same((COMPARISON, row, ENROLLED), (ENROLMENTS, TOTAL, TOTAL)),
        same((COMPARISON, row, ACCEPTED), (ENROLMENTS, TOTAL, ENROLMENT_ACCEPTED)),
    ]
    if linked_keys:
        candidates += [
            sum_of((COMPARISON, row, JUDGED), [(point_grid(key), TOTAL, TOTAL) for key in linked_keys]),
            sum_of((COMPARISON, row, IN_WINDOW), [(point_grid(key), TOTAL, POINT_IN_WINDOW) for key in linked_keys]),
        ]
    return [link for link in candidates if holds(link, counts)]


def holds(link: dict, counts: dict[str, Counts]) -> bool:
    if any(not counts[name].with_totals() or not counts[name].with_totals()[0] for name, _r, _c in link):
        return False
    return sum(coefficient * counts[name].value(r, c) for (name, r, c), coefficient in link.items()) == 0


def rests(counts: dict[str, Counts]) -> tuple[dict[str, Counts], list[dict], list[tuple[str, int, int]]]:
    """The rests of the shares the report shows, as counts of their own: (their tables, the links
    that tie each rest to the two cells it is the difference of, the unpublished cells: every rest,
    and the points' monthly outcomes other than inside the window)."""
    tables, equations, unpublished = {}, [], []
    for name, spec in counts.items():
        table = spec.with_totals()
        if not table or not table[0]:
            continue
        if name.startswith("point:"):
            shares = [(POINT_IN_WINDOW, TOTAL)]
            width = len(table[0])
            unpublished += [(name, r, c) for r in range(len(spec.matrix)) for c in range(1, width - 1)]
        elif name == COMPARISON:
            shares = [(ACCEPTED, ENROLLED), (IN_WINDOW, JUDGED)]
        elif name == ENROLMENTS:
            shares = [(ENROLMENT_NOT_ASKED, TOTAL)]
        else:
            continue
        rest = REST + name
        matrix = [[spec.value(r, base) - spec.value(r, part) for part, base in shares] for r in range(len(table))]
        for r in range(len(table)):
            for column, (part, base) in enumerate(shares):
                equations.append({(rest, r, column): 1, (name, r, base): -1, (name, r, part): 1})
                unpublished.append((rest, r, column))
        tables[rest] = Counts(matrix, row_totals=False, column_totals=False)
    return tables, equations, unpublished
