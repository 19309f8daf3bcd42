"""Choosing a municipality by typing, in a real browser (Debian's Chromium through Playwright): a
hospital nurse registers a patient in Herøy. Typing the bare name shows, while typing, that two
municipalities have it; sending it is refused with the counties to choose from; typing on to the
county and number registers the right one. The page passes axe-core at each step, with the
keyboard only and within the content security policy (the hint's script is a static file).

Run alone with `pytest -m browser`.
"""

import datetime

from accounts.models import Membership, Role, User
from conftest import PASSWORD, synthetic_id
from directory.models import Organisation
from patients.models import Patient
from testsupport.browser import BROWSER_MARKS, check_page, nb, sign_in, submit

pytest_plugins = ["testsupport.browser"]  # the page and national_directory fixtures
pytestmark = BROWSER_MARKS


def test_a_nurse_chooses_the_patients_municipality_by_typing(live_server, national_directory, page):
    base = live_server.url
    nurse = User.objects.create_user(
        username="sykepleier", password=PASSWORD, first_name="Siri", last_name="Sykepleier"
    )
    haukeland = Organisation.objects.get(kind="hospital", name="Haukeland universitetssjukehus")
    Membership.objects.create(user=nurse, organisation=haukeland, role=Role.HOSPITAL_CLINICIAN)
    sign_in(page, base, "sykepleier")

    page.goto(f"{base}/patients/new/")
    municipality = page.locator("#id_municipality")
    assert municipality.get_attribute("list") == "id_municipality-options"
    assert page.locator("#id_municipality-options option[value='Herøy (Nordland) – 1818']").count() == 1
    check_page(page, "register form with the municipality type-ahead")

    page.locator("#id_national_id").press_sequentially(synthetic_id(datetime.date(1950, 6, 1)))
    page.keyboard.press("Tab")
    page.keyboard.type("Ingrid")
    page.keyboard.press("Tab")
    page.keyboard.type("Fjellheim")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_municipality"
    page.keyboard.type("Herøy")
    hint = page.locator("#id_municipality-options-hint")
    assert "Herøy (Møre og Romsdal) – 1515" in hint.inner_text() and "Herøy (Nordland) – 1818" in hint.inner_text()
    check_page(page, "register form with the hint about two Herøy")

    submit(page)
    error = page.locator("#id_municipality_error")
    counties = nb("%(first)s or %(last)s", first="Herøy (Møre og Romsdal) – 1515", last="Herøy (Nordland) – 1818")
    message = nb("%(n)s municipalities are called “%(text)s”. Choose the one in the right county: %(options)s.")
    expected = message % {"n": 2, "text": "Herøy", "options": counties}
    assert error.inner_text().strip() == expected
    assert municipality.input_value() == "Herøy"  # what was typed is kept
    assert municipality.get_attribute("aria-invalid") == "true"
    assert not Patient.objects.exists()
    check_page(page, "register form refusing a name two municipalities share")

    municipality.focus()
    page.keyboard.press("End")
    page.keyboard.type(" (Nordland) – 1818")
    assert municipality.input_value() == "Herøy (Nordland) – 1818"
    assert hint.inner_text() == ""
    submit(page)
    assert page.locator(".ds-validation-message").count() == 0, page.locator("main").inner_text()
    patient = Patient.objects.get(family_name="Fjellheim")
    assert patient.municipality.municipality_number == "1818"
