"""Who may report on what, the period picker, and computing the figures."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from reports import scope as scopes
from reports.models import FiguresRefresh, MonthlyFigure

pytestmark = pytest.mark.django_db


def test_analysts_may_choose_any_organisation_community_or_all_of_norway(actor_of, personas, orgs):
    analyst = actor_of(personas["analyst"])
    assert scopes.allowed(analyst, scopes.NORWAY, None)
    assert scopes.allowed(analyst, scopes.ORGANISATION, orgs["voss"])
    assert scopes.allowed(analyst, scopes.ORGANISATION, orgs["haukeland"])
    assert scopes.allowed(analyst, scopes.COMMUNITY, orgs["helse_bergen"])
    assert not scopes.allowed(analyst, scopes.COMMUNITY, orgs["askoy"])  # a community is a trust's
    assert not scopes.allowed(analyst, scopes.ORGANISATION, orgs["gp_office"])


def test_others_may_choose_their_own_organisation_and_its_health_community(actor_of, personas, orgs):
    admin = actor_of(personas["admin"])  # organisation admin in Askøy
    assert scopes.allowed(admin, scopes.ORGANISATION, orgs["askoy"])
    assert scopes.allowed(admin, scopes.COMMUNITY, orgs["helse_bergen"])
    assert not scopes.allowed(admin, scopes.NORWAY, None)
    assert not scopes.allowed(admin, scopes.ORGANISATION, orgs["voss"])
    assert not scopes.allowed(actor_of(personas["gp"]), scopes.COMMUNITY, orgs["helse_bergen"])


def test_a_health_trust_covers_its_hospitals_and_its_community_its_municipalities(orgs):
    trust = scopes.organisation_scope(orgs["helse_bergen"])
    assert orgs["haukeland"].pk in trust.org_ids and orgs["askoy"].pk not in trust.org_ids
    community = scopes.community_scope(orgs["helse_bergen"])
    assert {orgs["haukeland"].pk, orgs["askoy"].pk, orgs["voss"].pk, orgs["helse_bergen"].pk} <= community.org_ids
    assert orgs["askoy"].pk in community.municipality_ids and orgs["haukeland"].pk not in community.municipality_ids


@pytest.mark.parametrize(
    "start, end, message",
    [
        ("2025-06", "2025-01", "The end of the period comes before its start"),
        ("2020-01", "2025-01", "Choose a period of at most 36 months"),
        ("January", "2025-01", "Enter a month as year and month"),
    ],
)
def test_a_bad_period_is_refused_with_a_reason(client_for, personas, orgs, start, end, message):
    scope = f"org:{orgs['askoy'].public_id}"
    response = client_for(personas["coordinator"]).get(
        reverse("reports:report"), {"scope": scope, "start": start, "end": end}
    )
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_page_says_when_the_figures_have_not_been_computed(client_for, personas):
    page = client_for(personas["coordinator"]).get(reverse("reports:report")).content.decode()
    assert "The figures have not been computed yet" in page


def test_the_command_computes_the_figures(world, capsys):
    MonthlyFigure.objects.all().delete()
    call_command("refresh_report_figures")
    assert "Report figures as of" in capsys.readouterr().out
    assert MonthlyFigure.objects.exists()
    assert FiguresRefresh.objects.count() == 2  # the world's own, and this one


def test_computing_again_replaces_the_figures(world):
    from reports import figures
    from reports.tests.conftest import TODAY

    before = sorted(MonthlyFigure.objects.values_list("month", "measure", "key", "category", "count"))
    figures.refresh(TODAY)
    assert sorted(MonthlyFigure.objects.values_list("month", "measure", "key", "category", "count")) == before


def test_the_default_period_is_the_last_twelve_whole_months():
    import datetime

    from reports.forms import default_period

    assert default_period(datetime.date(2026, 11, 23)) == (datetime.date(2025, 11, 1), datetime.date(2026, 10, 31))
    assert default_period(datetime.date(2026, 1, 1)) == (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
