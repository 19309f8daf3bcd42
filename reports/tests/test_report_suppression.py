"""A whole report built from small counts chosen so that its tables give each other away: no
hidden count can be worked out from all the shown cells of the report together, with every sum
within a table and every count that two tables share (solved exactly by reports.tests.linear,
written apart from the suppression it checks).

The counts a report shows in more than one table (see reports.links):
- a municipality's row of the comparison is its enrolment table's period row (patients, accepted)
  and the sum of its points tables' period rows (windows closed, inside the window);
- the comparison's community row is the enrolment table's period row of the community (and of
  the health trust, where the trust's hospitals enrolled only the community's patients), and the
  sum over the municipal points tables of the community.
A share of a shown base gives its count back, and "–" (no share: the base is 0) the base.
"""

import datetime

import pytest

from reports import links, report
from reports import scope as scopes
from reports.figures import POINT_CATEGORIES
from reports.models import Measure, MonthlyFigure
from reports.tables.comparison import community_of, comparison_counts
from reports.tests.conftest import END, START
from reports.tests.linear import fixed

pytestmark = pytest.mark.django_db

W = "period"  # the total row of a table by months


@pytest.fixture
def small_world(orgs):
    """Monthly figures written straight (January – June 2025). Askøy: 27 patients (Voss 1), its
    second points 20 and third points 3 (Voss none); Haukeland's first points; a few of the rest."""
    hauk, askoy, voss = orgs["haukeland"], orgs["askoy"], orgs["voss"]
    rows = [
        *[(m, Measure.ENROLMENT, hauk, askoy, "", cat, n) for m, cat, n in
          [(1, "accepted", 6), (1, "declined", 2), (2, "accepted", 7), (3, "accepted", 9), (3, "not_asked", 3)]],
        (4, Measure.ENROLMENT, hauk, voss, "", "accepted", 1),
        *[(m, Measure.POINT, askoy, None, key, cat, n) for m, key, cat, n in
          [(3, "sp2", "in_window", 8), (3, "sp2", "late", 2), (4, "sp2", "in_window", 6), (4, "sp2", "overdue", 1),
           (5, "sp2", "in_window", 3), (5, "sp3", "in_window", 2), (6, "sp3", "late", 1)]],
        *[(m, Measure.POINT, hauk, None, "sp1", cat, n) for m, cat, n in
          [(1, "in_window", 7), (2, "late", 3), (2, "in_window", 5)]],
        (1, Measure.FIRST_POINT, hauk, askoy, "", "10", 3),
        (2, Measure.FIRST_POINT, hauk, askoy, "", "20", 6),
        *[(m, Measure.DISTRESS, org, None, key, cat, n) for m, org, key, cat, n in
          [(3, askoy, "sp2", "low", 4), (4, askoy, "sp2", "middle", 6), (5, askoy, "sp3", "high", 2),
           (1, hauk, "sp1", "low", 5), (2, hauk, "sp1", "missing", 1)]],
        (3, Measure.HELP_AREA, askoy, None, "sp2", "topic-work", 5),
        (4, Measure.HELP_AREA, askoy, None, "sp2", "topic-family", 2),
        (5, Measure.HELP_AREA, askoy, None, "sp3", "topic-work", 1),
        (3, Measure.HANDOVER, askoy, hauk, "", "in_time", 6),
        (3, Measure.HANDOVER, askoy, hauk, "", "late", 1),
        (2, Measure.HANDOVER, hauk, askoy, "", "in_time", 3),
        (3, Measure.BEREAVEMENT, askoy, hauk, "", "contacted", 4),
        (4, Measure.BEREAVEMENT, askoy, hauk, "", "not_contacted", 5),
    ]  # fmt: skip
    MonthlyFigure.objects.bulk_create(
        MonthlyFigure(
            month=datetime.date(2025, m, 1), measure=measure, organisation=org, other_organisation=other,
            key=key, category=category, count=n,
        )
        for m, measure, org, other, key, category, n in rows
    )  # fmt: skip
    return orgs


class System:
    """The report as a reader sees it: named counts, the equations between them, which are shown."""

    def __init__(self):
        self.equations, self.known, self.protected, self.names = [], set(), set(), set()

    def cell(self, name, cell):
        self.names.add(name)
        if cell.hidden:
            self.protected.add(name)
        elif cell.value is not None:
            self.known.add(name)

    def share(self, numerator, denominator, cell):
        """A shown share of a shown base gives the numerator; "–" says the base is 0."""
        self.names |= {numerator, denominator}
        if cell.value is not None and denominator in self.known:
            self.known.add(numerator)
        if cell.text == "–":
            self.known |= {numerator, denominator}

    def sum(self, total, parts):
        self.equations.append({total: -1, **{part: 1 for part in parts}})

    def derivable(self):
        # Every count in an equation is unknown unless shown (a points table's late ones by month
        # are in its sums but on no page).
        names = self.names.union(*(equation.keys() for equation in self.equations))
        return fixed(self.equations, names - self.known) & self.protected


def by_months(system, table, prefix, keys, *, row_totals=True):
    """A table of months (or points) by categories with a total row and a total column."""
    inner = [i for i, row in enumerate(table.rows) if not row.is_total]
    last = [i for i, row in enumerate(table.rows) if row.is_total]
    for i, row in enumerate(table.rows):
        for key, cell in zip([c.key for c in table.columns], row.cells, strict=True):
            if key in keys:
                system.cell((prefix, W if row.is_total else i, key), cell)
    for i in inner + last:
        if row_totals:
            system.sum(
                (prefix, W if i in last else i, keys[-1]), [(prefix, W if i in last else i, k) for k in keys[:-1]]
            )
    if last:
        for key in keys:
            system.sum((prefix, W, key), [(prefix, i, key) for i in inner])


def report_system(built) -> tuple[System, list[str]]:
    system = System()
    by_months(system, built.table("enrolments"), "enrolments", ["accepted", "declined", "not_asked", "total"])
    outcome, trend = built.table("points"), built.table("points_trend")
    keys = [c.key.removesuffix("_in_window") for c in trend.columns if c.key.endswith("_in_window")]
    categories = [*POINT_CATEGORIES, "total"]
    months = [i for i, row in enumerate(trend.rows) if not row.is_total] + [W]
    for key, row in zip(keys, outcome.rows, strict=True):
        cells = dict(zip([c.key for c in outcome.columns], row.cells, strict=True))
        for category in categories:
            system.cell(("point", key, W, category), cells[category])
        for category in POINT_CATEGORIES:
            system.share(("point", key, W, category), ("point", key, W, "total"), cells[f"{category}_share"])
        for month in months:  # every cell of the point's grid, shown or not, is in its sums
            system.sum(("point", key, month, "total"), [("point", key, month, c) for c in POINT_CATEGORIES])
        for category in categories:
            system.sum(("point", key, W, category), [("point", key, m, category) for m in months[:-1]])
    for row, month in zip(trend.rows, months, strict=True):
        cells = dict(zip([c.key for c in trend.columns], row.cells, strict=True))
        for key in keys:
            system.cell(("point", key, month, "in_window"), cells[f"{key}_in_window"])
            system.cell(("point", key, month, "total"), cells[f"{key}_total"])
            system.share(("point", key, month, "in_window"), ("point", key, month, "total"), cells[f"{key}_share"])
    first = built.table("first_point")
    by_months(system, first, "first", ["patients"], row_totals=False)
    for i, row in enumerate(first.rows):
        if row.cells[1].text == "–":
            system.known.add(("first", W if row.is_total else i, "patients"))
    by_months(system, built.table("distress"), "distress", ["low", "middle", "high", "missing", "total"])
    help_areas = built.table("help_areas")
    by_months(system, help_areas, "help", [c.key for c in help_areas.columns])
    handover = built.table("handover")
    by_months(system, handover, "handover", ["in_time", "late", "overdue", "waiting", "total"])
    for i, row in enumerate(handover.rows):
        decided = ("handover", i, "decided")
        system.equations.append({decided: -1, ("handover", i, "total"): 1, ("handover", i, "waiting"): -1})
        system.share(("handover", i, "in_time"), decided, row.cells[-1])
        if row.cells[-1].value is not None:
            system.known.add(decided)
    by_months(system, built.table("bereavement"), "bereavement", ["contacted", "not_contacted", "total"])
    comparison = built.table("comparison")
    if comparison is not None:
        for i, row in enumerate(comparison.rows):
            r = W if row.is_total else i
            enrolled, accepted, judged, in_window = row.cells
            system.cell(("comparison", r, "enrolled"), enrolled)
            system.cell(("comparison", r, "judged"), judged)
            system.share(("comparison", r, "accepted"), ("comparison", r, "enrolled"), accepted)
            system.share(("comparison", r, "in_window"), ("comparison", r, "judged"), in_window)
        rows = [i for i, row in enumerate(comparison.rows) if not row.is_total]
        for column in ("enrolled", "accepted", "judged", "in_window"):
            system.sum(("comparison", W, column), [("comparison", i, column) for i in rows])
    return system, keys


def cross_table(system, built, keys, scope):
    """The counts this data set's report shows twice (they all hold here: Haukeland enrolled only
    patients of the community, and a municipality is responsible only for points 2 and 3)."""
    comparison = built.table("comparison")
    if comparison is None:
        return
    if scope.is_municipality:
        row = [r.label for r in comparison.rows].index(scope.organisation.name)
        linked_keys = keys
    else:
        row, linked_keys = W, [k for k in keys if k in ("sp2", "sp3")] if scope.kind == scopes.COMMUNITY else []
    system.sum(("comparison", row, "enrolled"), [("enrolments", W, "total")])
    system.sum(("comparison", row, "accepted"), [("enrolments", W, "accepted")])
    if linked_keys:
        system.sum(("comparison", row, "judged"), [("point", k, W, "total") for k in linked_keys])
        system.sum(("comparison", row, "in_window"), [("point", k, W, "in_window") for k in linked_keys])


def small_comparison_counts(system, built, scope):
    """The comparison's accepted and inside-the-window counts of 1 to 4 (shown only as shares)
    are protected as much as the shown counts."""
    trust = community_of(scope)
    if trust is None or built.table("comparison") is None:
        return
    counts = comparison_counts(trust, START, END).counts.with_totals()
    for i, values in enumerate(counts):
        r = W if i == len(counts) - 1 else i
        for column, value in (("accepted", values[1]), ("in_window", values[3])):
            if 0 < value < 5:
                system.protected.add(("comparison", r, column))


def leaks(scope):
    built = report.build(scope, START, END)
    system, keys = report_system(built)
    cross_table(system, built, keys, scope)
    small_comparison_counts(system, built, scope)
    assert system.protected, "nothing hidden: the data set tests nothing"
    return system.derivable()


def scopes_of(world):
    return {
        "askoy": scopes.organisation_scope(world["askoy"]),
        "voss": scopes.organisation_scope(world["voss"]),
        "community": scopes.community_scope(world["helse_bergen"]),
        "trust": scopes.organisation_scope(world["helse_bergen"]),
        "haukeland": scopes.organisation_scope(world["haukeland"]),
        "norway": scopes.norway_scope(),
    }


@pytest.mark.parametrize("name", ["askoy", "voss", "community", "trust", "haukeland", "norway"])
def test_no_hidden_count_follows_from_the_whole_report(small_world, name):
    assert leaks(scopes_of(small_world)[name]) == set()


def test_the_data_set_gives_cells_away_when_each_table_is_suppressed_alone(small_world, monkeypatch):
    monkeypatch.setattr(links, "report_links", lambda *args: [])
    every = scopes_of(small_world)
    # Askøy's enrolment table shows its 27 patients, so the comparison's 28 gives Voss's 1; its
    # points tables show 20 second points, so its 23 municipal points give the 3 third points.
    assert ("point", "sp3", W, "total") in leaks(every["askoy"])
    assert ("comparison", 1, "enrolled") in leaks(every["askoy"])
    assert leaks(every["community"])
