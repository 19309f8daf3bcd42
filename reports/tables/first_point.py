"""Days from the diagnosis to the first collaboration point: the median and the 90th
percentile, by the month of the diagnosis, shown only where they rest on at least 5 patients."""

from __future__ import annotations

from django.utils.translation import gettext as _

from reports.percentiles import merge, nearest_rank
from reports.suppression import THRESHOLD
from reports.tables.cells import DAYS, NOT_AVAILABLE, Cell, Column, Row, Table, suppressed_grid
from reports.tables.charts import chart, column_dataset
from reports.tables.labels import month_label, month_short, months_between


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
            "method). Not shown for fewer than 5 patients. A pathway whose first point is counted from an event "
            "rather than from the diagnosis (a palliative chain) is not included."
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
