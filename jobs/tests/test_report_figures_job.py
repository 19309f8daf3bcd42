"""The nightly `report_figures` job computes the public delivery figures right after the monthly
figures they are read from, for the last full year, dated the day it ran."""

import datetime
from zoneinfo import ZoneInfo

from jobs.registry import JOBS
from reports.models import FiguresRefresh, PublicFigures


def test_the_nightly_job_refreshes_the_public_figures_too(db):
    night = datetime.datetime(2026, 12, 9, 3, 0, tzinfo=ZoneInfo("Europe/Oslo"))
    result = JOBS["report_figures"].run(night)
    assert FiguresRefresh.objects.get().as_of == datetime.date(2026, 12, 9)
    assert result["public_areas"] == PublicFigures.objects.count() > 300  # Norway, trusts, municipalities
    norway = PublicFigures.objects.get(area="norway")
    assert norway.year == 2025 and norway.as_of == datetime.date(2026, 12, 9)
    assert norway.document["as_of"] == "2026-12-09"
