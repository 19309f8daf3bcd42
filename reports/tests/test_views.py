"""The report pages: who may see what, the audit entries, CSV and print, the forecast, and a
fixed number of queries whatever the amount of data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEntry
from reports import csv_export, figures
from reports.tests import factories as f
from reports.tests.conftest import END, START, TODAY

pytestmark = pytest.mark.django_db
PERIOD = {"start": f"{START:%Y-%m}", "end": f"{END:%Y-%m}"}


def params(kind, organisation=None):
    scope = "norway" if kind == "norway" else f"{kind}:{organisation.public_id}"
    return {"scope": scope, **PERIOD}


def report_entries():
    return AuditEntry.objects.filter(object_type__in=("report", "report_export"))


def test_the_analyst_sees_reports_but_no_patient_page(client_for, personas, patient, orgs):
    client = client_for(personas["analyst"])
    assert client.get(reverse("patients:detail", args=[patient.public_id])).status_code == 403
    assert client.get(reverse("patients:list")).status_code == 403
    response = client.get(reverse("reports:report"), params("norway"))
    assert response.status_code == 200
    assert "All of Norway" in response.content.decode()
    assert client.get(reverse("reports:report"), params("org", orgs["askoy"])).status_code == 200


def test_the_analyst_has_the_reports_link_and_no_patient_links(client_for, personas):
    page = client_for(personas["analyst"]).get(reverse("home")).content.decode()
    assert reverse("reports:report") in page
    assert reverse("patients:list") not in page


def test_a_coordinator_sees_their_municipality_and_its_health_community_only(client_for, personas, orgs):
    client = client_for(personas["coordinator"])  # Askøy
    assert client.get(reverse("reports:report"), params("org", orgs["askoy"])).status_code == 200
    assert client.get(reverse("reports:report"), params("community", orgs["helse_bergen"])).status_code == 200
    assert client.get(reverse("reports:report"), params("org", orgs["voss"])).status_code == 403
    assert client.get(reverse("reports:report"), params("org", orgs["haukeland"])).status_code == 403
    assert client.get(reverse("reports:report"), params("norway")).status_code == 403
    assert client.get(reverse("reports:export", args=["enrolments"]), params("org", orgs["voss"])).status_code == 403


def test_a_hospital_clinician_sees_the_hospital_and_its_community_not_a_municipality(client_for, personas, orgs):
    client = client_for(personas["nurse"])  # Haukeland
    assert client.get(reverse("reports:report"), params("org", orgs["haukeland"])).status_code == 200
    assert client.get(reverse("reports:report"), params("community", orgs["helse_bergen"])).status_code == 200
    assert client.get(reverse("reports:report"), params("org", orgs["askoy"])).status_code == 403


def test_a_gp_sees_no_reports(client_for, personas):
    assert client_for(personas["gp"]).get(reverse("reports:report")).status_code == 403


def test_the_admin_of_a_gp_office_sees_no_reports_either(client_for, orgs):
    from accounts.models import Role
    from conftest import make_user

    admin = make_user("gp-office-admin", orgs["gp_office"], Role.ORG_ADMIN)
    client = client_for(admin)
    assert client.get(reverse("reports:report")).status_code == 403
    assert client.get(reverse("reports:report"), params("community", orgs["helse_bergen"])).status_code == 403
    assert client.get(reverse("reports:forecast")).status_code == 403


def test_the_default_report_is_the_actors_own_organisation(client_for, personas):
    response = client_for(personas["coordinator"]).get(reverse("reports:report"))
    assert response.status_code == 200
    assert response.context["report"].scope.organisation.name == "Askøy"


def test_every_view_and_export_is_audited_without_a_patient(client_for, personas, orgs, world):
    client = client_for(personas["coordinator"])
    chosen = params("org", orgs["askoy"])
    client.get(reverse("reports:report"), chosen)
    client.get(reverse("reports:export", args=["points"]), chosen)
    client.get(reverse("reports:print"), chosen)
    client.get(reverse("reports:forecast"), {"municipality": orgs["askoy"].public_id})
    client.get(reverse("reports:forecast_export"), {"municipality": orgs["askoy"].public_id})
    entries = list(report_entries().order_by("id"))
    assert [(e.object_type, e.detail.split(" ")[0]) for e in entries] == [
        ("report", f"org:{orgs['askoy'].public_id}"),
        ("report_export", "points.csv"),
        ("report_export", "print"),
        ("report", "forecast"),
        ("report_export", "forecast.csv"),
    ]
    assert all(e.patient_public_id is None and e.organisation == orgs["askoy"] for e in entries)
    assert entries[1].detail.endswith("2025-01-01/2025-06-30")


def test_a_refused_report_writes_no_report_entry(client_for, personas, orgs):
    client_for(personas["coordinator"]).get(reverse("reports:report"), params("org", orgs["voss"]))
    assert not report_entries().exists()


def test_csv_is_utf8_with_bom_semicolons_and_a_filename(client_for, personas, orgs, world):
    response = client_for(personas["coordinator"]).get(
        reverse("reports:export", args=["enrolments"]), params("org", orgs["askoy"])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="heimveg-enrolments-askoy-vestland-2025-01-01-2025-06-30.csv"'
    )
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    lines = body.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "Month of diagnosis;Accepted;Declined;Not yet asked;Diagnosed and enrolled"
    # Hand count: Jan 3 accepted + 1 declined, Feb 2 accepted + 1 not asked, then four empty
    # months; 5 + 1 + 1 = 7 in all. Every count below 5 is hidden, and so is what would give one away.
    rows = [line.split(";") for line in lines[1:] if line]
    assert len(rows) == 7 and rows[-1][0] == "Whole period"
    assert rows[2][1:] == ["0", "0", "0", "0"]  # March
    whole = rows[-1]
    assert whole[2] == "<5" and whole[3] == "<5"
    # The 2 who did not accept (7 - 5) are a small count too: accepted and the total are not
    # both shown (reports.links.rests, through the comparison's accepted share).
    assert whole[1] in ("5", "x") and whole[4] in ("7", "x") and "x" in (whole[1], whole[4])
    assert all(cell in ("0", "<5", "x") or int(cell) >= 5 for row in rows for cell in row[1:])


def test_csv_decimal_comma_and_shares_without_the_sign():
    from reports.tables.cells import DECIMAL, SHARE, Cell, Column, Row, Table

    table = Table("t", "T", "Row", [Column("a", "A (%)", SHARE), Column("b", "B", DECIMAL)])
    table.rows = [Row("æøå", [Cell("85 %", 85), Cell("2,5", 2.5)])]
    assert csv_export.table_csv(table) == "\ufeffRow;A (%);B\r\næøå;85;2,5\r\n"


def test_unknown_table_is_404(client_for, personas, orgs):
    client = client_for(personas["coordinator"])
    assert client.get(reverse("reports:export", args=["nope"]), params("org", orgs["askoy"])).status_code == 404


def test_the_print_view_has_the_whole_report(client_for, personas, orgs, world):
    response = client_for(personas["coordinator"]).get(reverse("reports:print"), params("org", orgs["askoy"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "data-print" in page
    for table in response.context["report"].tables:
        assert f'id="h-{table.slug}"' in page
    assert "Definition:" in page


def test_the_page_has_definitions_chart_data_and_tables(client_for, personas, orgs, world):
    response = client_for(personas["coordinator"]).get(
        reverse("reports:report"), params("community", orgs["helse_bergen"])
    )
    page = response.content.decode()
    slugs = [t.slug for t in response.context["report"].tables]
    assert slugs == [
        "enrolments", "points", "points_trend", "first_point", "distress", "help_areas", "handover", "bereavement",
        "comparison",
    ]  # fmt: skip
    assert page.count("Definition:") == len(slugs)
    assert 'id="chart-enrolments-data" type="application/json"' in page
    assert "chartjs/chart.umd.min.js" in page
    assert "Askøy" in page and "The health community (average)" in page


def test_the_report_holds_no_personal_data(client_for, personas, orgs, world):
    page = client_for(personas["analyst"]).get(reverse("reports:report"), params("norway")).content.decode()
    assert "Rapport" not in page  # the family name of every test patient
    for enrolment in world["enrolments"].values():
        assert str(enrolment.patient.public_id) not in page
        assert enrolment.patient.national_id not in page


def more_data(orgs, n):
    """n more Askøy patients, each with a completed first point, a conversation and a message."""
    for i in range(n):
        diagnosed = datetime.date(2025, 1 + i % 6, 1 + i % 27)
        enrolment = f.enrolment(orgs["askoy"], orgs["haukeland"], diagnosed)
        point = f.point(enrolment, "sp1", orgs["haukeland"], diagnosed, diagnosed + datetime.timedelta(days=28),
                        "completed", diagnosed + datetime.timedelta(days=i % 20))  # fmt: skip
        f.conversation(point, distress=i % 11, help_areas=["topic-work", "topic-coping"][: i % 3])
        f.message(enrolment, orgs["haukeland"], orgs["askoy"], diagnosed, diagnosed + datetime.timedelta(days=2))


@pytest.mark.parametrize("kind", ["norway", "community", "org"])
def test_the_number_of_queries_does_not_grow_with_the_data(client_for, personas, orgs, world, kind):
    client = client_for(personas["analyst"])
    organisation = {"norway": None, "community": orgs["helse_bergen"], "org": orgs["askoy"]}[kind]
    counts = []
    for extra in (0, 30):
        more_data(orgs, extra)
        figures.refresh(TODAY)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("reports:report"), params(kind, organisation))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_forecast_is_for_the_coordinators_own_health_community_only(client_for, personas, orgs, world):
    client = client_for(personas["coordinator"])
    response = client.get(reverse("reports:forecast"))
    assert response.status_code == 200 and response.context["municipality"] == orgs["askoy"]
    assert client.get(reverse("reports:forecast"), {"municipality": orgs["voss"].public_id}).status_code == 200
    oslo = world["oslo"]
    assert client.get(reverse("reports:forecast"), {"municipality": oslo.public_id}).status_code == 403
    assert client.get(reverse("reports:forecast_export"), {"municipality": oslo.public_id}).status_code == 404
    analyst = client_for(personas["analyst"])
    assert analyst.get(reverse("reports:forecast"), {"municipality": oslo.public_id}).status_code == 200


def test_the_forecast_csv(client_for, personas, orgs, world):
    response = client_for(personas["coordinator"]).get(
        reverse("reports:forecast_export"), {"municipality": orgs["askoy"].public_id}
    )
    assert response.status_code == 200 and response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").split("\r\n")
    assert lines[0].split(";")[0] == "Week" and len([line for line in lines if line]) == 1 + 52 + 1


def test_the_organisation_admin_sees_report_views_and_exports_in_the_audit_log(client_for, personas, orgs, world):
    client = client_for(personas["admin"])  # organisation admin in Askøy
    client.get(reverse("reports:export", args=["distress"]), params("org", orgs["askoy"]))
    page = client.get(reverse("audit:organisation_log")).content.decode()
    assert "(oversight report exported or printed)" in page
    assert f"distress.csv org:{orgs['askoy'].public_id} 2025-01-01/2025-06-30" in page
