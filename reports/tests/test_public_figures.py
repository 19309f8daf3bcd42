"""The public delivery figures: computed nightly from the reports' own figures, one document per
area, shown without sign-in as a page (nb, nn, en), an open CSV and a JSON download that
validates against the JSON Schema served beside it. The hand counts are those of the `world`
data set (reports/tests/conftest.py)."""

import csv
import datetime
import io
import json

import jsonschema_rs
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.models import PublicFigures
from reports.public import compute
from reports.public.views import schema_document

AS_OF = datetime.date(2026, 3, 1)  # the last full year: 2025


def figure(document, period, measure, point=None):
    return next(
        row for row in document["figures"] if (row["period"], row["measure"], row["point"]) == (period, measure, point)
    )


def document_of(organisation=None):
    return PublicFigures.objects.get(area=str(organisation.public_id) if organisation else "norway").document


@pytest.fixture
def public(world):
    compute.refresh(AS_OF)
    return world


def test_periods_are_the_quarters_and_the_year():
    assert compute.periods(2025)[1] == ("2025-Q2", datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))
    assert compute.periods(2025)[3][2] == datetime.date(2025, 12, 31)
    assert compute.periods(2025)[4] == ("2025", datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    assert compute.last_full_year(datetime.date(2026, 1, 1)) == 2025


def test_hand_counted_figures(public):
    askoy, trust, norway = document_of(public["askoy"]), document_of(public["helse_bergen"]), document_of()
    assert (askoy["year"], askoy["points"], trust["points"]) == (2025, ["sp2", "sp3"], ["sp1"])
    assert askoy["area"]["health_trust"]["id"] == str(public["helse_bergen"].public_id)
    # Askøy: 7 patients diagnosed in January and February 2025, 6 of them asked (5 accepted, 1
    # declined) and 1 not yet asked: the 1 is a small count, so the share offered is hidden, and
    # so is one of the counts that would give it back.
    offered = figure(askoy, "2025-Q1", "offered_share")
    assert offered == {**offered, "value": None, "status": "hidden"}
    assert figure(askoy, "2025-Q2", "registered") == {**figure(askoy, "2025-Q2", "registered"), "value": 0}
    # Askøy's second points: 7 windows closed in Q2, 1 held inside it: the share is hidden.
    assert figure(askoy, "2025-Q2", "in_window_share", "sp2")["status"] == "hidden"
    # Two second points held in Q2 (111 and 140 days): fewer than 5, the median is hidden; none in Q1.
    assert figure(askoy, "2025-Q2", "median_days", "sp2")["status"] == "hidden"
    assert figure(askoy, "2025-Q1", "median_days", "sp2")["status"] == "none"
    # Haukeland's first points held in Q1 2025: 0, 4, 5, 10 and 39 days: the median is 5. All of
    # Norway adds one elsewhere (1 day): 0, 1, 4, 5, 10, 39: 4.
    assert figure(trust, "2025-Q1", "median_days", "sp1")["value"] == 5
    assert figure(norway, "2025-Q1", "median_days", "sp1")["value"] == 4
    assert figure(norway, "2025", "median_days", "sp1")["value"] == 4
    # No shown count is a small one, and every hidden figure has no value.
    for document in (askoy, trust, norway):
        for row in document["figures"]:
            assert (row["value"] is None) == (row["status"] != "shown")
            if row["measure"] in ("registered", "window_closed") and row["value"] is not None:
                assert row["value"] == 0 or row["value"] >= 5


def test_the_ranking_lists_the_areas_one_level_down(public):
    norway, trust = document_of(), document_of(public["helse_bergen"])
    assert str(public["helse_bergen"].public_id) in [child["area"]["id"] for child in norway["children"]]
    names = [child["area"]["name"] for child in trust["children"]]
    assert "Askøy" in names and "Voss" in names and names == sorted(names)
    assert all(row["period"] == "2025" for child in trust["children"] for row in child["figures"])
    assert document_of(public["askoy"])["children"] == []


def test_json_validates_against_the_served_schema(public, client):
    response = client.get("/info/figures/schema.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/schema+json"
    validator = jsonschema_rs.validator_for(json.loads(response.content))
    for area in ("norway", str(public["askoy"].public_id), str(public["helse_bergen"].public_id)):
        response = client.get(f"/info/figures/{area}.json")
        assert response.status_code == 200
        body = response.json()
        validator.validate(body)
        assert body["$schema"] == "http://testserver/info/figures/schema.json"
    assert schema_document()["$defs"]["figure"]["properties"]["status"]["enum"] == [
        "shown",
        "fewer_than_5",
        "hidden",
        "none",
    ]


def test_csv_has_every_figure_of_the_page(public, client):
    response = client.get(f"/info/figures/{public['askoy'].public_id}.csv")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["area_id", "area_kind", "area_name", "year", "period", "measure", "point", "value", "status"]
    assert len(rows) - 1 == len(document_of(public["askoy"])["figures"]) == 5 * (2 + 2 * 3)
    assert ["Askøy", "2025", "2025-Q2", "median_days", "sp2", "", "hidden"] in [row[2:] for row in rows]
    assert ["Askøy", "2025", "2025-Q2", "registered", "", "0", "shown"] in [row[2:] for row in rows]


def test_pages_without_sign_in_in_three_languages(public, client):
    for language, title in (
        ("en", "Is the pathway home delivered?"),
        ("nb", "Blir pakkeforløp hjem gjennomført?"),
        ("nn", "Blir pakkeforløp heim gjennomført?"),
    ):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get("/info/figures/")
        assert response.status_code == 200
        assert title in response.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert (
        "Ranked by the share of Point 1 held inside the window, 2025" in client.get("/info/figures/").content.decode()
    )
    page = client.get(f"/info/figures/{public['helse_bergen'].public_id}/").content.decode()
    assert "Ranked by the share of Point 2 held inside the window, 2025" in page
    assert "Quarter 1 2025" in page and "The whole year 2025" in page
    assert f"/info/figures/{public['askoy'].public_id}/" in page
    page = client.get(f"/info/figures/{public['askoy'].public_id}/").content.decode()
    assert "Median days from the diagnosis" in page and "Helse Bergen HF" in page


def test_the_national_page_is_one_cheap_read(public, client):
    client.get("/info/figures/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/info/figures/")
    assert response.status_code == 200
    assert len(queries) <= 3  # the document, the list of areas to choose from (and no session)


def test_choosing_an_area_and_unknown_areas(public, client):
    askoy = str(public["askoy"].public_id)
    assert client.get("/info/figures/", {"area": askoy})["Location"] == f"/info/figures/{askoy}/"
    assert client.get("/info/figures/", {"area": "not-a-uuid"}).status_code == 200
    hospital = public["haukeland"].public_id  # figures are per municipality, trust and country
    assert client.get(f"/info/figures/{hospital}/").status_code == 404
    assert client.get(f"/info/figures/{hospital}.json").status_code == 404
    assert client.get("/info/figures/nowhere.csv").status_code == 404


def test_before_the_first_refresh_the_page_says_so(db, client):
    response = client.get("/info/figures/")
    assert response.status_code == 200
    assert "The figures have not been computed yet" in response.content.decode()
    assert client.get("/info/figures/norway.json").status_code == 404
