"""The comparison of a health community's municipalities (reports.tables.comparison): which
reports have one, the patients and municipal points of each municipality with the shares, the
community's average, small counts hidden (and the shares that would give them away)."""

import pytest

from directory.models import Organisation
from reports import scope as scopes
from reports.tables.comparison import community_of, comparison_counts, comparison_table
from reports.tests.conftest import END, START
from reports.tests.grids import texts

pytestmark = pytest.mark.django_db


def test_the_community_compared_is_the_scopes_health_trusts(orgs):
    trust = orgs["helse_bergen"]
    assert community_of(scopes.community_scope(trust)) == trust
    assert community_of(scopes.organisation_scope(orgs["askoy"])) == trust  # a municipality's own community
    assert community_of(scopes.organisation_scope(trust)) == trust
    assert community_of(scopes.organisation_scope(orgs["haukeland"])) is None  # a hospital: none
    assert community_of(scopes.norway_scope()) is None


def test_comparison_of_municipalities(world):
    table = comparison_table(world["helse_bergen"], START, END)
    rows = {row.label: [c.text for c in row.cells] for row in table.rows}
    # Patients: Askøy 7, Voss 1, the rest 0, community 8. Voss's 1 is hidden, and Askøy's 7 with
    # it, or 8 - 0 - ... - 7 would give the 1 back.
    assert rows["Voss"][0] == "<5"
    assert rows["Askøy"][0] == "x"
    assert rows["Askøy"][1] == "x"  # 5 of 7 accepted: 2 did not, a small count
    assert rows["Askøy"][2] == "5"  # the only municipal points: Askøy's five
    assert rows["Askøy"][3] == "x"  # 1 of 5 inside the window
    community = table.rows[-1]
    assert community.is_total and community.label == "The health community (average)"
    assert [c.text for c in community.cells] == ["8", "x", "5", "x"]
    assert table.chart["datasets"][1]["type"] == "line"


def test_the_counts_before_suppression(world):
    comparison = comparison_counts(world["helse_bergen"], START, END)
    names = [name for _pk, name in comparison.municipalities]
    assert names == sorted(names) and "Askøy" in names and "Oslo" not in names
    counts = dict(zip(names, comparison.counts.with_totals(), strict=False))
    # Askøy: 7 patients, 5 accepted (E1-E3, E5, E6); 5 municipal points judged, 1 inside (E1).
    assert counts["Askøy"] == [7, 5, 5, 1]
    assert counts["Voss"] == [1, 1, 0, 0]  # V1's second point closes in July
    assert comparison.counts.with_totals()[-1] == [8, 6, 5, 1]


def test_an_empty_period_shows_every_municipality_without_shares(orgs):
    table = comparison_table(orgs["helse_bergen"], START, END)
    municipalities = Organisation.objects.filter(health_trust=orgs["helse_bergen"], kind=Organisation.Kind.MUNICIPALITY)
    assert len(table.rows) == municipalities.count() + 1
    assert all(texts(row) == ["0", "–", "0", "–"] for row in table.rows)
    assert table.chart["datasets"][1]["data"] == [None] * municipalities.count()  # no average to draw


def test_a_health_trust_that_serves_no_municipality_has_no_comparison(orgs):
    trust = Organisation.objects.create(kind=Organisation.Kind.HEALTH_TRUST, name="Testvik spesialhelseforetak")
    assert comparison_counts(trust, START, END) is None
    assert comparison_table(trust, START, END) is None
