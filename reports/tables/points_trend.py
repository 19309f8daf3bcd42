"""Each collaboration point's share completed inside the window, by the month the window
closed: the same suppressed grids as the points table (`points`), months by outcome."""

from __future__ import annotations

from django.utils.translation import gettext as _

from reports.tables.cells import SHARE, Column, Row, Table, share_cell
from reports.tables.charts import chart, column_dataset
from reports.tables.labels import month_label, month_short, months_between, point_number, point_short
from reports.tables.points import point_grids


def points_trend_table(figures, start, end, counts=None, grids=None) -> Table:
    """For each point, three columns: inside the window, window closed, and the share; a row per
    month and one for the period. `counts` and `grids` as for `points.points_table`."""
    months = months_between(start, end)
    counts, raw, grids = point_grids(figures, start, end, counts, grids)
    keys = list(counts)
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
        [column_dataset(trend, f"{key}_share", point_short(key)) for key in keys],
        percent=True,
        ticks=[month_short(m) for m in months],
    )
    trend.chart_summary = _("Lines: for each collaboration point, the share completed inside the window, by month.")
    return trend
