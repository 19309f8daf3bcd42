"""The whole oversight report for a scope and period: the tables of `reports.tables`, in the
order the page shows them, each with its definition and, where it helps, a chart of the same
cells. The counts that two tables share are suppressed together here (`reports.links`), so
no hidden count follows from the report as a whole."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from reports import calendar, indicators, links, periods
from reports import scope as scopes
from reports.figures import latest_refresh
from reports.linked import linked_cells
from reports.models import FiguresRefresh
from reports.tables import (
    bereavement,
    comparison,
    distress,
    enrolments,
    first_point,
    handover,
    help_areas,
    points,
    points_trend,
)
from reports.tables.cells import Table


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


def build(scope, start, end) -> Report:
    """The whole report: one query for the scope's figures, and one for the comparison of the
    health community's municipalities where there is one."""
    figures = indicators.load(scope, start, end)
    trust = comparison.community_of(scope)
    compared = comparison.comparison_counts(trust, start, end) if trust is not None else None
    if periods.calendar_year(start, end) is None:
        point_counts, cells = linked_cells(scope, figures, start, end, compared)
    else:
        point_counts, cells = calendar.report_cells(scope, start, end, figures, compared)
    point_cells = {key: cells[links.point_grid(key)] for key in point_counts}
    tables = [
        enrolments.enrolment_table(figures, start, end, cells[links.ENROLMENTS]),
        points.points_table(figures, start, end, point_counts, point_cells),
        points_trend.points_trend_table(figures, start, end, point_counts, point_cells),
        first_point.first_point_table(figures, start, end),
        distress.distress_table(figures.distress_by_point()),
        help_areas.help_area_table(figures.help_areas_by_point()),
        handover.handover_table(figures),
        bereavement.bereavement_table(figures),
    ]
    if compared is not None:
        # Never None once the counts are given (None is for a trust without municipalities).
        table = comparison.comparison_table(trust, start, end, compared, cells[links.COMPARISON])
        if table is not None:
            tables.append(table)
    return Report(scope, start, end, latest_refresh(), tables)
