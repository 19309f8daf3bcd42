"""The hand-over in a real browser (Debian's Chromium through Playwright): a hospital nurse
completes the first collaboration point; the outbox delivers; the municipality's coordinator finds
the message from the worklist, reads the summary and acknowledges it; the nurse then sees it
acknowledged. Every page passes axe-core's WCAG 2.0/2.1 A/AA rules on a desktop and a phone.

Run alone with `pytest -m browser`. Pages render in bokmål, so the test finds links and buttons by
address and name rather than by their text.
"""

import datetime

import pytest

from accounts.actor import Actor
from accounts.models import Membership, Role, User
from assessment.tests import factories
from conftest import PASSWORD, synthetic_id
from directory.models import Organisation
from handover import outbox
from handover.models import HandoverMessage
from lib import nin
from patients.models import Patient
from testsupport.browser import ASKOY, BROWSER_MARKS, check_page, click_and_wait, confirm, sign_in

pytest_plugins = ["testsupport.browser"]  # the page, national_directory and coordinator fixtures
pytestmark = BROWSER_MARKS
SUMMARY = "Wants to get back to work part-time; tired in the afternoons."


@pytest.fixture
def sp1(national_directory):
    """The first point of an Askøy patient enrolled at Haukeland, with the patient's answers."""
    haukeland = Organisation.objects.get(kind=Organisation.Kind.HOSPITAL, name="Haukeland universitetssjukehus")
    nurse = User.objects.create_user(
        username="sykepleier", password=PASSWORD, first_name="Siri", last_name="Sykepleier"
    )
    membership = Membership.objects.create(user=nurse, organisation=haukeland, role=Role.HOSPITAL_CLINICIAN)
    askoy = Organisation.objects.get(municipality_number=ASKOY)
    askoy.contact_points.create(name="Kreftkoordinator", phone="56 15 80 00", email="kreft@askoy.example.test")
    birth = datetime.date(1958, 9, 2)
    patient = Patient.objects.create(
        national_id=synthetic_id(birth),
        national_id_kind=nin.FODSELSNUMMER,
        date_of_birth=birth,
        given_name="Ingrid",
        family_name="Fjellheim",
        municipality=askoy,
        registered_by=haukeland,
    )
    enrolment = factories.enrol(Actor(user=nurse, membership=membership), patient, days_ago=10)
    point = enrolment.points.get(key="sp1")
    factories.completed_patient_response(point, distress=7)
    return point


def test_the_nurse_hands_over_and_the_municipality_acknowledges(live_server, coordinator, sp1, page):
    base = live_server.url

    # The nurse completes the first point with a note to the municipality.
    sign_in(page, base, "sykepleier")
    page.goto(f"{base}/assessment/points/{sp1.public_id}/")
    click_and_wait(page, page.locator("button[name=step][value=start]"))
    page.locator("#id_summary").fill(SUMMARY)
    page.locator("#id_handover_note").fill("She would like a call after 12.")
    check_page(page, "assessment form with the handover choices")
    click_and_wait(page, page.locator("button[name=step][value=complete]"))
    confirm(page)
    message = HandoverMessage.objects.get(recipient__municipality_number=ASKOY)
    assert message.status == "sending"

    # The background worker delivers it.
    assert outbox.deliver_due().delivered == 2

    # The coordinator finds it from the worklist, reads it and acknowledges it.
    sign_in(page, base, "koordinator")
    page.goto(f"{base}/pathway/worklist/")
    check_page(page, "worklist with a handover message waiting")
    click_and_wait(page, page.locator("main a[href='/handover/']").first)
    check_page(page, "received handover messages")
    click_and_wait(page, page.locator(f"main a[href='/handover/messages/{message.public_id}/']"))
    main = page.locator("main").inner_text()
    assert SUMMARY in main and "She would like a call after 12." in main and "Ingrid Fjellheim" in main
    check_page(page, "handover message")
    click_and_wait(page, page.locator(f"form[action$='/messages/{message.public_id}/acknowledge/'] button"))
    message.refresh_from_db()
    assert message.status == "acknowledged" and message.acknowledged_by.username == "koordinator"
    check_page(page, "acknowledged handover message")

    # The nurse sees it acknowledged, in the sent list and on the message.
    sign_in(page, base, "sykepleier")
    page.goto(f"{base}/handover/?box=sent")
    row = page.locator("tr", has=page.locator(f"a[href='/handover/messages/{message.public_id}/']"))
    assert row.locator(".ds-tag[data-color=success]").count() == 1
    check_page(page, "sent handover messages")
    click_and_wait(page, row.locator("a").first)
    assert "Kari Koordinator" in page.locator("main").inner_text()
    check_page(page, "acknowledged message, as the sender sees it")
