"""Each collaboration point's outcomes over the period: done inside the window, late, not
wanted, cancelled or overdue, with their shares. The trend by month (`points_trend`) shows the
same suppressed grids, one per point, so neither table gives away a cell the other hides."""

from __future__ import annotations

from django.utils.translation import gettext as _

from reports import indicators
from reports.tables.cells import SHARE, Column, Counts, Row, Table, share_cell
from reports.tables.charts import chart, column_dataset
from reports.tables.labels import months_between, point_keys, point_label, point_short

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


def point_grids(figures, start, end, counts=None, grids=None):
    """Each point's counts, those counts with their totals, and its suppressed cells: `counts`
    and `grids` as given by reports.report.build (suppressed with the tables linked to them), or
    computed here for the points on their own."""
    if counts is None:
        counts = point_counts(figures, start, end)
    if grids is None:
        grids = {key: spec.suppressed() for key, spec in counts.items()}
    return counts, {key: spec.with_totals() for key, spec in counts.items()}, grids


def points_table(figures, start, end, counts=None, grids=None) -> Table:
    """The period row of each point's grid: its outcomes, and each outcome's share."""
    counts, raw, grids = point_grids(figures, start, end, counts, grids)
    keys = list(counts)
    categories = indicators.POINT_CATEGORIES
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
    outcome.chart = chart(
        "bar",
        [point_short(key) for key in keys],  # chart axes stay legible
        [column_dataset(outcome, f"{c}_share", CATEGORY_LABELS[c]()) for c in categories],
        stacked=True,
        percent=True,
        horizontal=True,
    )
    outcome.chart_summary = _("Stacked bars: for each collaboration point, the share of each outcome, in per cent.")
    return outcome
