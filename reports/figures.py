"""Computing the monthly figures (reports.models.MonthlyFigure) from the pathway's own tables.

One INSERT ... SELECT per measure over all the data, grouped by month, organisation(s), point
and category, run in the database; the counts replace the previous figures in one transaction. "Overdue" and "window
closed" are judged as of the refresh day (`as_of`). The definitions are written on the report
page; `reports.indicators` reads the figures back for a scope and period.
"""

from __future__ import annotations

import datetime
import time

from django.db import connection, transaction
from django.db.models import BigIntegerField, Case, CharField, Count, DateField, F, Func, IntegerField, Q, Value, When
from django.db.models.functions import Cast, TruncMonth

from assessment.models import QuestionnaireResponse
from directory.models import Organisation
from handover.models import HandoverMessage
from pathway.models import BereavementFollowUp, CollaborationPoint, Enrolment
from pathway.reporting import counted_from_diagnosis, report_key
from pathway.worklists import ACTIVE_FOR_RESPONSIBLE
from reports.models import FiguresRefresh, Measure, MonthlyFigure

Outcome = CollaborationPoint.Outcome

POINT_OUTCOMES = {
    "in_window": Q(outcome=Outcome.COMPLETED, outcome_on__lte=F("window_closes")),
    "late": Q(outcome=Outcome.COMPLETED, outcome_on__gt=F("window_closes")),
    "not_wanted": Q(outcome=Outcome.NOT_WANTED),
    "cancelled": Q(outcome=Outcome.CANCELLED),
    "overdue": Q(outcome=""),
}
POINT_CATEGORIES = tuple(POINT_OUTCOMES)
DISTRESS_BANDS = ("low", "middle", "high", "missing")
HANDOVER_CATEGORIES = ("in_time", "late", "overdue", "waiting")


class DaysBetween(Func):
    """Whole days from one date column to another, as an integer on both databases."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra_context):  # PostgreSQL: date - date is an integer
        return super().as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ")

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, template="CAST(julianday(%(expressions)s) AS INTEGER)", arg_joiner=") - julianday("
        )


def month_of(field):
    """The first day of the field's month, as a date on both databases (local time for moments)."""
    return Cast(TruncMonth(field), DateField())


def case(*whens):
    return Case(*(When(condition, then=Value(name)) for name, condition in whens), output_field=CharField())


NONE = Cast(Value(None), output_field=BigIntegerField())  # a typed NULL: PostgreSQL needs the type in a subquery


def enrolments():
    """Patients by month of diagnosis, enrolling organisation, municipality and answer to the offer."""
    return Enrolment.objects.annotate(
        m=month_of("diagnosis_date"), org=F("enrolling_organisation"), other=F("patient__municipality"),
        k=Value(""), cat=F("offer"),
    )  # fmt: skip


SERVICE_KINDS = (Organisation.Kind.HOME_SERVICES, Organisation.Kind.NURSING_HOME)


def responsible(prefix=""):
    """The organisation a point is reported for: the one responsible, but a municipality's home
    services or nursing home report as the municipality they are located in (the reports have
    no scope of their own for them; pathway definitions give points to them)."""
    field = f"{prefix}responsible_organisation"
    return Case(
        When(**{f"{field}__kind__in": SERVICE_KINDS}, then=F(f"{field}__municipality")),
        default=F(field),
        output_field=IntegerField(),
    )


def points(as_of):
    """Points whose window closed before `as_of`, by month it closed, responsible and outcome; a
    municipality's points count once the patient accepted the pathway (as on the worklist)."""
    category = case(*((name, condition) for name, condition in POINT_OUTCOMES.items()))
    return CollaborationPoint.objects.filter(ACTIVE_FOR_RESPONSIBLE, window_closes__lt=as_of).annotate(
        m=month_of("window_closes"), org=responsible(), other=NONE, k=report_key(), cat=category
    )


def first_points():
    """Days from diagnosis to the completed first point, by month of diagnosis and organisations;
    only where the definition counts that point from the diagnosis (not a palliative chain's)."""
    return CollaborationPoint.objects.filter(counted_from_diagnosis(), sequence=0, outcome=Outcome.COMPLETED).annotate(
        m=month_of("enrolment__diagnosis_date"),
        org=F("enrolment__enrolling_organisation"),
        other=F("enrolment__patient__municipality"),
        k=Value(""),
        cat=Cast(DaysBetween("outcome_on", "enrolment__diagnosis_date"), CharField()),
    )


def conversations():
    """The professional's completed record of each completed point: a needs assessment is
    completed exactly when that response is (assessment.services.complete_assessment)."""
    return QuestionnaireResponse.objects.filter(
        source=QuestionnaireResponse.Source.PROFESSIONAL,
        status=QuestionnaireResponse.Status.COMPLETED,
        point__outcome=Outcome.COMPLETED,
    ).annotate(m=month_of("point__outcome_on"), org=responsible("point__"), other=NONE, k=report_key("point__"))


def distress():
    """Conversations by month held, responsible, point and distress band (0-3, 4-6, 7-10, none)."""
    score = "distress_score"
    return conversations().annotate(
        cat=case(
            ("missing", Q(**{f"{score}__isnull": True})),
            ("low", Q(**{f"{score}__lte": 3})),
            ("middle", Q(**{f"{score}__lte": 6})),
            ("high", Q(**{f"{score}__gte": 7})),
        )
    )


def handover_messages(as_of):
    """Messages by month written, receiver, sender and acknowledgement as of `as_of`. A GP office
    receiver is kept as none: reports are never about a GP office, and all of Norway still counts
    its messages (one row per GP office would triple the figures)."""
    acknowledged = Q(acknowledged_at__isnull=False)
    category = case(
        (
            "in_time",
            acknowledged & (Q(acknowledge_by__isnull=True) | Q(acknowledged_at__date__lte=F("acknowledge_by"))),
        ),
        ("late", acknowledged),
        ("overdue", Q(acknowledge_by__lt=as_of)),
        ("waiting", Q(acknowledged_at__isnull=True)),
    )
    receiver = Case(
        When(recipient__kind=Organisation.Kind.GP_OFFICE, then=NONE),
        default=F("recipient"),
        output_field=IntegerField(),
    )
    return HandoverMessage.objects.filter(entered_in_error_at__isnull=True).annotate(  # replaced ones count once
        m=month_of("created_at"), org=receiver, other=F("sender"), k=Value(""), cat=category
    )


def bereavement_follow_ups():
    return BereavementFollowUp.objects.annotate(
        m=month_of("created_at"),
        org=F("municipality"),
        other=F("enrolment__enrolling_organisation"),
        k=Value(""),
        cat=case(("contacted", Q(contacted_on__isnull=False)), ("not_contacted", Q(contacted_on__isnull=True))),
    )


COLUMNS = "month, measure, key, category, organisation_id, other_organisation_id, count"


def _insert(cursor, measure, queryset):
    """INSERT ... SELECT the queryset's counts grouped by (month, organisations, point, category),
    in the database: nothing passes through Python. Rows go in month order, so that a period's
    figures lie together on disk."""
    grouped = queryset.values("m", "org", "other", "k", "cat").annotate(n=Count("pk")).order_by()
    sql, params = grouped.query.sql_with_params()
    cursor.execute(
        f"INSERT INTO {MonthlyFigure._meta.db_table} ({COLUMNS}) "  # noqa: S608 - Django-built SQL, parameters apart
        f"SELECT g.m, '{measure}', g.k, g.cat, g.org, g.other, g.n FROM ({sql}) AS g ORDER BY g.m",
        params,
    )
    return cursor.rowcount


def _insert_help_areas(cursor):
    """Help areas: the JSON list on the response unnested in SQL (jsonb on PostgreSQL, json_each on
    SQLite), one row per month, responsible, point and area."""
    sql, params = conversations().annotate(h=F("help_areas")).values("m", "org", "k", "h").query.sql_with_params()
    if connection.vendor == "postgresql":
        unnest = "CROSS JOIN LATERAL jsonb_array_elements_text(r.h) AS a(value)"
    else:
        unnest = ", json_each(r.h) AS a"
    cursor.execute(
        f"INSERT INTO {MonthlyFigure._meta.db_table} ({COLUMNS}) "  # noqa: S608 - Django-built SQL, parameters apart
        f"SELECT r.m, '{Measure.HELP_AREA}', r.k, a.value, r.org, NULL, COUNT(*) FROM ({sql}) AS r {unnest} "
        "GROUP BY r.m, r.org, r.k, a.value ORDER BY r.m",
        params,
    )
    return cursor.rowcount


@transaction.atomic
def refresh(as_of: datetime.date) -> FiguresRefresh:
    """Recompute every figure as of `as_of` (normally today) and replace the old ones at once:
    readers see the old figures until the new ones are committed."""
    started = time.perf_counter()
    MonthlyFigure.objects.all().delete()
    rows = 0
    with connection.cursor() as cursor:
        rows += _insert(cursor, Measure.ENROLMENT, enrolments())
        rows += _insert(cursor, Measure.POINT, points(as_of))
        rows += _insert(cursor, Measure.FIRST_POINT, first_points())
        rows += _insert(cursor, Measure.DISTRESS, distress())
        rows += _insert_help_areas(cursor)
        rows += _insert(cursor, Measure.HANDOVER, handover_messages(as_of))
        rows += _insert(cursor, Measure.BEREAVEMENT, bereavement_follow_ups())
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {MonthlyFigure._meta.db_table}")
    return FiguresRefresh.objects.create(as_of=as_of, rows=rows, seconds=round(time.perf_counter() - started, 2))


def latest_refresh() -> FiguresRefresh | None:
    return FiguresRefresh.objects.order_by("-finished_at", "-id").first()
