"""A patient finds their municipality's public page on a phone, reads it in bokmål and switches to
English; an organisation admin adds a local offer. Every page on the way passes axe-core's WCAG 2.1
A/AA rules, on a desktop screen and on a phone, without sideways scrolling.

Run alone with `pytest -m browser`. The test is skipped when /usr/bin/chromium is missing
(`make system-packages` installs it); Playwright never downloads a browser of its own here.
"""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Membership, Role, User
from conftest import PASSWORD
from directory.models import LocalOffer, MissingAddressAlert, Organisation
from synthetic import demo_public_info
from testsupport.browser import ASKOY, BROWSER_MARKS, PHONE, check_page, submit

pytest_plugins = ["testsupport.browser"]  # the page, national_directory and coordinator fixtures
pytestmark = BROWSER_MARKS


@pytest.fixture
def askoy(national_directory):
    """Askøy with the demo introduction and offers."""
    demo_public_info.load()
    return Organisation.objects.get(municipality_number=ASKOY)


@pytest.fixture
def askoy_admin(askoy):
    user = User.objects.create_user(username="admin.askoy", password=PASSWORD, first_name="Tone", last_name="Admin")
    Membership.objects.create(user=user, organisation=askoy, role=Role.ORG_ADMIN)
    return user


def test_a_patient_finds_their_municipalitys_page_on_a_phone_and_reads_it_in_english(live_server, askoy, page):
    base = live_server.url
    page.set_viewport_size(PHONE)

    page.goto(f"{base}/info/")
    assert page.locator("html").get_attribute("lang") == "nb"
    check_page(page, "public index")
    page.set_viewport_size(PHONE)

    page.locator("#id_q").fill("askøy")
    with page.expect_navigation():
        page.locator("form[role=search] [type=submit]").click()
    results = page.locator(".hv-public-results a")
    assert results.count() == 1
    check_page(page, "search results")
    page.set_viewport_size(PHONE)

    with page.expect_navigation():
        results.first.click()
    assert page.url == f"{base}/info/{askoy.public_id}/"
    assert page.locator("html").get_attribute("lang") == "nb"
    assert "Askøy" in page.locator("h1").inner_text()
    main = page.locator("main").inner_text()
    assert "Frisklivssentralen" in main and "Samtalegruppe for pårørende" in main
    assert page.locator("main h2").count() >= 5
    check_page(page, "municipality page in bokmål")
    page.set_viewport_size(PHONE)

    # The language switch in the header, as on every page.
    page.locator("#language").select_option("en")
    with page.expect_navigation():
        page.locator("form[action='/i18n/setlang/'] [type=submit]").click()
    assert page.url == f"{base}/info/{askoy.public_id}/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().strip() == "The pathway home in Askøy"
    main = page.locator("main").inner_text()
    assert "Healthy life centre" in main and "Three conversations" in main
    # An offer without an English text is shown in bokmål, marked as such.
    assert page.locator("h4[lang=nb]", has_text="Samtalegruppe for pårørende").count() == 1
    check_page(page, "municipality page in English")

    # The municipality links to its hospitals' pages.
    page.set_viewport_size(PHONE)
    with page.expect_navigation():
        page.locator("main a", has_text="Haukeland universitetssjukehus").click()
    assert "Haukeland" in page.locator("h1").inner_text()
    check_page(page, "hospital page in English")


def test_an_admin_adds_a_local_offer_with_a_mistake_first(live_server, askoy_admin, askoy, page):
    base = live_server.url
    # Last night's reminder had no address to go to: the admin's start page says so.
    last_night = timezone.now() - datetime.timedelta(hours=9)
    MissingAddressAlert.objects.create(
        organisation=askoy, kind="reminder", count=2, first_seen_at=last_night, last_seen_at=last_night
    )
    page.goto(f"{base}/accounts/sign-in/")
    page.locator("#id_username").fill("admin.askoy")
    page.locator("#id_password").fill(PASSWORD)
    submit(page)
    page.wait_for_url(f"{base}/")
    assert "Askøy" in page.locator("#operator-alerts").inner_text()
    check_page(page, "the admin's start page with a missing-address alert")

    page.goto(f"{base}/directory/{askoy.public_id}/")
    with page.expect_navigation():
        page.locator("main a[href='/directory/public-page/']").click()
    check_page(page, "the admin's public page overview")
    with page.expect_navigation():
        page.locator("main a[href='/directory/public-page/offers/new/']").click()
    check_page(page, "new offer form")

    page.locator("#id_kind").select_option("support_group")
    page.locator("#id_phone").fill("ring oss")
    submit(page)
    assert page.locator("#id_name_nb_error").is_visible()
    assert page.locator("#id_phone_error").is_visible()
    assert page.locator("#id_phone").get_attribute("aria-invalid") == "true"
    assert page.locator("#error-summary a[href='#id_name_nb']").count() == 1
    check_page(page, "new offer form with errors")
    assert not LocalOffer.objects.filter(name_nb="Pårørendekafé").exists()

    page.locator("#id_name_nb").fill("Pårørendekafé")
    page.locator("#id_phone").fill("56 15 80 00")
    submit(page)
    page.wait_for_url(f"{base}/directory/public-page/")
    assert "Pårørendekafé" in page.locator("main").inner_text()
    check_page(page, "the admin's overview after saving")

    with page.expect_navigation():
        page.locator("main a[href='/directory/public-page/introduction/']").click()
    check_page(page, "introduction form")
