"""A municipal coordinator registers a patient in a real browser (Debian's Chromium through
Playwright), and every page on the way passes axe-core's WCAG 2.1 A/AA rules, on a desktop screen
and on a phone.

Run alone with `pytest -m browser`. The test is skipped when /usr/bin/chromium is missing
(`make system-packages` installs it); Playwright never downloads a browser of its own here.
"""

import datetime
import re

from conftest import PASSWORD, synthetic_id
from heimveg.testing.browser import ASKOY, BROWSER_MARKS, check_page, submit
from patients.models import Patient

pytest_plugins = ["heimveg.testing.browser"]  # the page, national_directory and coordinator fixtures
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
    assert page.locator("#id_municipality").evaluate("select => select.selectedOptions[0].text") == "Askøy"

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

    # The corrected number registers the patient, and the patient's page opens.
    national_id.fill("")
    national_id.press_sequentially(good)
    submit(page)
    patient = Patient.objects.get(national_id=good)
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
