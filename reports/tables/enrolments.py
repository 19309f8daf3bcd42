"""Patients diagnosed and enrolled, by the month of the diagnosis and the answer to the offer."""

from __future__ import annotations

from django.utils.translation import gettext as _

from reports.tables.cells import Column, Counts, Row, Table
from reports.tables.charts import chart, column_dataset
from reports.tables.labels import month_label, month_short, months_between


def enrolment_counts(figures, start, end) -> Counts:
    counts = figures.enrolments_by_month()
    keys = ("accepted", "declined", "not_asked")
    matrix = [[counts.get(m, {}).get(k, 0) for k in keys] for m in months_between(start, end)]
    return Counts(matrix, row_totals=True, column_totals=True)


def enrolment_table(figures, start, end, cells=None) -> Table:
    """`cells`: the table's counts as suppressed with the tables linked to it (see reports.report.build)."""
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
