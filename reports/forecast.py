"""Capacity forecast for a municipality: how many collaboration points fall due each week for the
next 52 weeks, so the municipality can plan its cancer coordinators' time.

Two sources, shown apart:

- **Patients already enrolled**: the municipality's open points of open pathways, counted in the
  week their window opens (the week the conversation can first take place). Patients who accepted
  the pathway and those not yet asked are counted separately (most of the latter accept).
- **Expected new diagnoses**: the municipality's average over the last 12 months of patients
  diagnosed and enrolled per day, times the share of those asked who accepted, placed on the
  calendar by the pathway definition's windows for the municipality's points (for the national
  pathway: 3 and 12 months after the diagnosis). Only points counted from the diagnosis can be
  placed this way. These are expectations (fractions), not patients, and are not suppressed.

Two queries, whatever the number of patients.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import formats
from django.utils.translation import gettext as _

from pathway import schedule
from pathway.definitions import DEFAULT_DEFINITION_KEY, get_definition
from pathway.models import CollaborationPoint, Enrolment, Offer
from reports import suppression
from reports.suppression import is_small
from reports.tables.cells import DECIMAL, Cell, Column, Row, Table, suppressed_grid
from reports.tables.charts import chart, column_dataset

WEEKS = 52


@dataclass
class Forecast:
    weeks: list[datetime.date]  # Mondays
    accepted: list[int]
    not_asked: list[int]
    expected: list[float]
    due_now: int  # open points whose window opened before this week
    monthly_average: float
    acceptance: float
    recent: int = 0  # diagnosed and enrolled in the last 12 months
    asked: int = 0  # of those, asked about the pathway
    accepted_recent: int = 0  # of those, accepted

    @property
    def acceptance_known(self) -> bool:
        """Someone was asked: with nobody asked the share has no base and is shown as "–", not
        as the 100 % the expectation assumes."""
        return self.asked > 0

    @property
    def basis_hidden(self) -> bool:
        """The expectation rests on a small count (1-4 patients a year, or 1-4 who accepted or
        declined): its average, its share and the expected points would give those patients away."""
        declined = self.asked - self.accepted_recent
        return any(is_small(n) for n in (self.recent, self.accepted_recent, declined))


def monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def municipal_points(definition_key=DEFAULT_DEFINITION_KEY):
    return [
        p
        for p in get_definition(definition_key).points
        if p.care_level == CollaborationPoint.CareLevel.MUNICIPALITY and p.anchor.kind == schedule.ANCHOR_DIAGNOSIS
    ]


def expected_points(daily_rate: float, first: datetime.date, weeks: int, today: datetime.date) -> list[float]:
    """Points expected to open each week from patients diagnosed from today on, at `daily_rate`."""
    end = first + datetime.timedelta(weeks=weeks)
    expected = [0.0] * weeks
    points = municipal_points()
    day = today
    while day < end:
        for point in points:
            opens = schedule.add_duration(day, point.opens)
            if first <= opens < end:
                expected[(opens - first).days // 7] += daily_rate
        day += datetime.timedelta(days=1)
    return expected


def forecast(municipality, today: datetime.date, weeks: int = WEEKS) -> Forecast:
    first = monday(today)
    end = first + datetime.timedelta(weeks=weeks)
    rows = (
        CollaborationPoint.objects.filter(
            responsible_organisation=municipality,
            care_level=CollaborationPoint.CareLevel.MUNICIPALITY,
            outcome="",
            enrolment__ended_at__isnull=True,
            enrolment__offer__in=(Offer.ACCEPTED, Offer.NOT_ASKED),
            window_opens__lt=end,
        )
        .values("window_opens", "enrolment__offer")
        .annotate(points=Count("id"))
        .order_by()
    )
    accepted, not_asked = [0] * weeks, [0] * weeks
    due_now = 0
    for row in rows:
        opens = row["window_opens"]
        if opens < first:
            if row["enrolment__offer"] == Offer.ACCEPTED:
                due_now += row["points"]
            continue
        target = accepted if row["enrolment__offer"] == Offer.ACCEPTED else not_asked
        target[(opens - first).days // 7] += row["points"]

    year_ago = today - datetime.timedelta(days=365)
    recent = Enrolment.objects.filter(
        patient__municipality=municipality, diagnosis_date__gte=year_ago, diagnosis_date__lt=today
    ).aggregate(
        total=Count("id"),
        accepted=Count("id", filter=Q(offer=Offer.ACCEPTED)),
        declined=Count("id", filter=Q(offer=Offer.DECLINED)),
    )
    asked = recent["accepted"] + recent["declined"]
    acceptance = recent["accepted"] / asked if asked else 1.0
    daily_rate = recent["total"] / 365 * acceptance
    return Forecast(
        weeks=[first + datetime.timedelta(weeks=i) for i in range(weeks)],
        accepted=accepted,
        not_asked=not_asked,
        expected=expected_points(daily_rate, first, weeks, today),
        due_now=due_now,
        monthly_average=recent["total"] / 12,
        acceptance=acceptance,
        recent=recent["total"],
        asked=asked,
        accepted_recent=recent["accepted"],
    )


def forecast_table(result: Forecast) -> Table:
    """Weeks × (accepted, not yet asked, enrolled in all) with suppression, plus the expectation."""
    matrix = [[a, n] for a, n in zip(result.accepted, result.not_asked, strict=True)]
    cells = suppressed_grid(matrix, row_totals=True, column_totals=True)
    rows = []
    hidden = Cell(suppression.display(0, suppression.PRIMARY), None, suppression.PRIMARY)
    for i, week in enumerate([*result.weeks, None]):
        expected = sum(result.expected) if week is None else result.expected[i]
        enrolled = cells[i][2]
        if result.basis_hidden:
            expected_cell, in_all = hidden, hidden
        else:
            expected_cell = Cell(_decimal(expected), round(expected, 1))
            in_all = (
                Cell(_decimal(enrolled.value + expected), enrolled.value + expected)
                if enrolled.value is not None  # a count cell has no value exactly when it is hidden
                else enrolled
            )
        label = (
            _("Week %(week)s (from %(monday)s)")
            % {"week": week.isocalendar()[1], "monday": formats.date_format(week, "SHORT_DATE_FORMAT")}
            if week
            else _("Next 52 weeks")
        )
        rows.append(Row(label, [*cells[i], expected_cell, in_all], is_total=week is None))
    table = Table(
        "forecast",
        _("Collaboration points falling due each week"),
        _("Week"),
        [
            Column("accepted", _("Patients who accepted")),
            Column("not_asked", _("Patients not yet asked")),
            Column("enrolled", _("Patients already enrolled")),
            Column("expected", _("Expected from new diagnoses"), DECIMAL),
            Column("in_all", _("Expected in all"), DECIMAL),
        ],
        rows,
        definition=_(
            "Each week's count is the collaboration points whose window opens that week. Patients already "
            "enrolled: the municipality's open points of patients who accepted the pathway or have not yet been "
            "asked. Expected from new diagnoses: the municipality's patients diagnosed and enrolled per month over "
            "the last 12 months, times the share of those asked who accepted, placed where the national pathway's "
            "windows put their municipal points (3 and 12 months after the diagnosis). Expectations are averages, "
            "so they have decimals."
        ),
    )
    table.chart = chart(
        "bar",
        table.labels(),
        [
            column_dataset(table, "accepted", _("Patients who accepted")),
            column_dataset(table, "not_asked", _("Patients not yet asked")),
            column_dataset(table, "expected", _("Expected from new diagnoses")),
        ],
        stacked=True,
        ticks=[str(week.isocalendar()[1]) for week in result.weeks],
        axis=_("Week"),
    )
    table.chart_summary = _(
        "Stacked bars: collaboration points falling due each week for the next 52 weeks, from patients already "
        "enrolled and from expected new diagnoses."
    )
    return table


def _decimal(value: float) -> str:
    return formats.number_format(round(value, 1), 1)
