"""The areas patients most often want help with, by collaboration point (the most frequent only)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from reports.tables.cells import Column, Row, Table, suppressed_grid
from reports.tables.charts import chart, column_dataset
from reports.tables.labels import area_labels, point_keys, point_short

TOP_AREAS = 15


def help_area_table(data) -> Table:
    """`data`: {area code: {point key: conversations}} (indicators.Figures.help_areas_by_point)."""
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
