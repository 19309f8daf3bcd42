"""The pathway home in a real browser (Debian's Chromium through Playwright): a hospital nurse
enrols a patient, and the patient's municipal coordinator finds the second collaboration point on
the worklist. Every page on the way passes axe-core's WCAG 2.0/2.1 A/AA rules, on a desktop screen
and on a phone, without sideways scrolling on the phone.

Run alone with `pytest -m browser`. The test is skipped when /usr/bin/chromium is missing
(`make system-packages` installs it); Playwright never downloads a browser of its own here.
Pages render in bokmål, and new strings may not be translated yet, so the test finds buttons and
links by id, name and address rather than by their text.
"""

import datetime
import re

import pytest
from django.utils import timezone

from accounts.models import Membership, Role, User
from conftest import PASSWORD, synthetic_id
from directory.models import Organisation
from lib import nin
from pathway import icd10
from pathway.models import DefinitionEnabling, Enrolment
from patients.models import Patient
from testsupport.browser import ASKOY, BROWSER_MARKS, check_page, submit

pytest_plugins = ["testsupport.browser"]  # the page, national_directory and coordinator fixtures
pytestmark = BROWSER_MARKS

HAUKELAND = "Haukeland universitetssjukehus"


@pytest.fixture
def nurse(national_directory):
    user = User.objects.create_user(username="sykepleier", password=PASSWORD, first_name="Siri", last_name="Sykepleier")
    haukeland = Organisation.objects.get(kind=Organisation.Kind.HOSPITAL, name=HAUKELAND)
    Membership.objects.create(user=user, organisation=haukeland, role=Role.HOSPITAL_CLINICIAN)
    return user


@pytest.fixture
def askoy_patient(national_directory):
    """A patient living in Askøy, registered by Haukeland."""
    birth = datetime.date(1958, 9, 2)
    return Patient.objects.create(
        national_id=synthetic_id(birth),
        national_id_kind=nin.FODSELSNUMMER,
        date_of_birth=birth,
        given_name="Ingrid",
        family_name="Fjellheim",
        municipality=Organisation.objects.get(municipality_number=ASKOY),
        registered_by=Organisation.objects.get(kind=Organisation.Kind.HOSPITAL, name=HAUKELAND),
    )


def sign_in(page, base, username, *, check=False):
    page.goto(f"{base}/accounts/sign-in/")
    if check:
        check_page(page, "sign-in page")
    page.locator("#id_username").press_sequentially(username)
    page.locator("#id_password").press_sequentially(PASSWORD)
    submit(page)
    page.wait_for_url(f"{base}/")


def sign_out(page, base):
    with page.expect_navigation():
        page.locator("header form[action='/accounts/sign-out/'] [type=submit]").click()
    page.wait_for_url(f"{base}/accounts/sign-in/")


def test_a_nurse_enrols_a_patient_and_the_coordinator_finds_the_second_point(
    live_server, nurse, coordinator, askoy_patient, page
):
    from playwright.sync_api import expect

    base = live_server.url
    patient = askoy_patient
    diagnosis_date = timezone.localdate() - datetime.timedelta(days=100)
    diagnosis_name = icd10.norwegian_title("C50.9")  # the pages are in bokmål: the Norwegian title
    assert diagnosis_name

    # The nurse signs in and opens the patient's page.
    sign_in(page, base, "sykepleier", check=True)
    page.goto(f"{base}/patients/{patient.public_id}/")
    assert page.locator("h1").inner_text().strip() == "Ingrid Fjellheim"
    check_page(page, "patient page")

    # The link in the pathway section opens the enrol form.
    enrol_url = f"/pathway/patients/{patient.public_id}/enrol/"
    page.locator(f"main a[href='{enrol_url}']").click()
    page.wait_for_url(f"{base}{enrol_url}")
    check_page(page, "enrol form")

    page.locator("#id_diagnosis_date").fill(diagnosis_date.isoformat())
    page.locator("#id_icd10_code").press_sequentially("C50.9")
    page.locator("#id_treatment_intent").select_option("curative")
    page.locator("input[name=offer][value=accepted]").check()
    check_page(page, "enrol form, filled in")
    submit(page)

    # The enrolment page, with the diagnosis and the timeline.
    enrolment = Enrolment.objects.get(patient=patient)
    enrolment_url = f"{base}/pathway/enrolments/{enrolment.public_id}/"
    page.wait_for_url(enrolment_url)
    assert enrolment.icd10_code == "C50.9"
    assert enrolment.diagnosis_date == diagnosis_date
    assert enrolment.offer == "accepted"
    assert enrolment.treatment_intent == "curative"
    assert diagnosis_name in page.locator("main").inner_text()
    assert page.locator(".hv-facts").get_by_text(f"C50.9 {diagnosis_name}").count() == 1
    assert page.locator("main [role=status]").count() == 1  # "enrolled" message
    timeline = page.locator("ol.hv-timeline > li")
    assert timeline.count() == enrolment.events.count() >= 5  # enrolled, three points scheduled, accepted
    check_page(page, "enrolment page (nurse)")

    # The second point, 3–4 months after the diagnosis, is due now and the municipality's to do.
    second = enrolment.points.get(key="sp2")
    today = timezone.localdate()
    assert second.window_opens <= today <= second.window_closes
    assert second.responsible_organisation.municipality_number == ASKOY

    # Signing out through the header form leads back to the sign-in page.
    sign_out(page, base)
    page.goto(f"{base}/pathway/worklist/")
    page.wait_for_url(re.compile(r"/accounts/sign-in/"))

    # The coordinator signs in and opens the worklist from the main menu.
    sign_in(page, base, "koordinator")
    page.get_by_role("navigation").locator("a[href='/pathway/worklist/']").click()
    page.wait_for_url(f"{base}/pathway/worklist/")
    rows = page.locator("table tbody tr").filter(has=page.get_by_role("link", name="Fjellheim, Ingrid", exact=True))
    assert rows.count() == 1  # the second point only: the first is the hospital's, the third is far off
    row = rows.first
    window = f"{second.window_opens:%d.%m.%Y}–{second.window_closes:%d.%m.%Y}"
    assert window in row.inner_text()
    assert row.locator(".ds-tag[data-color=warning]").count() == 1  # due
    check_page(page, "worklist")

    # The patient's name leads to the enrolment page.
    row.get_by_role("link", name="Fjellheim, Ingrid", exact=True).click()
    page.wait_for_url(enrolment_url)
    assert "Ingrid Fjellheim" in page.locator("h1").inner_text()
    assert diagnosis_name in page.locator("main").inner_text()
    check_page(page, "enrolment page (coordinator)")

    # The coordinator may book or close the second point: its steps' forms, opened, pass as well
    # (planning is the open step; completing is folded until it is opened).
    expect(page.locator(f"form[action='/pathway/points/{second.public_id}/book/']")).to_be_visible()
    details = page.locator(f"details:has(form[action='/pathway/points/{second.public_id}/close/'])")
    details.locator("summary").click()
    expect(details.locator(f"form[action='/pathway/points/{second.public_id}/close/']")).to_be_visible()
    check_page(page, "enrolment page (coordinator), book-or-close forms open")


# The pathways page: an organisation's admin enables the palliative-chain example, and the nurse's
# enrolment form then asks which pathway.


@pytest.fixture
def admin(national_directory):
    user = User.objects.create_user(username="admin-haukeland", password=PASSWORD, first_name="Ada")
    haukeland = Organisation.objects.get(kind=Organisation.Kind.HOSPITAL, name=HAUKELAND)
    Membership.objects.create(user=user, organisation=haukeland, role=Role.ORG_ADMIN)
    return user


def test_the_admin_enables_a_pathway_and_the_enrol_form_offers_it(live_server, admin, nurse, askoy_patient, page):
    base = live_server.url
    sign_in(page, base, "admin-haukeland")
    page.locator("main a[href='/pathway/definitions/']").click()
    page.wait_for_url(f"{base}/pathway/definitions/")
    check_page(page, "pathways page")
    with page.expect_navigation():
        page.locator("form[action='/pathway/definitions/palliative-chain-example/enabled/'] [type=submit]").click()
    assert DefinitionEnabling.objects.filter(definition_key="palliative-chain-example").exists()
    check_page(page, "pathways page, one enabled")
    sign_out(page, base)

    sign_in(page, base, "sykepleier")
    page.goto(f"{base}/pathway/patients/{askoy_patient.public_id}/enrol/")
    assert page.locator("input[name=definition_key][value=palliative-chain-example]").count() == 1
    check_page(page, "enrol form with a choice of pathway")
