"""Reports a leader reads right: a share with no base is "–" (never 100 %), a count hidden by
small-cell suppression is marked as hidden in the chart's data (null and its "<5" or "x", not 0),
every chart label is short, the forecast opens on the user's own organisation, and someone whose
role has no reports is told which reports there are, not offered emergency access."""

import datetime
import re

import pytest
from django.urls import reverse

from directory.models import Organisation
from reports import forecast as forecasting
from reports import report
from reports import scope as scopes
from reports.tables import charts
from reports.tests import factories as f
from reports.tests.conftest import END, START, TODAY

pytestmark = pytest.mark.django_db
D = datetime.date


def _share_of_accepted(page):
    match = re.search(r"Share of those asked who accepted</dt><dd>(.*?)</dd>", page, re.S)
    assert match, "no share on the forecast page"
    return match.group(1)


def test_a_share_with_nobody_asked_is_a_dash_not_100_percent(client_for, personas):
    bergen = Organisation.objects.get(municipality_number="4601")  # no patients at all
    page = (
        client_for(personas["analyst"])
        .get(reverse("reports:forecast"), {"municipality": bergen.public_id})
        .content.decode()
    )
    share = _share_of_accepted(page)
    assert "100 %" not in share and share.startswith("–")
    assert "nobody was asked" in share


def test_a_forecast_whose_patients_were_not_asked_has_no_share(orgs):
    askoy = orgs["askoy"]
    for day in range(6):
        f.enrolment(askoy, orgs["haukeland"], TODAY - datetime.timedelta(days=10 + day), "not_asked")
    result = forecasting.forecast(askoy, TODAY)
    assert result.recent == 6 and result.asked == 0
    assert not result.acceptance_known


def test_hidden_counts_are_marked_in_the_chart_data_not_zero(world):
    built = report.build(scopes.community_scope(world["helse_bergen"]), START, END)
    marked = shown = 0
    for table in built.tables:
        keys = [column.key for column in table.columns]
        for dataset in (table.chart or {}).get("datasets", []):
            assert len(dataset["suppressed"]) == len(dataset["data"])
            if "column" not in dataset:
                assert dataset["suppressed"] == [None] * len(dataset["data"])
                continue
            index = keys.index(dataset["column"])
            cells = [row.cells[index] for row in table.rows if not row.is_total]
            for value, mark, cell in zip(dataset["data"], dataset["suppressed"], cells, strict=True):
                if cell.hidden:
                    assert value is None and mark == cell.text and mark in ("<5", "x")
                    marked += 1
                else:
                    assert mark is None and value == cell.value
                    shown += 1
    assert marked and shown


def test_the_forecast_chart_marks_its_hidden_weeks(world):
    askoy, hauk = world["askoy"], world["haukeland"]
    accepted = f.enrolment(askoy, hauk, D(2026, 1, 5))
    f.point(accepted, "sp2", askoy, D(2026, 4, 5), D(2026, 5, 5))  # week 5: one point, "<5"
    table = forecasting.forecast_table(forecasting.forecast(askoy, TODAY))
    chart = table.chart
    accepted_series = next(d for d in chart["datasets"] if d["column"] == "accepted")
    assert accepted_series["data"][5] is None and accepted_series["suppressed"][5] == "<5"
    assert accepted_series["data"][0] == 0 and accepted_series["suppressed"][0] is None
    # 52 short week numbers on the axis, every one of them, under the axis title "Week".
    assert chart["ticks"][:2] == [str(week.isocalendar()[1]) for week in table_weeks(TODAY)[:2]]
    assert len(chart["ticks"]) == 52 and chart["axis"] == "Week"


def table_weeks(today):
    first = forecasting.monday(today)
    return [first + datetime.timedelta(weeks=i) for i in range(52)]


def test_chart_labels_are_short(world):
    built = report.build(scopes.community_scope(world["helse_bergen"]), START, END)
    for table in built.tables:
        if table.chart:
            assert len(table.chart["ticks"]) == len(table.chart["labels"])
            assert all(len(tick) <= charts.SHORT_LABEL for tick in table.chart["ticks"]), table.chart["ticks"]
    assert built.table("enrolments").chart["ticks"][0] == "Jan 2025"
    assert built.table("distress").chart["ticks"] == ["Point 1", "Point 2"]


def test_the_forecast_opens_on_a_municipality_of_the_analysts_own_health_community(client_for, personas, orgs):
    response = client_for(personas["analyst"]).get(reverse("reports:forecast"))  # Helse Bergen
    assert response.status_code == 200
    municipality = response.context["municipality"]
    assert municipality.health_trust == orgs["helse_bergen"]


def test_the_forecast_opens_on_the_coordinators_own_municipality(client_for, personas, orgs):
    response = client_for(personas["coordinator"]).get(reverse("reports:forecast"))
    assert response.context["municipality"] == orgs["askoy"]


def test_a_gp_is_told_who_sees_reports_and_not_offered_emergency_access(client_for, personas):
    response = client_for(personas["gp"]).get(reverse("reports:report"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "Reports are not part of your role" in page and "Analysts" in page
    assert "care relation with this patient" not in page
    assert reverse("patients:emergency_access") not in page
    forecast = client_for(personas["gp"]).get(reverse("reports:forecast"))
    assert forecast.status_code == 403 and "Reports are not part of your role" in forecast.content.decode()


def test_a_clinician_refused_a_page_for_their_role_is_not_offered_emergency_access(client_for, personas):
    response = client_for(personas["gp"]).get(reverse("audit:organisation_log"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "care relation with this patient" not in page
    assert reverse("patients:emergency_access") not in page


@pytest.mark.norwegian
def test_the_gp_page_is_in_norwegian(client_for, personas):
    page = client_for(personas["gp"]).get(reverse("reports:report")).content.decode()
    assert "Rapporter er ikke en del av rollen din" in page
