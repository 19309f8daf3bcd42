"""Computing the public delivery figures of the last full year, every night after the monthly
figures (`refresh`, called by the `report_figures` job and `manage.py refresh_report_figures`).

For each area (all of Norway; each health trust with its hospitals; each municipality, the same
scopes as the signed-in reports: `reports.scope`), for each quarter and the year:

- patients registered in Heimveg (diagnosed in the period and enrolled) and how many of them were
  offered the pathway (accepted or declined; not "not yet asked");
- for each collaboration point the area is responsible for: the points whose window closed in the
  period and how many were held inside the window;
- for each point: the median days from the diagnosis to the point, for points held in the period.

Why no hidden count can be worked out (tested in reports/tests/test_public_suppression.py):

1. A public count is shown only where the signed-in report of the same area and period (the
   quarter, or the year) shows the counts it is made of: the enrolment table's and the points
   table's period rows, as `reports.calendar.national_cells` chose them for every report of every
   scope, quarter and the year together (stored here for the report pages: `CalendarCells`). So
   the public page says nothing the signed-in reports do not already say, and those say nothing
   together that gives a small count away.
2. The public counts are then suppressed again together (`reports.suppression.suppress_linked`,
   with the cells of step 1 hidden from the start): in each area's grid the quarters add up to the
   year and the columns to the total, and all of Norway is the sum of the municipalities and of
   the health trusts wherever that holds for the counts. So the page alone, across quarters, the
   year and the areas, gives no hidden count back either.
3. Shares are shown as the reports show them (`reports.tables.cells.share_cell`): only over a
   shown base of at least 5, and not where the part or its complement is a small count.
4. A median is shown only where it rests on at least 5 points (`reports.suppression.THRESHOLD`).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from directory.models import Organisation
from pathway.definitions import DEFAULT_DEFINITION_KEY, get_definition
from pathway.models import CollaborationPoint
from pathway.reporting import counted_from_diagnosis, report_key
from reports import calendar, links
from reports import scope as scopes
from reports.figures import DaysBetween, month_of
from reports.models import CalendarCells, MonthlyFigure, PublicFigures
from reports.percentiles import nearest_rank
from reports.periods import periods
from reports.suppression import PRIMARY, SECONDARY, SHOWN, THRESHOLD
from reports.tables.cells import Cell, Counts, share_cell, suppressed_grids

Kind = Organisation.Kind
NORWAY = "norway"
ENROLMENT = "enrolment"  # the public grid of patients: offered, not offered, registered
# A cell's status in the document: shown, hidden as a small count ("<5"), hidden so that a small
# count cannot be worked out ("x"), or nothing to show ("–").
STATUS = {SHOWN: "shown", PRIMARY: "fewer_than_5", SECONDARY: "hidden"}
NONE = "none"


def last_full_year(as_of: datetime.date) -> int:
    return as_of.year - 1


def point_keys(kind: str) -> list[str]:
    """The national pathway's points an area of this kind is responsible for."""
    keys = list(get_definition(DEFAULT_DEFINITION_KEY).point_keys)
    municipal = links.municipal_keys(keys)
    if kind == Kind.MUNICIPALITY:
        return municipal
    if kind == Kind.HEALTH_TRUST:
        return [key for key in keys if key not in municipal]
    return keys


@dataclass
class Area:
    id: str  # "norway" or the organisation's public id
    kind: str  # "norway", "health_trust" or "municipality"
    organisation: Organisation | None
    scope: scopes.Scope
    keys: list[str]
    grids: dict[str, Counts] = field(default_factory=dict)  # grid name -> quarters x (part, rest)
    hidden: list[tuple[str, int, int]] = field(default_factory=list)  # not shown by a report

    @property
    def grid(self) -> str:
        """The prefix of the area's grid names in the suppression. Suppression breaks ties between
        equally good cells by their names, so the names must not be the random public ids: the
        organisation's key keeps the choice the same from one night and one installation to the next
        (a reader who saw two nights' pages must not see two different choices for the same counts)."""
        return NORWAY if self.organisation is None else f"{self.organisation.pk:09d}"

    @property
    def org(self) -> Organisation:
        """The organisation of any area but all of Norway."""
        if self.organisation is None:
            raise ValueError("all of Norway has no organisation")
        return self.organisation

    def describe(self) -> dict:
        org = self.organisation
        if org is None:
            return {"id": NORWAY, "kind": NORWAY, "name": "Norge", "municipality_number": None}
        return {
            "id": self.id,
            "kind": self.kind,
            "name": org.name,
            "municipality_number": org.municipality_number or None,
        }


def areas() -> list[Area]:
    result = [Area(NORWAY, NORWAY, None, scopes.norway_scope(), point_keys(NORWAY))]
    for org in Organisation.objects.filter(kind__in=(Kind.HEALTH_TRUST, Kind.MUNICIPALITY)).order_by("kind", "name"):
        result.append(Area(str(org.public_id), org.kind, org, scopes.organisation_scope(org), point_keys(org.kind)))
    return result


def _shown(cells: list[Cell], *indexes: int) -> bool:
    return all(not cells[i].hidden for i in indexes)


def _report_rows(area: Area, report: calendar.Reported):
    """What the signed-in report of the area and period shows of its enrolment table's and each
    point's period row: (counts, known) per public grid, `known` saying which of the public
    columns (part, rest, total) follow from the report's shown cells (its linked tables, as
    `reports.calendar.national_cells` gives them)."""
    cells = report.cells
    enrolled = cells[links.ENROLMENTS][-1]  # accepted, declined, not asked, total
    raw = report.point_counts  # key -> Counts
    enrolment_raw = report.tables[links.ENROLMENTS][-1]
    rows = {
        ENROLMENT: (
            [enrolment_raw[0] + enrolment_raw[1], enrolment_raw[2]],
            [
                _shown(enrolled, 0, 1) or _shown(enrolled, 2, 3),
                _shown(enrolled, 2) or _shown(enrolled, 0, 1, 3),
                _shown(enrolled, 3),
            ],
        )
    }
    for key in area.keys:
        if key not in raw:  # no point of this kind in the period: zeros, shown as zeros
            rows[key] = ([0, 0], [True, True, True])
            continue
        period = raw[key].with_totals()[-1]  # in window, late, not wanted, cancelled, overdue, total
        grid = cells[links.point_grid(key)][-1]
        rows[key] = (
            [period[0], period[-1] - period[0]],
            [_shown(grid, 0), _shown(grid, 1, 2, 3, 4) or _shown(grid, 0, 5), _shown(grid, 5)],
        )
    return rows


def _collect(area: Area, year: int, active: set[int], reported: list[calendar.Reported] | None) -> None:
    """Fill the area's public grids (quarters x (part, rest), with the year and the total) and the
    cells its reports do not show (`reported`: its five reports' linked cells, as
    `reports.calendar.national_cells` chose them)."""
    names = [ENROLMENT, *area.keys]
    quarters: dict[str, list[list[int]]] = {name: [] for name in names}
    ids = area.scope.org_ids
    if ids is not None and not (set(ids) & active):  # nothing counted for this area this year
        area.grids = {name: Counts([[0, 0]] * 4, True, True) for name in names}
        return
    if reported is None:
        raise ValueError(f"no reports of {year} were suppressed for an area with figures")
    for row, report in enumerate(reported):
        for name, (values, known) in _report_rows(area, report).items():
            if row < 4:
                quarters[name].append(values)
            area.hidden += [(f"{area.grid}/{name}", row, column) for column, ok in enumerate(known) if not ok]
    area.grids = {name: Counts(quarters[name], True, True) for name in names}


def _links(areas_: list[Area], name: str, counts: dict[str, Counts]) -> list[dict]:
    """All of Norway as the sum of the municipalities, and of the health trusts, cell by cell,
    where that holds for the counts."""
    norway = f"{NORWAY}/{name}"
    if norway not in counts:
        return []
    result = []
    for kind in (Kind.MUNICIPALITY, Kind.HEALTH_TRUST):
        parts = [f"{a.grid}/{name}" for a in areas_ if a.kind == kind and f"{a.grid}/{name}" in counts]
        for r in range(5):
            for c in range(3):
                link = {(norway, r, c): -1} | {(part, r, c): 1 for part in parts}
                if links.holds(link, counts):
                    result.append(link)
    return result


def suppress(areas_: list[Area]) -> dict[str, list[list[Cell]]]:
    """Every area's public grids suppressed together, one system per grid name (the patients,
    each point): grid name "<area grid>/<grid>" (Area.grid) -> cells (quarters and the year x part, rest, total)."""
    result: dict[str, list[list[Cell]]] = {}
    names = {name for area in areas_ for name in area.grids}
    for name in sorted(names):
        counts = {f"{a.grid}/{name}": a.grids[name] for a in areas_ if name in a.grids}
        zero = {grid for grid, spec in counts.items() if not any(any(row) for row in spec.with_totals())}
        for grid in zero:  # nothing counted: every cell a shown 0, no part of any sum that hides
            result[grid] = counts.pop(grid).suppressed()
        hidden = [cell for a in areas_ for cell in a.hidden if cell[0] in counts]
        result |= suppressed_grids(counts, _links(areas_, name, counts), hidden)
    return result


def day_histograms(year: int) -> dict[int, dict[str, dict[int, dict[int, int]]]]:
    """Days from the diagnosis to each point held in the year: {responsible organisation:
    {point: {quarter 0-3: {days: points}}}}, each point under its report key (a definition's point
    that counts as a national point, under the national point's key), and only points that their
    definition counts from the diagnosis (`pathway.reporting.counted_from_diagnosis`). One query."""
    rows = (
        CollaborationPoint.objects.filter(
            counted_from_diagnosis(),
            outcome=CollaborationPoint.Outcome.COMPLETED,
            outcome_on__gte=datetime.date(year, 1, 1),
            outcome_on__lte=datetime.date(year, 12, 31),
        )
        .annotate(m=month_of("outcome_on"), days=DaysBetween("outcome_on", "enrolment__diagnosis_date"), k=report_key())
        .values("responsible_organisation", "k", "m", "days")
        .annotate(n=Count("pk"))
        .order_by()
    )
    result: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(lambda: defaultdict(int))))
    for row in rows:
        result[row["responsible_organisation"]][row["k"]][(row["m"].month - 1) // 3][row["days"]] += row["n"]
    return result


def _median(histogram: dict[int, int]) -> dict:
    n = sum(histogram.values())
    if n == 0:
        return {"value": None, "status": NONE}
    if n < THRESHOLD:
        return {"value": None, "status": STATUS[SECONDARY]}
    return {"value": nearest_rank(histogram, 50), "status": STATUS[SHOWN]}


def _count(cell: Cell) -> dict:
    return {"value": cell.value if not cell.hidden else None, "status": STATUS[cell.status]}


def _share(part: Cell, total: Cell, part_value: int, total_value: int) -> dict:
    cell = share_cell(part, total, part_value, total_value)
    if cell.value is None and not cell.hidden:
        return {"value": None, "status": NONE}
    return {"value": cell.value, "status": STATUS[cell.status]}


def figures_of(area: Area, cells: dict, histograms: dict, year: int) -> list[dict]:
    """The area's figures as the document's rows: one per period, measure and point."""
    rows = []
    if area.organisation is None:
        responsible = list(histograms)
    else:
        responsible = [pk for pk in area.scope.org_ids or ()]
    enrolled_cells = cells[f"{area.grid}/{ENROLMENT}"]
    enrolled_raw = area.grids[ENROLMENT].with_totals()
    for r, (period, _first, _last) in enumerate(periods(year)):
        offered, _rest, registered = enrolled_cells[r]
        rows.append({"period": period, "measure": "registered", "point": None, **_count(registered)})
        raw = enrolled_raw[r]
        rows.append(
            {"period": period, "measure": "offered_share", "point": None, **_share(offered, registered, raw[0], raw[2])}
        )
        for key in area.keys:
            in_window, _late, closed = cells[f"{area.grid}/{key}"][r]
            raw = area.grids[key].with_totals()[r]
            rows.append({"period": period, "measure": "window_closed", "point": key, **_count(closed)})
            rows.append(
                {
                    "period": period,
                    "measure": "in_window_share",
                    "point": key,
                    **_share(in_window, closed, raw[0], raw[2]),
                }
            )
            histogram: dict[int, int] = defaultdict(int)
            for org in responsible:
                by_quarter = histograms.get(org, {}).get(key, {})
                for quarter, days in by_quarter.items():
                    if r == 4 or quarter == r:
                        for value, n in days.items():
                            histogram[value] += n
            rows.append({"period": period, "measure": "median_days", "point": key, **_median(histogram)})
    return rows


def children_of(area: Area, by_org: dict[int, Area]) -> list[Area]:
    """The areas one level down, for the ranking: the health trusts of all of Norway (those with
    hospitals), a health trust's municipalities."""
    if area.kind == NORWAY:
        with_hospitals = set(
            Organisation.objects.filter(kind=Kind.HOSPITAL, parent__isnull=False).values_list("parent", flat=True)
        )
        return sorted(
            (a for a in by_org.values() if a.kind == Kind.HEALTH_TRUST and a.org.pk in with_hospitals),
            key=lambda a: a.org.name,
        )
    if area.kind == Kind.HEALTH_TRUST:
        return sorted(
            (a for a in by_org.values() if a.kind == Kind.MUNICIPALITY and a.org.health_trust_id == area.org.pk),
            key=lambda a: a.org.name,
        )
    return []


def refresh(as_of: datetime.date) -> int:
    """Recompute every area's public figures for the last full year before `as_of` and replace
    the old ones at once (computed first, outside the transaction that swaps them: the
    suppression of every area's reports is the bulk of the work at national scale). Returns the number of
    areas."""
    year = last_full_year(as_of)
    everything = areas()
    active = set(
        MonthlyFigure.objects.filter(month__gte=datetime.date(year, 1, 1), month__lte=datetime.date(year, 12, 31))
        .values_list("organisation", flat=True)
        .distinct()
    ) | set(
        MonthlyFigure.objects.filter(month__gte=datetime.date(year, 1, 1), month__lte=datetime.date(year, 12, 31))
        .exclude(other_organisation=None)
        .values_list("other_organisation", flat=True)
        .distinct()
    )
    reported = calendar.national_cells(year)
    for area in everything:
        _collect(area, year, active, reported.get(area.scope.key))
    cells = suppress(everything)
    histograms = day_histograms(year)
    now = timezone.now()
    by_org = {a.organisation.pk: a for a in everything if a.organisation is not None}
    own = {a.id: figures_of(a, cells, histograms, year) for a in everything}
    documents = []
    for area in everything:
        document: dict[str, Any] = {
            "area": area.describe(),
            "year": year,
            "as_of": as_of.isoformat(),
            "computed_at": now.isoformat(),
            "threshold": THRESHOLD,
            "points": area.keys,
            "periods": [{"id": p, "start": s.isoformat(), "end": e.isoformat()} for p, s, e in periods(year)],
            "figures": own[area.id],
            "children": [
                {"area": child.describe(), "figures": [row for row in own[child.id] if row["period"] == str(year)]}
                for child in children_of(area, by_org)
            ],
        }
        trust_id = area.org.health_trust_id if area.kind == Kind.MUNICIPALITY else None
        if trust_id in by_org:
            document["area"]["health_trust"] = by_org[trust_id].describe()
        documents.append(
            PublicFigures(
                area=area.id,
                organisation=area.organisation,
                year=year,
                as_of=as_of,
                computed_at=now,
                document=document,
            )
        )
    with transaction.atomic():
        PublicFigures.objects.all().delete()
        PublicFigures.objects.bulk_create(documents, batch_size=200)
        CalendarCells.objects.all().delete()
        CalendarCells.objects.bulk_create(calendar.store(year, reported, now), batch_size=200)
    return len(documents)


def latest(area: str) -> PublicFigures | None:
    return PublicFigures.objects.filter(area=area).first()
