"""Correcting a completion in a real browser (Chromium through Playwright): the nurse who completed
the first point opens the panel on the pathway page, is refused without a reason (everything typed
kept), corrects the place; the municipality's coordinator sees the old message entered in error and
the replacement to acknowledge. Every page passes axe-core on a desktop and a phone.

Run alone with `pytest -m browser`. Pages render in bokmål."""

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
from pathway import services as pathway
from patients.models import Patient
from testsupport.browser import ASKOY, BROWSER_MARKS, check_page, click_and_wait, nb, sign_in

pytest_plugins = ["testsupport.browser"]  # the page, national_directory and coordinator fixtures
pytestmark = BROWSER_MARKS


@pytest.fixture
def completed(national_directory, coordinator):
    """The first point of an Askøy patient, completed by the nurse at Haukeland and delivered."""
    haukeland = Organisation.objects.get(kind=Organisation.Kind.HOSPITAL, name="Haukeland universitetssjukehus")
    nurse = User.objects.create_user(
        username="sykepleier", password=PASSWORD, first_name="Siri", last_name="Sykepleier"
    )
    membership = Membership.objects.create(user=nurse, organisation=haukeland, role=Role.HOSPITAL_CLINICIAN)
    askoy = Organisation.objects.get(municipality_number=ASKOY)
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
    actor = Actor(user=nurse, membership=membership)
    enrolment = factories.enrol(actor, patient, days_ago=10)
    point = enrolment.points.get(key="sp1")
    pathway.close_point(actor, point, "completed", place="Poliklinikken")
    outbox.deliver_due()
    return point


def test_the_author_corrects_and_the_receiver_sees_the_correction(live_server, completed, page):
    base = live_server.url
    old = HandoverMessage.objects.get(recipient__municipality_number=ASKOY)

    sign_in(page, base, "sykepleier")
    page.goto(f"{base}/pathway/enrolments/{completed.enrolment.public_id}/")
    panel = page.locator("details", has_text=nb("Correct the completion: %(title)s", title=completed.title["nb"]))
    panel.locator("summary").click()
    check_page(page, "pathway page with the correction panel open")

    # Without a reason: refused on the correction page, the typed place kept.
    panel.locator("input[name=place]").fill("Rom 4")
    click_and_wait(page, panel.locator("button[type=submit]"))
    assert page.locator("input[name=place]").input_value() == "Rom 4"
    assert page.locator("#error-summary").count() == 1
    check_page(page, "correction page with an error")

    page.locator("textarea[name=reason]").fill("Feil rom.")
    click_and_wait(page, page.locator("form.hv-form button[type=submit]"))
    assert page.url.endswith(f"/pathway/enrolments/{completed.enrolment.public_id}/")
    assert nb("entered in error, replaced by") in page.locator("main").inner_text()
    check_page(page, "pathway page after the correction")
    outbox.deliver_due()

    sign_in(page, base, "koordinator")
    page.goto(f"{base}/handover/?show=all")
    check_page(page, "received messages with a correction")
    page.goto(f"{base}/handover/messages/{old.public_id}/")
    assert "Feil rom." in page.locator("main").inner_text()
    check_page(page, "message entered in error")
    click_and_wait(page, page.locator(f"main a[href='/handover/messages/{old.replaced_by.public_id}/']"))
    click_and_wait(page, page.locator(f"form[action$='/messages/{old.replaced_by.public_id}/acknowledge/'] button"))
    assert HandoverMessage.objects.get(pk=old.replaced_by.pk).acknowledged_at is not None
    check_page(page, "acknowledged replacement")
