"""The organisation admin's audit log in a real browser (Debian's Chromium through Playwright):
the page with its filters, a patient lookup with several matches, and a filtered page pass axe-core's
WCAG 2.1 A/AA rules on a desktop screen and on a phone.

Run alone with `pytest -m browser audit`; skipped when /usr/bin/chromium is missing.
"""

import datetime

from accounts.actor import Actor
from accounts.models import Membership, Role, User
from audit import services as audit
from audit.models import AuditEntry
from conftest import PASSWORD, synthetic_id
from directory.models import Organisation
from lib import nin
from patients.models import Patient
from testsupport.browser import ASKOY, BROWSER_MARKS, check_page, click_and_wait, sign_in

pytest_plugins = ["testsupport.browser"]
pytestmark = BROWSER_MARKS


def test_the_audit_log_with_filters_passes_axe(live_server, coordinator, page):
    askoy = Organisation.objects.get(municipality_number=ASKOY)
    admin = User.objects.create_user(username="adminaskoy", password=PASSWORD, first_name="Anne", last_name="Admin")
    Membership.objects.create(user=admin, organisation=askoy, role=Role.ORG_ADMIN)
    actor = Actor(user=coordinator, membership=coordinator.memberships.get())
    for index, given in enumerate(("Kari", "Karin")):
        birth = datetime.date(1960 + index, 4, 2)
        patient = Patient.objects.create(
            national_id=synthetic_id(birth),
            national_id_kind=nin.FODSELSNUMMER,
            date_of_birth=birth,
            given_name=given,
            family_name="Nordmann",
            municipality=askoy,
            registered_by=askoy,
        )
        audit.record(actor, AuditEntry.Action.VIEW, patient_public_id=patient.public_id)
    audit.record(actor, AuditEntry.Action.DENIED, object_type="patients", detail="refused GET patients:list")

    base = live_server.url
    sign_in(page, base, "adminaskoy")
    page.goto(f"{base}/audit/")
    assert page.get_by_text("Kari Nordmann").count() == 1
    check_page(page, "audit log")

    page.locator("#id_q").press_sequentially("Nordmann")
    click_and_wait(page, page.locator("form[role=search] [type=submit]"))
    check_page(page, "audit log with a patient lookup")

    click_and_wait(page, page.locator("ul a", has_text="Karin Nordmann"))
    assert "patient=" in page.url
    page.locator("#id_action").select_option("view")
    click_and_wait(page, page.locator("form[method=get] [type=submit]"))
    assert "action=view" in page.url and "patient=" in page.url
    assert page.get_by_text("Kari Nordmann").count() == 0
    check_page(page, "filtered audit log")
