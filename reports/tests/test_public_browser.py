"""The public delivery figures in a real browser, without signing in: the national page with its
ranked chart (drawn under the strict Content-Security-Policy) and its table, a health trust's and
a municipality's page, found through the chooser. Each passes axe-core's WCAG 2.0/2.1 A/AA rules
on a desktop and on a phone, without sideways scrolling.

Run alone with `pytest -m browser`.
"""

import datetime

import pytest

from directory.models import Organisation
from reports.public import compute
from testsupport.browser import ASKOY, BROWSER_MARKS, check_page, click_and_wait, nb

pytest_plugins = ["testsupport.browser"]
pytestmark = BROWSER_MARKS


@pytest.fixture
def data(national_directory, world):
    compute.refresh(datetime.date(2026, 3, 1))
    return world


def test_a_journalist_reads_the_figures_of_the_country_a_trust_and_a_municipality(live_server, data, page):
    trust = Organisation.objects.get(org_number="983974724")  # Helse Bergen
    askoy = Organisation.objects.get(municipality_number=ASKOY)
    page.goto(f"{live_server.url}/info/figures/")
    assert page.locator("h1").inner_text() == nb("Is the pathway home delivered? All of Norway")
    assert page.locator("#h-ranking").count() == 1
    assert page.locator("figure[data-chart] canvas").count() == 1  # the ranked chart, drawn
    assert page.locator("main table").count() == 1 + 3 + 1  # patients, three points, the ranking
    check_page(page, "national delivery figures")

    page.select_option("#id_area", value=str(trust.public_id))
    click_and_wait(page, page.locator("main form button[type=submit]"))
    assert trust.name in page.locator("h1").inner_text()
    check_page(page, "a health trust's delivery figures")

    click_and_wait(page, page.locator(f"main ul a[href='/info/figures/{askoy.public_id}/']"))
    assert "Askøy" in page.locator("h1").inner_text()
    assert page.locator("main table").count() == 1 + 2  # patients, the municipality's two points
    check_page(page, "a municipality's delivery figures")
