"""The whole oversight report for a scope and period: the indicators' counts turned into
suppressed tables, each with its definition and, where it helps, a chart of the same cells."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from directory.models import Organisation
from pathway.definitions import DEFAULT_DEFINITION_KEY, get_definition
from reports import indicators, links
from reports import scope as scopes
from reports.figures import latest_refresh
from reports.models import FiguresRefresh
from reports.percentiles import merge, nearest_rank
from reports.suppression import THRESHOLD
from reports.tables import (
    DAYS,
    NOT_AVAILABLE,
    SHARE,
    Cell,
    Column,
    Counts,
    Row,
    Table,
    share_cell,
    suppressed_grid,
    suppressed_grids,
)

TOP_AREAS = 15


@dataclass
class Report:
    scope: scopes.Scope
    start: datetime.date
    end: datetime.date
    refreshed: FiguresRefresh | None  # when the figures were computed; None: never yet
    tables: list[Table]

    @property
    def today(self) -> datetime.date | None:
        """The day the figures are as of (what was overdue then)."""
        return self.refreshed.as_of if self.refreshed else None

    def table(self, slug: str) -> Table | None:
        return next((t for t in self.tables if t.slug == slug), None)


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def month_label(month: datetime.date) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def point_keys(found) -> list[str]:
    """The national definition's points in order, then any other keys found (older definitions)."""
    national = list(get_definition(DEFAULT_DEFINITION_KEY).point_keys)
    return national + sorted(set(found) - set(national))


def point_number(key: str) -> str:
    """The point's number in the national pathway (its key for a point of another definition)."""
    national = get_definition(DEFAULT_DEFINITION_KEY).point_keys
    return str(national.index(key) + 1) if key in national else key


def point_short(key: str) -> str:
    return _("Point %(n)s") % {"n": point_number(key)}


def point_label(key: str) -> str:
    language = (get_language() or "nb").split("-")[0]
    try:
        title = get_definition(DEFAULT_DEFINITION_KEY).point(key).title
    except KeyError:
        return key
    number = get_definition(DEFAULT_DEFINITION_KEY).point_keys.index(key) + 1
    return _("Point %(number)s: %(title)s") % {"number": number, "title": title.get(language) or title["nb"]}


def area_labels() -> dict[str, str]:
    """Area code to its question text in the current language (the adult questionnaire first)."""
    from assessment import questionnaires

    language = (get_language() or "nb").split("-")[0]
    labels = {}
    for questionnaire in reversed(list(questionnaires.all_questionnaires().values())):
        for item in questionnaire.areas:
            labels[item.area] = item.text.get(language) if hasattr(item.text, "get") else str(item.text)
    adult = questionnaires.all_questionnaires().get("heimveg-needs-adult")
    if adult is not None:
        for item in adult.areas:
            labels[item.area] = item.text.get(language) if hasattr(item.text, "get") else str(item.text)
    return labels


# A chart's axis shows every label, so each is kept short (the table and the tooltip have it whole).
SHORT_LABEL = 24


def shorten(label: str, length: int = SHORT_LABEL) -> str:
    label = str(label)
    return label if len(label) <= length else label[: length - 1].rstrip() + "…"


def month_short(month: datetime.date) -> str:
    """A month on a chart's axis: "Jan 2026" rather than "January 2026"."""
    return formats.date_format(month, "M Y")


def chart(kind, labels, datasets, *, stacked=False, percent=False, horizontal=False, ticks=None, axis=""):
    """What charts.js draws. `labels` name the categories in tooltips; `ticks`, short forms of them
    for the axis, where every one is shown (the labels shortened when not given); `axis`, the
    category axis's title. Each dataset's `suppressed` marks the cells hidden by small-cell
    suppression ("<5" or "x"; None where the value is shown or not available): their value is
    null, and the chart marks them instead of drawing them as zero."""
    return {
        "type": kind,
        "labels": labels,
        "ticks": list(ticks) if ticks is not None else [shorten(label) for label in labels],
        "axis": axis,
        "datasets": datasets,
        "stacked": stacked,
        "percent": percent,
        "horizontal": horizontal,
    }


def dataset(label, data, *, kind=None):
    dataset = {"label": label, "data": data, "suppressed": [None] * len(data)}
    if kind:
        dataset["type"] = kind
    return dataset


def column_dataset(table, key, label):
    """A chart series plotting one column of the table (the same cells; hidden ones as gaps)."""
    cells = table.column_cells(key)
    return {
        "label": label,
        "data": [cell.value for cell in cells],
        "suppressed": [cell.text if cell.hidden else None for cell in cells],
        "column": key,
    }


def enrolment_counts(figures, start, end) -> Counts:
    counts = figures.enrolments_by_month()
    keys = ("accepted", "declined", "not_asked")
    matrix = [[counts.get(m, {}).get(k, 0) for k in keys] for m in months_between(start, end)]
    return Counts(matrix, row_totals=True, column_totals=True)


def enrolment_table(figures, start, end, cells=None) -> Table:
    """`cells`: the table's counts as suppressed with the tables linked to it (see build)."""
    months = months_between(start, end)
    if cells is None:
        cells = enrolment_counts(figures, start, end).suppressed()
    columns = [
        Column("accepted", _("Accepted")),
        Column("declined", _("Declined")),
        Column("not_asked", _("Not yet asked")),
        Column("total", _("Diagnosed and enrolled")),
    ]
    rows = [Row(month_label(m), cells[i]) for i, m in enumerate(months)]
    rows.append(Row(_("Whole period"), cells[-1], is_total=True))
    table = Table(
        "enrolments",
        _("Patients diagnosed and enrolled, and the offer of the pathway"),
        _("Month of diagnosis"),
        columns,
        rows,
        definition=_(
            "Patients whose cancer was diagnosed in the period and who were enrolled, counted by the month of "
            "the diagnosis; a relapse counts as a new enrolment. The answer to the offer is as it stands today: "
            "accepted, declined, or not yet asked. A patient belongs to the organisation that enrolled them and "
            "to the municipality they live in."
        ),
    )
    table.chart = chart(
        "bar",
        table.labels(),
        [column_dataset(table, c.key, c.label) for c in columns[:3]],
        stacked=True,
        ticks=[month_short(m) for m in months],
    )
    table.chart_summary = _("Stacked bars: patients enrolled each month, by their answer to the offer.")
    return table


CATEGORY_LABELS = {
    "in_window": lambda: _("Completed inside the window"),
    "late": lambda: _("Completed late"),
    "not_wanted": lambda: _("Not wanted by the patient"),
    "cancelled": lambda: _("Cancelled (pathway ended)"),
    "overdue": lambda: _("Overdue, not done"),
}


def point_counts(figures, start, end) -> dict[str, Counts]:
    """One grid per point: months × outcome, with totals."""
    data = figures.points_by_key_and_month()
    months = months_between(start, end)
    # The points this scope is responsible for (a municipality has no hospital point); all of the
    # national pathway's when there is nothing yet, so the empty table still shows its rows.
    keys = [k for k in point_keys(data) if k in data] or point_keys(data)
    categories = indicators.POINT_CATEGORIES
    return {
        key: Counts([[data.get(key, {}).get(m, {}).get(c, 0) for c in categories] for m in months], True, True)
        for key in keys
    }


def point_tables(figures, start, end, counts=None, grids=None) -> list[Table]:
    """Outcome of each point over the period, and the monthly share inside the window: both from
    one suppressed grid per point (months × outcome, with totals), so the two tables show the
    same numbers and neither gives away a cell the other hides. `counts` and `grids`: each
    point's counts, and its cells as suppressed with the tables linked to them (see build)."""
    months = months_between(start, end)
    if counts is None:
        counts = point_counts(figures, start, end)
    keys = list(counts)
    categories = indicators.POINT_CATEGORIES
    raw = {key: spec.with_totals() for key, spec in counts.items()}  # with the totals
    if grids is None:
        grids = {key: spec.suppressed() for key, spec in counts.items()}

    columns = [Column(c, CATEGORY_LABELS[c]()) for c in categories] + [Column("total", _("Window closed"))]
    columns += [Column(f"{c}_share", _("%(category)s (%%)") % {"category": CATEGORY_LABELS[c]()}, SHARE)
                for c in categories]  # fmt: skip
    rows = []
    for key in keys:
        cells = grids[key][-1]
        totals, total = raw[key][-1][:-1], raw[key][-1][-1]
        shares = [share_cell(cells[i], cells[-1], totals[i], total) for i in range(len(categories))]
        rows.append(Row(point_label(key), cells + shares))
    outcome = Table(
        "points",
        _("Collaboration points: done inside the window, late, not wanted or overdue"),
        _("Collaboration point"),
        columns,
        rows,
        definition=_(
            "Collaboration points whose window closed in the period (and before the figures were computed), "
            "counted for the "
            "organisation responsible for the point. A municipality's points count once the patient has accepted "
            "the pathway. Inside the window: completed on or before the day the window closes. Late: completed "
            "after that day. Not wanted: the patient did not want the conversation. Cancelled: the pathway ended "
            "first (the patient died, withdrew, or a relapse started a new pathway). Overdue: not done and the "
            "window has closed. Shares are of all points whose window closed."
        ),
    )
    short = [point_short(key) for key in keys]  # chart axes stay legible
    outcome.chart = chart(
        "bar",
        short,
        [column_dataset(outcome, f"{c}_share", CATEGORY_LABELS[c]()) for c in categories],
        stacked=True,
        percent=True,
        horizontal=True,
    )
    outcome.chart_summary = _("Stacked bars: for each collaboration point, the share of each outcome, in per cent.")

    trend_columns = []
    for key in keys:
        number = point_number(key)
        trend_columns += [
            Column(f"{key}_in_window", _("Point %(n)s: inside the window") % {"n": number}),
            Column(f"{key}_total", _("Point %(n)s: window closed") % {"n": number}),
            Column(f"{key}_share", _("Point %(n)s: inside the window (%%)") % {"n": number}, SHARE),
        ]
    trend_rows = []
    for i, month in enumerate(months + [None]):
        cells = []
        for key in keys:
            row = grids[key][i]
            in_window, total = raw[key][i][0], raw[key][i][-1]
            cells += [row[0], row[-1], share_cell(row[0], row[-1], in_window, total)]
        label = month_label(month) if month else _("Whole period")
        trend_rows.append(Row(label, cells, is_total=month is None))
    trend = Table(
        "points_trend",
        _("Collaboration points completed inside the window, by month"),
        _("Month the window closed"),
        trend_columns,
        trend_rows,
        definition=_(
            "The same points as above, by the month in which their window closed: how many closed, how many "
            "were completed inside the window, and that share."
        ),
    )
    trend.chart = chart(
        "line",
        trend.labels(),
        [column_dataset(trend, f"{key}_share", short[i]) for i, key in enumerate(keys)],
        percent=True,
        ticks=[month_short(m) for m in months],
    )
    trend.chart_summary = _("Lines: for each collaboration point, the share completed inside the window, by month.")
    return [outcome, trend]


def first_point_table(figures, start, end) -> Table:
    histograms = figures.days_to_first_point()
    months = months_between(start, end)
    counts = [[sum(histograms.get(m, {}).values())] for m in months]
    cells = suppressed_grid(counts, row_totals=False, column_totals=True)
    rows = []
    for i, month in enumerate(months + [None]):
        histogram = histograms.get(month, {}) if month else merge(histograms.values())
        n = sum(histogram.values())
        enough = n >= THRESHOLD
        if cells[i][0].hidden:
            n = None  # not "–" for a hidden count: it would tell that the count is 0
        median = nearest_rank(histogram, 50) if enough else None
        p90 = nearest_rank(histogram, 90) if enough else None
        rows.append(
            Row(
                month_label(month) if month else _("Whole period"),
                [
                    cells[i][0],
                    Cell(str(median), median)
                    if median is not None
                    else (NOT_AVAILABLE if n == 0 else Cell("x", None, "secondary")),
                    Cell(str(p90), p90)
                    if p90 is not None
                    else (NOT_AVAILABLE if n == 0 else Cell("x", None, "secondary")),
                ],
                is_total=month is None,
            )
        )
    table = Table(
        "first_point",
        _("Days from the diagnosis to the first collaboration point"),
        _("Month of diagnosis"),
        [
            Column("patients", _("Patients with the first point completed")),
            Column("median", _("Median (days)"), DAYS),
            Column("p90", _("90th percentile (days)"), DAYS),
        ],
        rows,
        definition=_(
            "For patients diagnosed in the period whose first collaboration point has been completed: the "
            "number of days from the date of diagnosis to the day the point was completed. Half of the patients "
            "had their first point within the median, nine in ten within the 90th percentile (nearest-rank "
            "method). Not shown for fewer than 5 patients."
        ),
    )
    table.chart = chart(
        "line",
        table.labels(),
        [
            column_dataset(table, "median", _("Median (days)")),
            column_dataset(table, "p90", _("90th percentile (days)")),
        ],
        ticks=[month_short(m) for m in months],
    )
    table.chart_summary = _("Lines: median and 90th percentile of days from diagnosis to the first point, by month.")
    return table


def distress_table(data) -> Table:
    keys = [k for k in point_keys(data) if k in data] or []
    bands = indicators.DISTRESS_BANDS
    matrix = [[data[k][b] for b in bands] for k in keys]
    cells = suppressed_grid(matrix, row_totals=True, column_totals=True) if matrix else []
    columns = [
        Column("low", _("0–3 (below the usual threshold)")),
        Column("middle", _("4–6")),
        Column("high", _("7–10")),
        Column("missing", _("Not recorded")),
        Column("total", _("Conversations")),
    ]
    rows = [Row(point_label(k), cells[i]) for i, k in enumerate(keys)]
    if cells:
        rows.append(Row(_("All points"), cells[-1], is_total=True))
    table = Table(
        "distress",
        _("Distress scores at each collaboration point"),
        _("Collaboration point"),
        columns,
        rows,
        definition=_(
            "Needs assessments completed in the period, by the distress score (0 = none, 10 = extreme, for the "
            "past week) recorded in the conversation. A score of 4 or more is the usual threshold for further "
            "follow-up."
        ),
    )
    table.chart = chart(
        "bar",
        table.labels(),
        [column_dataset(table, c.key, c.label) for c in columns[:4]],
        stacked=True,
        ticks=[point_short(k) for k in keys],
    )
    table.chart_summary = _("Stacked bars: conversations at each collaboration point by distress score.")
    return table


def help_area_table(data) -> Table:
    keys = [k for k in point_keys({k for per in data.values() for k in per}) if any(k in per for per in data.values())]
    ranked = sorted(data, key=lambda area: (-sum(data[area].values()), area))[:TOP_AREAS]
    labels = area_labels()
    matrix = [[data[area].get(k, 0) for k in keys] for area in ranked]
    cells = suppressed_grid(matrix, row_totals=True, column_totals=False) if matrix and keys else []
    columns = [Column(k, point_short(k)) for k in keys]
    columns.append(Column("total", _("All points")))
    rows = [Row(labels.get(area, area), cells[i]) for i, area in enumerate(ranked)]
    table = Table(
        "help_areas",
        _("Areas patients most often want help with"),
        _("Area"),
        columns,
        rows,
        definition=_(
            "In needs assessments completed in the period: how many conversations marked each area as one the "
            "patient wants help with. A conversation can mark several areas. The %(n)s most frequent areas are shown."
        )
        % {"n": TOP_AREAS},
    )
    table.chart = chart("bar", table.labels(), [column_dataset(table, "total", _("All points"))], horizontal=True)
    table.chart_summary = _("Bars: conversations in which the patient wanted help with each area, most frequent first.")
    return table


def handover_table(figures) -> Table:
    data = figures.handover_acknowledgement()
    categories = indicators.HANDOVER_CATEGORIES
    directions = list(data)
    matrix = [[data[d][c] for c in categories] for d in directions]
    cells = suppressed_grid(matrix, row_totals=True, column_totals=False)
    labels = {
        "received": _("All messages") if figures.national else _("Received"),
        "sent": _("Sent"),
    }
    columns = [
        Column("in_time", _("Acknowledged in time")),
        Column("late", _("Acknowledged late")),
        Column("overdue", _("Not acknowledged, past the date")),
        Column("waiting", _("Not acknowledged yet, within the date")),
        Column("total", _("Messages")),
        Column("in_time_share", _("Acknowledged in time (%)"), SHARE),
    ]
    rows = []
    for i, direction in enumerate(directions):
        in_time, total = data[direction]["in_time"], sum(data[direction].values())
        decided = total - data[direction]["waiting"]
        decided_cell = (
            Cell(str(decided), decided) if not any(c.hidden for c in cells[i]) else Cell("x", None, "secondary")
        )
        rows.append(Row(labels[direction], cells[i] + [share_cell(cells[i][0], decided_cell, in_time, decided)]))
    return Table(
        "handover",
        _("Handover messages acknowledged within the agreed time"),
        _("Messages"),
        columns,
        rows,
        definition=_(
            "Handover messages written in the period, received by or sent from the organisations in the report. "
            "A message is acknowledged in time when the receiver acknowledged it on or before the date agreed "
            "for it. The share is of the messages that were acknowledged or are past their date."
        ),
    )


def bereavement_table(figures) -> Table:
    data = figures.bereavement_follow_ups()
    cells = suppressed_grid([[data["contacted"], data["not_contacted"]]], row_totals=True, column_totals=False)
    return Table(
        "bereavement",
        _("Follow-up offered to the bereaved"),
        _("Follow-ups"),
        [
            Column("contacted", _("Relatives contacted")),
            Column("not_contacted", _("Not yet contacted")),
            Column("total", _("Follow-ups offered")),
        ],
        [Row(_("Whole period"), cells[0])],
        definition=_(
            "When a patient in the pathway dies, the municipality is given a follow-up of the bereaved relatives. "
            "Counted here: follow-ups created in the period, and whether the municipality has recorded that it "
            "contacted the relatives."
        ),
    )


def community_of(scope) -> Organisation | None:
    """The health trust whose community a comparison of municipalities is drawn for, if any."""
    if scope.kind == scopes.COMMUNITY:
        return scope.organisation
    if scope.kind == scopes.ORGANISATION and scope.organisation.kind in (
        Organisation.Kind.MUNICIPALITY,
        Organisation.Kind.HEALTH_TRUST,
    ):
        return scope.organisation.owning_health_trust()
    return None


@dataclass
class Comparison:
    """The counts of the comparison of a health community's municipalities, before suppression."""

    municipalities: list[tuple[int, str]]  # (id, name) in the table's order
    counts: Counts  # enrolled, accepted, judged, inside the window; a total row


def comparison_counts(trust, start, end) -> Comparison | None:
    """None for a health trust that serves no municipality (a national special trust)."""
    municipalities = list(
        Organisation.objects.filter(health_trust=trust, kind=Organisation.Kind.MUNICIPALITY)
        .order_by("name")
        .values_list("pk", "name")
    )
    if not municipalities:
        return None
    ids = frozenset(pk for pk, _name in municipalities)
    enrolled, points = indicators.municipalities(ids, start, end)
    raw = [
        [
            enrolled.get(pk, {}).get("enrolled", 0),
            enrolled.get(pk, {}).get("accepted", 0),
            points.get(pk, {}).get("judged", 0),
            points.get(pk, {}).get("in_window", 0),
        ]
        for pk, _name in municipalities
    ]
    return Comparison(municipalities, Counts(raw, row_totals=False, column_totals=True))


def comparison_table(trust, start, end, comparison=None, cells=None) -> Table | None:
    """None for a health trust that serves no municipality (a national special trust).
    `comparison` and `cells`: its counts, and their cells as suppressed with the tables linked to
    them (see build).

    Four columns with a total each: the patients, the accepted, the municipal points and those
    inside the window. The accepted and inside the window are shown only as shares; a share of a
    shown base gives its count back, so they are suppressed as counts (and a share is hidden
    where its count is, as well as where it would give a small count away)."""
    if comparison is None:
        comparison = comparison_counts(trust, start, end)
    if comparison is None:
        return None
    municipalities = comparison.municipalities
    if cells is None:
        cells = comparison.counts.suppressed()
    rows = []
    for i, values in enumerate(comparison.counts.with_totals()):
        e_cell, accepted_cell, j_cell, window_cell = cells[i]
        rows.append(
            Row(
                municipalities[i][1] if i < len(municipalities) else _("The health community (average)"),
                [
                    e_cell,
                    share_cell(accepted_cell, e_cell, values[1], values[0]),
                    j_cell,
                    share_cell(window_cell, j_cell, values[3], values[2]),
                ],
                is_total=i == len(municipalities),
            )
        )
    table = Table(
        "comparison",
        _("Municipalities in the health community of %(trust)s") % {"trust": trust.name},
        _("Municipality"),
        [
            Column("enrolled", _("Patients diagnosed and enrolled")),
            Column("accepted_share", _("Accepted the offer (%)"), SHARE),
            Column("judged", _("Municipal points whose window closed")),
            Column("in_window_share", _("Completed inside the window (%)"), SHARE),
        ],
        rows,
        definition=_(
            "Each municipality of the health community: patients living there who were diagnosed and enrolled in "
            "the period, the share who accepted the pathway, and the share of the municipality's collaboration "
            "points (whose window closed in the period) completed inside the window. The health community's "
            "average is the share over all its municipalities' patients and points together."
        ),
    )
    average = table.rows[-1].cells[3].value if table.rows else None
    names = table.labels()
    table.chart = chart(
        "bar",
        names,
        [
            column_dataset(table, "in_window_share", _("Completed inside the window (%)")),
            dataset(_("The health community (average)"), [average] * len(names), kind="line"),
        ],
        percent=True,
    )
    table.chart_summary = _(
        "Bars: each municipality's share of collaboration points completed inside the window, with a line at "
        "the health community's average."
    )
    return table


def build(scope, start, end) -> Report:
    """The whole report: one query for the scope's figures, and one for the comparison of the
    health community's municipalities where there is one."""
    figures = indicators.load(scope, start, end)
    trust = community_of(scope)
    comparison = comparison_counts(trust, start, end) if trust is not None else None
    # The tables that show the same counts are suppressed together (reports.links).
    points = point_counts(figures, start, end)
    counts = {links.ENROLMENTS: enrolment_counts(figures, start, end)}
    counts |= {links.point_grid(key): spec for key, spec in points.items()}
    if comparison is not None:
        counts[links.COMPARISON] = comparison.counts
    ids = [pk for pk, _name in comparison.municipalities] if comparison is not None else None
    cells = suppressed_grids(counts, links.report_links(scope, counts, ids))
    tables = [enrolment_table(figures, start, end, cells[links.ENROLMENTS])]
    tables += point_tables(figures, start, end, points, {key: cells[links.point_grid(key)] for key in points})
    tables.append(first_point_table(figures, start, end))
    tables.append(distress_table(figures.distress_by_point()))
    tables.append(help_area_table(figures.help_areas_by_point()))
    tables.append(handover_table(figures))
    tables.append(bereavement_table(figures))
    if comparison is not None:
        tables.append(comparison_table(trust, start, end, comparison, cells[links.COMPARISON]))
    return Report(scope, start, end, latest_refresh(), tables)
