"""Monthly figures: the indicators' counts per month, measure, collaboration point, category and
organisation, computed from the pathway's tables by `reports.figures.refresh` (nightly, and on
demand with `manage.py refresh_report_figures`).

Why a table of counts: a report for all of Norway for a year must render in well under a second
with ten years of national data. Counting the source rows for each request reads hundreds of
megabytes (collaboration points, questionnaire responses and handover messages are wide rows);
summing these counts reads a few thousand small rows. The figures hold no personal data: counts
per organisation and month only, never below the organisation level. Small counts are suppressed
when a report is shown, not here (sums over several organisations must be exact).
"""

from django.db import models

from directory.models import Organisation


class Measure(models.TextChoices):
    ENROLMENT = "enrolment", "patients diagnosed and enrolled"  # category: the answer to the offer
    POINT = "point", "collaboration points whose window closed"  # category: the outcome
    FIRST_POINT = "first_point", "days from diagnosis to the first point"  # category: days
    DISTRESS = "distress", "distress score in the conversation"  # category: band
    HELP_AREA = "help_area", "areas the patient wants help with"  # category: area code
    HANDOVER = "handover", "handover messages"  # category: acknowledgement
    BEREAVEMENT = "bereavement", "follow-ups of the bereaved"  # category: contacted or not


# Which organisation a figure belongs to (see reports.scope):
# `organisation`: the enrolling organisation, the responsible organisation, the receiver, the
# bereaved's municipality; `other_organisation`: the patient's municipality, the sender, the
# enrolling organisation of a follow-up of the bereaved.
PAIR_MEASURES = (Measure.ENROLMENT, Measure.FIRST_POINT, Measure.BEREAVEMENT)
RESPONSIBLE_MEASURES = (Measure.POINT, Measure.DISTRESS, Measure.HELP_AREA)


class MonthlyFigure(models.Model):
    month = models.DateField(help_text="The first day of the month counted.")
    measure = models.CharField(max_length=16, choices=Measure.choices)
    key = models.CharField(max_length=32, blank=True, help_text="The collaboration point, where the measure has one.")
    category = models.CharField(max_length=64)
    organisation = models.ForeignKey(
        Organisation, null=True, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    other_organisation = models.ForeignKey(
        Organisation, null=True, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["month", "measure"])]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.measure} {self.key} {self.category}: {self.count}"


class FiguresRefresh(models.Model):
    """When the figures were last computed, and as of which day (what was overdue then)."""

    as_of = models.DateField()
    finished_at = models.DateTimeField(auto_now_add=True)
    rows = models.PositiveIntegerField()
    seconds = models.FloatField()

    class Meta:
        ordering = ["-finished_at", "-id"]
        get_latest_by = "finished_at"

    def __str__(self):
        return f"figures as of {self.as_of}"


class PublicFigures(models.Model):
    """The public delivery figures of one area (all of Norway, a health trust or a municipality)
    for the last full year, by quarter: the document the public page, its CSV and its JSON are
    read from, computed every night by `reports.public.compute.refresh` with small counts already
    hidden. One row per area, replaced together, so the page is one cheap read."""

    area = models.CharField(max_length=40, unique=True, help_text='"norway", or the organisation\'s public id.')
    organisation = models.ForeignKey(
        Organisation, null=True, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    year = models.PositiveSmallIntegerField()
    as_of = models.DateField()
    computed_at = models.DateTimeField()
    document = models.JSONField()

    def __str__(self):
        return f"public figures {self.area} {self.year}"


class CalendarCells(models.Model):
    """Which cells the signed-in report of one scope and calendar period of the public year
    shows: the reports of every scope's quarters and year suppressed together each night
    (`reports.calendar.national_cells`), so that no two of them together give a small count
    away. `cells`: {table: [[count, status], ...] by row}, the counts included so that a report
    uses the stored choice only while its counts are still the ones it was made for."""

    scope = models.CharField(max_length=80, help_text='The report scope\'s key ("norway", "org:<id>", ...).')
    year = models.PositiveSmallIntegerField()
    period = models.PositiveSmallIntegerField(help_text="0-3 the quarters, 4 the year.")
    computed_at = models.DateTimeField()
    cells = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "year", "period"], name="calendar_cells_once")]

    def __str__(self):
        return f"calendar cells {self.scope} {self.year}/{self.period}"
