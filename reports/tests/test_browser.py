"""The oversight report in a real browser (Debian's Chromium through Playwright): a municipal
coordinator opens the report from the menu, chooses the health community, reads the charts and
tables, downloads a table as CSV, opens the printable report and the capacity forecast. Every
page passes axe-core's WCAG 2.0/2.1 A/AA rules on a desktop and a phone.

Run alone with `pytest -m browser`.
"""

import pytest

from directory.models import Organisation
from reports.tests.conftest import END, START
from testsupport.browser import ASKOY, BROWSER_MARKS, check_page, click_and_wait, nb, sign_in

pytest_plugins = ["testsupport.browser"]  # the page, national_directory and coordinator fixtures
pytestmark = BROWSER_MARKS


@pytest.fixture
def data(national_directory, world):
    return world


def test_a_coordinator_reads_the_health_community_report_and_exports_a_csv(live_server, coordinator, data, page):
    base = live_server.url
    trust = Organisation.objects.get(org_number="983974724")  # Helse Bergen
    askoy = Organisation.objects.get(municipality_number=ASKOY)

    sign_in(page, base, "koordinator")
    click_and_wait(page, page.locator("nav a[href='/reports/']"))
    assert page.locator("h1").inner_text() == nb("Oversight report")
    check_page(page, "report for the coordinator's municipality")

    page.select_option("#id_scope", value=f"community:{trust.public_id}")
    page.fill("#id_start", f"{START:%Y-%m}")
    page.fill("#id_end", f"{END:%Y-%m}")
    click_and_wait(page, page.locator("form.hv-report-form button[type=submit]"))
    main = page.locator("main")
    assert nb("Health community of %(trust)s", trust=trust.name) in main.inner_text()
    assert page.locator("#h-comparison").count() == 1
    assert page.locator("figure[data-chart] canvas").count() == 7  # Chart.js drew every chart
    assert main.locator("table").count() == 9
    check_page(page, "report for the health community")

    with page.expect_download() as download_info:
        page.locator("a[href^='/reports/export/points.csv']").click()
    download = download_info.value
    name = download.suggested_filename  # the table and the scope, as the page names them (in bokmål)
    assert name.startswith("heimveg-points-") and "helse-bergen-hf" in name and name.endswith(".csv")
    content = open(download.path(), "rb").read()
    assert content.startswith(b"\xef\xbb\xbf")
    header = content.decode("utf-8-sig").split("\r\n")[0]
    assert len(header.split(";")) == 12  # the point, five outcomes, their total, five shares

    click_and_wait(page, page.locator("a[href^='/reports/print/']"))
    assert page.locator("button[data-print]").count() == 1
    check_page(page, "printable report")

    page.goto(f"{base}/reports/forecast/?municipality={askoy.public_id}")
    assert page.locator("#h-forecast").count() == 1
    check_page(page, "capacity forecast")
