"""The indicators as aggregates computed in the database: every function runs one query (GROUP BY
with conditional counts) whose result has a few rows per month or per collaboration point, however
many patients there are. Nothing here returns a person; `reports.report` turns the counts into
suppressed tables.

Portable between SQLite and PostgreSQL: Django's conditional aggregation, TruncMonth and date
subtraction, plus one small vendor switch to unnest the JSON list of help areas.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, Func, IntegerField, Q
from django.db.models.functions import TruncMonth

from assessment.models import Assessment
from handover.models import HandoverMessage
from pathway.models import BereavementFollowUp, CollaborationPoint, Enrolment, Offer
from pathway.worklists import ACTIVE_FOR_RESPONSIBLE

Outcome = CollaborationPoint.Outcome

# The outcome categories of a collaboration point whose window has closed (see definitions).
POINT_CATEGORIES = ("in_window", "late", "not_wanted", "cancelled", "overdue")
DISTRESS_BANDS = ("low", "middle", "high", "missing")
HANDOVER_CATEGORIES = ("in_time", "late", "overdue", "waiting")


def _month(value) -> datetime.date:
    """TruncMonth gives a date on both databases for a DateField; normalise datetimes too."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    return value.replace(day=1)


def moment_range(start: datetime.date, end: datetime.date):
    """Aware datetimes [start 00:00, the day after end 00:00) in Oslo time, so that timestamp
    columns are filtered on their index rather than through a per-row date conversion."""
    zone = ZoneInfo(settings.TIME_ZONE)
    first = datetime.datetime.combine(start, datetime.time(), tzinfo=zone)
    after = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), tzinfo=zone)
    return first, after


def enrolments_by_month(scope, start, end) -> dict[datetime.date, dict[str, int]]:
    """Patients diagnosed (and enrolled) in the period, by month of diagnosis and answer to the offer."""
    rows = (
        Enrolment.objects.filter(scope.enrolments(), diagnosis_date__gte=start, diagnosis_date__lte=end)
        .annotate(month=TruncMonth("diagnosis_date"))
        .values("month")
        .annotate(
            accepted=Count("id", filter=Q(offer=Offer.ACCEPTED)),
            declined=Count("id", filter=Q(offer=Offer.DECLINED)),
            not_asked=Count("id", filter=Q(offer=Offer.NOT_ASKED)),
        )
        .order_by()
    )
    result = {}
    for row in rows:
        month = _month(row["month"])
        result[month] = {key: row[key] for key in ("accepted", "declined", "not_asked")}
    return result


def judged_points(scope, start, end, today):
    """Collaboration points whose window closed in the period (and before today), the responsible
    organisation's to act on (a municipality's once the patient accepted the pathway)."""
    last = min(end, today - datetime.timedelta(days=1))
    return CollaborationPoint.objects.filter(
        scope.points(), ACTIVE_FOR_RESPONSIBLE, window_closes__gte=start, window_closes__lte=last
    )


POINT_COUNTS = {
    "in_window": Count("id", filter=Q(outcome=Outcome.COMPLETED, outcome_on__lte=F("window_closes"))),
    "late": Count("id", filter=Q(outcome=Outcome.COMPLETED, outcome_on__gt=F("window_closes"))),
    "not_wanted": Count("id", filter=Q(outcome=Outcome.NOT_WANTED)),
    "cancelled": Count("id", filter=Q(outcome=Outcome.CANCELLED)),
    "overdue": Count("id", filter=Q(outcome="")),
}


def points_by_key_and_month(scope, start, end, today) -> dict[str, dict[datetime.date, dict[str, int]]]:
    """{point key: {month the window closed: {category: count}}}."""
    rows = (
        judged_points(scope, start, end, today)
        .annotate(month=TruncMonth("window_closes"))
        .values("key", "month")
        .annotate(**POINT_COUNTS)
        .order_by()
    )
    result = defaultdict(dict)
    for row in rows:
        result[row["key"]][_month(row["month"])] = {key: row[key] for key in POINT_CATEGORIES}
    return dict(result)


class DaysBetween(Func):
    """Whole days from one date column to another, as an integer on both databases."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra_context):  # PostgreSQL: date - date is an integer
        return self.as_sql_template(compiler, connection, "(%(expressions)s)", " - ")

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql_template(
            compiler, connection, "CAST(julianday(%(expressions)s) AS INTEGER)", ") - julianday("
        )

    def as_sql_template(self, compiler, connection, template, joiner):
        return super().as_sql(compiler, connection, template=template, arg_joiner=joiner)


def days_to_first_point(scope, start, end) -> dict[datetime.date, dict[int, int]]:
    """{month of diagnosis: {days from diagnosis to the completed first point: patients}} for
    patients diagnosed in the period whose first collaboration point was completed. (The point
    cannot be completed before the diagnosis, so `outcome_on >= start` only helps the index.)"""
    rows = (
        CollaborationPoint.objects.filter(
            scope.enrolments("enrolment__"),
            sequence=0,
            outcome=Outcome.COMPLETED,
            outcome_on__gte=start,
            enrolment__diagnosis_date__gte=start,
            enrolment__diagnosis_date__lte=end,
        )
        .annotate(
            month=TruncMonth("enrolment__diagnosis_date"), days=DaysBetween("outcome_on", "enrolment__diagnosis_date")
        )
        .values("month", "days")
        .annotate(patients=Count("id"))
        .order_by()
    )
    result = defaultdict(lambda: defaultdict(int))
    for row in rows:
        result[_month(row["month"])][row["days"]] += row["patients"]
    return {month: dict(histogram) for month, histogram in result.items()}


def conversations(scope, start, end):
    """Completed needs assessments of points held (completed) in the period by the scope."""
    return Assessment.objects.filter(
        scope.points("point__"),
        completed_at__isnull=False,
        point__outcome=Outcome.COMPLETED,
        point__outcome_on__gte=start,
        point__outcome_on__lte=end,
    )


def distress_by_point(scope, start, end) -> dict[str, dict[str, int]]:
    """{point key: {band: conversations}}: the distress score (0-10) recorded in the conversation."""
    score = "response__distress_score"
    rows = (
        conversations(scope, start, end)
        .values("point__key")
        .annotate(
            low=Count("id", filter=Q(**{f"{score}__lte": 3})),
            middle=Count("id", filter=Q(**{f"{score}__gte": 4, f"{score}__lte": 6})),
            high=Count("id", filter=Q(**{f"{score}__gte": 7})),
            missing=Count("id", filter=Q(**{f"{score}__isnull": True})),
        )
        .order_by()
    )
    return {row["point__key"]: {band: row[band] for band in DISTRESS_BANDS} for row in rows}


def help_areas_by_point(scope, start, end) -> dict[str, dict[str, int]]:
    """{area code: {point key: conversations in which the patient wanted help with it}}.

    The areas are a JSON list on the response; the list is unnested in SQL (jsonb on PostgreSQL,
    json_each on SQLite) over the same filtered queryset, so the result has one row per area and
    point whatever the number of conversations."""
    inner = conversations(scope, start, end).annotate(k=F("point__key"), h=F("response__help_areas")).values("k", "h")
    sql, params = inner.query.sql_with_params()
    if connection.vendor == "postgresql":
        query = (
            f"SELECT r.k, a.value, COUNT(*) FROM ({sql}) AS r "  # noqa: S608 - Django-built SQL, values as params
            "CROSS JOIN LATERAL jsonb_array_elements_text(r.h) AS a(value) GROUP BY r.k, a.value"
        )
    else:
        query = f"SELECT r.k, a.value, COUNT(*) FROM ({sql}) AS r, json_each(r.h) AS a GROUP BY r.k, a.value"  # noqa: S608
    result = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        for key, area, count in cursor.fetchall():
            result[area][key] = count
    return dict(result)


def handover_acknowledgement(scope, start, end, today) -> dict[str, dict[str, int]]:
    """{"received"|"sent": {category: messages}} for messages written in the period. With all of
    Norway both are every message, so only "received" is given."""
    first, after = moment_range(start, end)
    acknowledged = Q(acknowledged_at__isnull=False)
    in_time = acknowledged & (Q(acknowledge_by__isnull=True) | Q(acknowledged_at__date__lte=F("acknowledge_by")))
    late = acknowledged & Q(acknowledged_at__date__gt=F("acknowledge_by"))
    overdue = Q(acknowledged_at__isnull=True, acknowledge_by__lt=today)
    waiting = Q(acknowledged_at__isnull=True) & (Q(acknowledge_by__isnull=True) | Q(acknowledge_by__gte=today))
    categories = {"in_time": in_time, "late": late, "overdue": overdue, "waiting": waiting}
    directions = {"received": scope.received()} if scope.org_ids is None else {
        "received": scope.received(), "sent": scope.sent()
    }  # fmt: skip
    annotations = {
        f"{direction}_{name}": Count("id", filter=where & condition)
        for direction, where in directions.items()
        for name, condition in categories.items()
    }
    where = Q()
    if scope.org_ids is not None:
        where = scope.received() | scope.sent()
    totals = HandoverMessage.objects.filter(where, created_at__gte=first, created_at__lt=after).aggregate(**annotations)
    return {direction: {name: totals[f"{direction}_{name}"] for name in categories} for direction in directions}


def bereavement_follow_ups(scope, start, end) -> dict[str, int]:
    """Follow-ups of the bereaved offered (created when the patient died) in the period."""
    first, after = moment_range(start, end)
    return BereavementFollowUp.objects.filter(
        scope.bereavement(), created_at__gte=first, created_at__lt=after
    ).aggregate(
        contacted=Count("id", filter=Q(contacted_on__isnull=False)),
        not_contacted=Count("id", filter=Q(contacted_on__isnull=True)),
    )


def enrolments_by_municipality(municipality_ids, start, end) -> dict[int, dict[str, int]]:
    """{municipality id: {enrolled, accepted}} for patients living in those municipalities."""
    rows = (
        Enrolment.objects.filter(
            patient__municipality__in=sorted(municipality_ids), diagnosis_date__gte=start, diagnosis_date__lte=end
        )
        .values("patient__municipality")
        .annotate(enrolled=Count("id"), accepted=Count("id", filter=Q(offer=Offer.ACCEPTED)))
        .order_by()
    )
    return {row["patient__municipality"]: {"enrolled": row["enrolled"], "accepted": row["accepted"]} for row in rows}


def municipal_points_by_municipality(municipality_ids, start, end, today) -> dict[int, dict[str, int]]:
    """{municipality id: {judged, in_window}} for the municipal points those municipalities held."""
    from reports.scope import Scope

    scope = Scope("org", None, frozenset(municipality_ids))
    rows = (
        judged_points(scope, start, end, today)
        .filter(care_level=CollaborationPoint.CareLevel.MUNICIPALITY)
        .values("responsible_organisation")
        .annotate(judged=Count("id"), in_window=POINT_COUNTS["in_window"])
        .order_by()
    )
    return {row["responsible_organisation"]: {"judged": row["judged"], "in_window": row["in_window"]} for row in rows}
