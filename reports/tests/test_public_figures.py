"""The public delivery figures: computed from the reports' own figures, one document per area,
shown without sign-in as a page, CSV and JSON (validated against the served JSON Schema)."""

import csv
import datetime
import io
import json

import jsonschema_rs
import pytest

from reports.models import PublicFigures
from reports.public import compute
from reports.public.views import schema_document

D = datetime.date
AS_OF = D(2026, 3, 1)  # the last full year: 2025


def figure(document, period, measure, point=None):
    return next(
        row for row in document["figures"] if (row["period"], row["measure"], row["point"]) == (period, measure, point)
    )


@pytest.fixture
def public(world):
    compute.refresh(AS_OF)
    return world


def test_hand_counted_figures_of_a_municipality(public):
    askoy = PublicFigures.objects.get(area=str(public["askoy"].public_id)).document
    assert askoy["year"] == 2025 and askoy["points"] == ["sp2", "sp3"]
    print(json.dumps(askoy["figures"], indent=0))


def test_json_validates_against_the_served_schema(public, client):
    validator = jsonschema_rs.validator_for(schema_document())
    for area in ("norway", str(public["askoy"].public_id), str(public["helse_bergen"].public_id)):
        response = client.get(f"/info/figures/{area}.json")
        assert response.status_code == 200
        body = response.json()
        validator.validate(body)
        assert body["$schema"].endswith("/info/figures/schema.json")
    assert client.get("/info/figures/schema.json").status_code == 200


def test_pages_without_sign_in(public, client):
    response = client.get("/info/figures/")
    assert response.status_code == 200
    assert client.get(f"/info/figures/{public['helse_bergen'].public_id}/").status_code == 200
    assert client.get(f"/info/figures/{public['askoy'].public_id}/").status_code == 200
    rows = list(
        csv.reader(io.StringIO(client.get("/info/figures/norway.csv").content.decode("utf-8-sig")), delimiter=";")
    )
    assert rows[0][0] == "area_id"
