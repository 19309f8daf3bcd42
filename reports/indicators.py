"""The indicators for a scope and period, read from the monthly figures (reports.figures): one
query sums the figures of the scope's organisations by measure, month, point and category, so a
report costs the same few queries whatever the number of patients (tests count them).

Periods are whole months: the figures are counted per month.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, Sum

from reports.figures import DISTRESS_BANDS, HANDOVER_CATEGORIES, POINT_CATEGORIES
from reports.models import PAIR_MEASURES, RESPONSIBLE_MEASURES, Measure, MonthlyFigure

__all__ = ["DISTRESS_BANDS", "HANDOVER_CATEGORIES", "POINT_CATEGORIES", "Figures", "load", "municipalities"]


def scope_filter(scope) -> Q:
    """Figures belonging to the scope (see reports.scope for the rule)."""
    if scope.org_ids is None:
        return Q()
    ids = sorted(scope.org_ids)
    either = Q(organisation__in=ids) | Q(other_organisation__in=ids)
    return (
        (Q(measure__in=PAIR_MEASURES) & either)
        | (Q(measure__in=RESPONSIBLE_MEASURES) & Q(organisation__in=ids))
        | (Q(measure=Measure.HANDOVER) & either)
    )


@dataclass
class Figures:
    rows: list[dict]
    national: bool

    def within(self, start: datetime.date, end: datetime.date) -> Figures:
        """The figures of the months from `start` to `end` only (as `load` for that period would
        read them, without another query)."""
        first = start.replace(day=1)
        return Figures([row for row in self.rows if first <= row["month"] <= end], self.national)

    def _of(self, measure):
        return [row for row in self.rows if row["measure"] == measure]

    def enrolments_by_month(self) -> dict[datetime.date, dict[str, int]]:
        result: defaultdict[datetime.date, dict[str, int]] = defaultdict(
            lambda: {"accepted": 0, "declined": 0, "not_asked": 0}
        )
        for row in self._of(Measure.ENROLMENT):
            result[row["month"]][row["category"]] += row["total"]
        return dict(result)

    def points_by_key_and_month(self) -> dict[str, dict[datetime.date, dict[str, int]]]:
        result: defaultdict[str, defaultdict[datetime.date, dict[str, int]]] = defaultdict(
            lambda: defaultdict(lambda: dict.fromkeys(POINT_CATEGORIES, 0))
        )
        for row in self._of(Measure.POINT):
            result[row["key"]][row["month"]][row["category"]] += row["total"]
        return {key: dict(months) for key, months in result.items()}

    def days_to_first_point(self) -> dict[datetime.date, dict[int, int]]:
        result: defaultdict[datetime.date, defaultdict[int, int]] = defaultdict(lambda: defaultdict(int))
        for row in self._of(Measure.FIRST_POINT):
            result[row["month"]][int(row["category"])] += row["total"]
        return {month: dict(histogram) for month, histogram in result.items()}

    def distress_by_point(self) -> dict[str, dict[str, int]]:
        result: defaultdict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(DISTRESS_BANDS, 0))
        for row in self._of(Measure.DISTRESS):
            result[row["key"]][row["category"]] += row["total"]
        return dict(result)

    def help_areas_by_point(self) -> dict[str, dict[str, int]]:
        result: defaultdict[str, defaultdict[str, int]] = defaultdict(lambda: defaultdict(int))
        for row in self._of(Measure.HELP_AREA):
            result[row["category"]][row["key"]] += row["total"]
        return {area: dict(points) for area, points in result.items()}

    def handover_acknowledgement(self) -> dict[str, dict[str, int]]:
        """{"received"|"sent": {category: messages}}; for all of Norway just "received" (every message)."""
        directions = ("received",) if self.national else ("received", "sent")
        result = {direction: dict.fromkeys(HANDOVER_CATEGORIES, 0) for direction in directions}
        for row in self._of(Measure.HANDOVER):
            for direction in directions:
                result[direction][row["category"]] += row["total"] if self.national else row[direction] or 0
        return result

    def bereavement_follow_ups(self) -> dict[str, int]:
        result = {"contacted": 0, "not_contacted": 0}
        for row in self._of(Measure.BEREAVEMENT):
            result[row["category"]] += row["total"]
        return result


def load(scope, start: datetime.date, end: datetime.date) -> Figures:
    """Every figure of the scope for the months from `start` to `end`, summed: one query."""
    annotations = {"total": Sum("count")}
    if scope.org_ids is not None:
        ids = sorted(scope.org_ids)
        annotations["received"] = Sum("count", filter=Q(organisation__in=ids))
        annotations["sent"] = Sum("count", filter=Q(other_organisation__in=ids))
    rows = list(
        MonthlyFigure.objects.filter(scope_filter(scope), month__gte=start.replace(day=1), month__lte=end)
        .values("measure", "month", "key", "category")
        .annotate(**annotations)
        .order_by()
    )
    return Figures(rows, national=scope.org_ids is None)


def municipalities(municipality_ids, start, end) -> tuple[dict[int, dict[str, int]], dict[int, dict[str, int]]]:
    """For comparing municipalities: ({id: {enrolled, accepted}} by the patients' municipality,
    {id: {judged, in_window}} of the points each municipality was responsible for). One query."""
    ids = sorted(municipality_ids)
    rows = (
        MonthlyFigure.objects.filter(month__gte=start.replace(day=1), month__lte=end)
        .filter(
            Q(measure=Measure.ENROLMENT, other_organisation__in=ids) | Q(measure=Measure.POINT, organisation__in=ids)
        )
        .values("measure", "organisation", "other_organisation", "category")
        .annotate(total=Sum("count"))
        .order_by()
    )
    patients: defaultdict[int, dict[str, int]] = defaultdict(lambda: {"enrolled": 0, "accepted": 0})
    points: defaultdict[int, dict[str, int]] = defaultdict(lambda: {"judged": 0, "in_window": 0})
    for row in rows:
        if row["measure"] == Measure.ENROLMENT:
            entry = patients[row["other_organisation"]]
            entry["enrolled"] += row["total"]
            if row["category"] == "accepted":
                entry["accepted"] += row["total"]
        else:
            entry = points[row["organisation"]]
            entry["judged"] += row["total"]
            if row["category"] == "in_window":
                entry["in_window"] += row["total"]
    return dict(patients), dict(points)
