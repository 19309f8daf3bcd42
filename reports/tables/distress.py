"""Distress scores (0–10) recorded in the conversations at each collaboration point, by band."""

from __future__ import annotations

from django.utils.translation import gettext as _

from reports import indicators
from reports.tables.cells import Column, Row, Table, suppressed_grid
from reports.tables.charts import chart, column_dataset
from reports.tables.labels import point_keys, point_label, point_short


def distress_table(data) -> Table:
    """`data`: {point key: {band: conversations}} (indicators.Figures.distress_by_point)."""
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
