"""A municipal coordinator registers a patient in a real browser (Debian's Chromium through
Playwright), and every page on the way passes axe-core's WCAG 2.1 A/AA rules, on a desktop screen
and on a phone.

Run alone with `pytest -m browser`. The test is skipped when /usr/bin/chromium is missing
(`make system-packages` installs it); Playwright never downloads a browser of its own here.
"""

import datetime
import re

from conftest import PASSWORD, synthetic_id
from patients.models import Patient
from testsupport.browser import ASKOY, BROWSER_MARKS, check_page, submit

pytest_plugins = ["testsupport.browser"]  # the page, national_directory and coordinator fixtures
pytestmark = BROWSER_MARKS


def test_a_coordinator_signs_in_and_registers_a_patient_in_the_browser(live_server, coordinator, page):
    base = live_server.url
    good = synthetic_id(datetime.date(1970, 3, 14))
    bad = good[:10] + str((int(good[10]) + 1) % 10)  # the second check digit no longer matches

    # Sign in through the real page.
    page.goto(f"{base}/accounts/sign-in/")
    check_page(page, "sign-in page")
    page.locator("#id_username").press_sequentially("koordinator")
    page.locator("#id_password").press_sequentially(PASSWORD)
    submit(page)
    page.wait_for_url(f"{base}/")
    assert page.locator("h1").inner_text().strip()
    assert page.get_by_role("navigation").count() == 1
    check_page(page, "home page")

    # The register form, from the main menu.
    page.get_by_role("navigation").locator('a[href="/patients/new/"]').click()
    page.wait_for_url(f"{base}/patients/new/")
    check_page(page, "register form")
    assert page.locator("#id_municipality").input_value() == "Askøy (Vestland) – 4627"

    # A mistyped number: the error is next to the field and nothing typed is lost.
    page.locator("#id_national_id").press_sequentially(bad)
    page.locator("#id_given_name").press_sequentially("Ingrid")
    page.locator("#id_family_name").press_sequentially("Fjellheim")
    submit(page)
    assert page.url == f"{base}/patients/new/"
    national_id = page.locator("#id_national_id")
    error = page.locator("#id_national_id_error")
    assert error.is_visible()
    assert error.inner_text().strip()
    assert national_id.get_attribute("aria-invalid") == "true"
    assert "id_national_id_error" in national_id.get_attribute("aria-describedby").split()
    # The message sits right after the field, inside the same field group.
    assert page.locator(".ds-field:has(#id_national_id) #id_national_id_error").count() == 1
    assert page.locator("#error-summary a[href='#id_national_id']").count() == 1
    assert page.locator("#error-summary").get_attribute("role") == "alert"  # aria-labelledby needs a role
    assert national_id.input_value() == bad
    assert page.locator("#id_given_name").input_value() == "Ingrid"
    assert page.locator("#id_family_name").input_value() == "Fjellheim"
    assert page.locator("#id_given_name").get_attribute("aria-invalid") is None
    assert not Patient.objects.exists()
    check_page(page, "register form with an error")

    # The corrected number registers the patient: the registration shows what was entered (the
    # same page whether or not the number was known), and from it the patient's page opens.
    national_id.fill("")
    national_id.press_sequentially(good)
    submit(page)
    patient = Patient.objects.get(national_id=good)
    registration = patient.registrations.get()
    page.wait_for_url(f"{base}/patients/registrations/{registration.public_id}/")
    assert "Ingrid Fjellheim" in page.locator("main").inner_text()
    check_page(page, "registration page")
    with page.expect_navigation():
        page.locator(f"main a[href='/patients/registrations/{registration.public_id}/record/']").click()
    page.wait_for_url(f"{base}/patients/{patient.public_id}/")
    assert page.locator("h1").inner_text().strip() == "Ingrid Fjellheim"
    assert patient.municipality.municipality_number == ASKOY
    assert patient.date_of_birth == datetime.date(1970, 3, 14)
    check_page(page, "patient page")

    # The patient list, from the main menu, shows the new patient.
    page.get_by_role("navigation").locator('a[href="/patients/"]').click()
    page.wait_for_url(f"{base}/patients/")
    assert page.get_by_role("link", name=re.compile("Fjellheim, Ingrid")).count() == 1
    check_page(page, "patient list")

    # And home again.
    page.goto(f"{base}/")
    check_page(page, "home page (after registering)")


def test_an_admin_reviews_an_emergency_access_past_the_daily_count(live_server, coordinator, page, settings):
    """The admin's start page alerts, the review queue passes axe, and marking reviewed empties it."""
    from accounts.models import Membership, Role, User
    from patients import access
    from patients.models import EmergencyAccess

    settings.EMERGENCY_DAILY_CAP = 0
    membership = coordinator.memberships.get()
    admin = User.objects.create_user(username="admin.askoy", password=PASSWORD, first_name="Tone", last_name="Admin")
    Membership.objects.create(user=admin, organisation=membership.organisation, role=Role.ORG_ADMIN)
    from accounts.actor import Actor

    access.grant_emergency_access(
        Actor(user=coordinator, membership=membership), None, "Akutt innlagt, pasienten er bevisstløs"
    )
    assert EmergencyAccess.objects.get().over_cap

    base = live_server.url
    page.goto(f"{base}/accounts/sign-in/")
    page.locator("#id_username").fill("admin.askoy")
    page.locator("#id_password").fill(PASSWORD)
    submit(page)
    page.wait_for_url(f"{base}/")
    assert "daglige antall" in page.locator("#operator-alerts").inner_text()  # bokmål by default
    check_page(page, "the admin's start page with an over-count alert")
    with page.expect_navigation():
        page.locator("#operator-alerts a[href='/patients/reviews/']").click()
    assert "Akutt innlagt" in page.locator("main").inner_text()
    check_page(page, "review queue")
    page.locator("main textarea").fill("Sjekket med avdelingen: nødvendig.")
    submit(page)
    page.wait_for_url(f"{base}/patients/reviews/")
    assert "Akutt innlagt" not in page.locator("main").inner_text()
    check_page(page, "review queue, empty")
    assert EmergencyAccess.objects.get().reviewed_by == admin
