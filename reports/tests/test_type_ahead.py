"""The report scope (for an analyst, every organisation in the country) and the capacity forecast
are chosen by typing, municipalities named with their county; a shared bare name is refused."""

import pytest
from django.urls import reverse

from directory.models import Organisation
from reports.tests.conftest import END, START

pytestmark = pytest.mark.django_db
PERIOD = {"start": f"{START:%Y-%m}", "end": f"{END:%Y-%m}"}


def test_the_analysts_scope_is_a_type_ahead_over_every_organisation(client_for, personas):
    page = client_for(personas["analyst"]).get(reverse("reports:report")).content.decode()
    assert '<select name="scope"' not in page and 'list="id_scope-options"' in page
    assert '<option value="Herøy (Møre og Romsdal) – 1515">' in page
    assert '<option value="Våler (Innlandet) – 3419">' in page
    assert page.count("<option ") > 357  # the country, health communities, trusts, hospitals, municipalities


def test_a_typed_label_is_the_scope_and_a_shared_bare_name_is_refused(client_for, personas):
    client = client_for(personas["analyst"])
    response = client.get(reverse("reports:report"), {"scope": "Våler (Innlandet) – 3419", **PERIOD})
    assert response.status_code == 200
    valer = Organisation.objects.get(municipality_number="3419")
    assert "Våler (Innlandet)" in response.content.decode()
    assert f"scope=org%3A{valer.public_id}" in response.content.decode()  # the exports use the key
    refused = client.get(reverse("reports:report"), {"scope": "Våler", **PERIOD})
    assert refused.status_code == 403
    assert "2 municipalities are called “Våler”. Choose the one in the right county" in refused.content.decode()


def test_a_coordinator_keeps_a_short_list_with_the_county(client_for, personas):
    page = client_for(personas["coordinator"]).get(reverse("reports:report")).content.decode()
    assert '<select name="scope"' in page and ">Askøy (Vestland)</option>" in page


def test_the_forecast_municipality_is_typed(client_for, personas):
    client = client_for(personas["analyst"])
    page = client.get(reverse("reports:forecast"), {"municipality": "Herøy (Nordland) – 1818"}).content.decode()
    assert "<dd>Herøy (Nordland)</dd>" in page
    assert '<option value="Herøy (Møre og Romsdal) – 1515">' in page
    refused = client.get(reverse("reports:forecast"), {"municipality": "Herøy"})
    assert refused.status_code == 403
    assert "Choose the one in the right county" in refused.content.decode()


def test_the_analysts_scope_reads_the_countrys_organisations_once(personas, actor_of):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.forms import ReportForm

    actor = actor_of(personas["analyst"])
    with CaptureQueriesContext(connection) as queries:
        ReportForm(actor=actor)
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "directory_organisation"' in q["sql"]]
    assert len(reads) == 1, reads
