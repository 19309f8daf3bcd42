"""The patient's form in a real browser on a phone: the municipal coordinator sends an invitation,
the patient opens the link, enters the code, answers one topic per page, stops, goes on, sends and
gets a receipt; the coordinator then opens the collaboration point and sees the answers. axe-core
checks every page on the way (WCAG 2.0/2.1 A/AA), the patient's pages included.

Run alone with `pytest -m browser`. Pages are in bokmål, so the test finds controls by name and
address rather than by text.
"""

import datetime
import re

import pytest
from django.core import mail

from assessment.models import QuestionnaireResponse
from conftest import PASSWORD, synthetic_id
from directory.models import Organisation
from portal.senders import MemorySMSBackend
from portal.tests.askoy_patient import enrol_ola
from testsupport.browser import BROWSER_MARKS, PHONE, axe_violations, check_page

pytest_plugins = ["testsupport.browser"]
pytestmark = BROWSER_MARKS


@pytest.fixture
def due_point(coordinator):
    """A patient in Askøy whose second collaboration point is due now."""
    birth = datetime.date(1962, 3, 14)
    haukeland = Organisation.objects.get(kind=Organisation.Kind.HOSPITAL, name="Haukeland universitetssjukehus")
    _, enrolment = enrol_ola(coordinator, national_id=synthetic_id(birth), date_of_birth=birth, registered_by=haukeland)
    return enrolment.points.get(key="sp2")


def staff_sign_in(page, base, username):
    page.goto(f"{base}/accounts/sign-in/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form.hv-form [type=submit]").click()


def click(page, selector):
    with page.expect_navigation():
        page.locator(selector).click()


def test_a_patient_answers_from_home_on_a_phone_and_the_coordinator_sees_the_answers(
    live_server, coordinator, due_point, page
):
    base = live_server.url
    MemorySMSBackend.outbox.clear()
    enrolment_url = f"{base}/pathway/enrolments/{due_point.enrolment.public_id}/"

    # The coordinator sends the invitation from the enrolment page: link by SMS, code by e-mail.
    staff_sign_in(page, base, "koordinator")
    page.goto(enrolment_url)
    form = page.locator(f"form[action='/invitations/points/{due_point.public_id}/send/']")
    step = form.locator("xpath=ancestor::details[1]")
    if step.get_attribute("open") is None:  # the step is folded unless it is the current one
        step.locator("summary").first.click()
    form.locator("input[value=sms]").check()
    check_page(page, "enrolment page with the invitation form")
    with page.expect_navigation():
        form.locator("[type=submit]").click()
    token = re.search(r"/p/([A-Za-z0-9_-]+)/", MemorySMSBackend.outbox[-1][1]).group(1)
    page.context.clear_cookies()

    # The patient, on a phone, opens the link and asks for the code.
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/p/{token}/")
    assert "Havstein" not in page.content()
    check_page(page, "invitation page")
    # The token is exchanged for the session: the pages after the link have no token in them.
    page.wait_for_url(f"{base}/p/invitation/")
    click(page, "main form[action='/p/invitation/'] [type=submit]")
    page.wait_for_url(f"{base}/p/code/")
    check_page(page, "code page")
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    page.locator("#id_code").fill(code)
    click(page, "form.hv-form [type=submit]")
    page.wait_for_url(f"{base}/p/start/")
    check_page(page, "start page")
    click(page, "main a[href='/p/page/1/']")

    # One topic per page, progress shown.
    assert page.locator("progress").get_attribute("max") == "22"
    page.locator("textarea[name='what-matters']").fill("Å klare meg selv hjemme")
    check_page(page, "first page")
    click(page, "button[name=next]")
    page.locator("input[name='distress-score'][value='7']").check()
    check_page(page, "distress page")
    click(page, "button[name=next]")
    # The help question appears only after a "yes".
    assert not page.locator("input[name='topic-family-help'][value='yes']").is_visible()
    page.locator("input[name='topic-family'][value='yes']").check()
    page.locator("input[name='topic-family-help'][value='yes']").check()
    check_page(page, "topic page with its help question")
    click(page, "button[name=later]")
    check_page(page, "saved page")

    # Back later: the start page goes on where the patient left off.
    page.goto(f"{base}/p/start/")
    click(page, "main a.ds-button")
    assert page.url == f"{base}/p/page/4/"
    for _number in range(4, 23):
        click(page, "button[name=next]")
    page.wait_for_url(f"{base}/p/review/")
    assert "Å klare meg selv hjemme" in page.locator("main").inner_text()
    check_page(page, "review page")
    click(page, "form.hv-send [type=submit]")
    page.wait_for_url(f"{base}/p/receipt/")
    check_page(page, "receipt")
    click(page, "nav.hv-portal-nav a[href='/p/pathway/']")
    assert "Askøy" in page.locator("main").inner_text()
    check_page(page, "my pathway")
    response = QuestionnaireResponse.objects.get(point=due_point, source="patient")
    assert response.status == "completed" and response.distress_score == 7

    # The coordinator opens the collaboration point and sees the patient's answers.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 800})
    staff_sign_in(page, base, "koordinator")
    page.goto(f"{base}/assessment/points/{due_point.public_id}/")
    main = page.locator("main").inner_text()
    assert "Å klare meg selv hjemme" in main
    assert "7" in page.locator(".hv-distress").inner_text()
    check_page(page, "assessment page with the patient's answers")


SMALL_PHONE = {"width": 375, "height": 667}


def test_the_patient_sees_who_looked_on_a_small_phone_in_bokmal_nynorsk_and_english(
    live_server, coordinator, due_point, page
):
    """Staff looks, a list, and an emergency access with its reason, read by the patient at 375 px."""
    from accounts.actor import Actor
    from accounts.models import Membership, Role, User
    from audit import services as audit
    from patients import access

    patient = due_point.enrolment.patient
    actor = Actor(user=coordinator, membership=coordinator.memberships.get())
    access.open_patient(actor, patient.public_id, audit.Action.VIEW)
    audit.record_many(actor, audit.Action.LIST, [patient.public_id], detail="worklist")
    doctor = User.objects.create_user(username="legevakt", first_name="Per", last_name="Legevakt")
    voss = Organisation.objects.get(municipality_number="4621")
    Membership.objects.create(user=doctor, organisation=voss, role=Role.MUNICIPAL_COORDINATOR)
    emergency = Actor(user=doctor, membership=doctor.memberships.get())
    reason = "Innlagt akutt på legevakten, trenger oversikt over forløpet"
    access.grant_emergency_access(emergency, patient, reason)
    access.open_patient(emergency, patient.public_id, audit.Action.VIEW)

    base = live_server.url
    MemorySMSBackend.outbox.clear()
    staff_sign_in(page, base, "koordinator")
    page.goto(f"{base}/pathway/enrolments/{due_point.enrolment.public_id}/")
    form = page.locator(f"form[action='/invitations/points/{due_point.public_id}/send/']")
    step = form.locator("xpath=ancestor::details[1]")
    if step.get_attribute("open") is None:  # the step is folded unless it is the current one
        step.locator("summary").first.click()
    form.locator("input[value=sms]").check()
    with page.expect_navigation():
        form.locator("[type=submit]").click()
    token = re.search(r"/p/([A-Za-z0-9_-]+)/", MemorySMSBackend.outbox[-1][1]).group(1)
    page.context.clear_cookies()

    page.set_viewport_size(SMALL_PHONE)
    page.goto(f"{base}/p/{token}/")
    page.wait_for_url(f"{base}/p/invitation/")
    click(page, "main form[action='/p/invitation/'] [type=submit]")
    page.locator("#id_code").fill(re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1))
    click(page, "form.hv-form [type=submit]")
    page.wait_for_url(f"{base}/p/start/")

    headings = {
        "nb": ("Hvem har sett opplysningene mine", "Nødtilgang"),
        "nn": ("Kven har sett opplysningane mine", "Nødtilgang"),
        "en": ("Who has looked at my information", "Emergency access"),
    }
    for language, (heading, flag) in headings.items():
        page.context.add_cookies([{"name": "heimveg_language", "value": language, "url": base}])
        page.goto(f"{base}/p/start/")
        page.set_viewport_size(SMALL_PHONE)
        click(page, "nav.hv-portal-nav a[href='/p/who-looked/']")
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("h1").inner_text() == heading
        main = page.locator("main").inner_text()
        assert "Per Legevakt" in main and "Voss" in main and reason in main
        assert "Kari Koordinator" in main
        emergency_cards = page.locator("li.hv-emergency")
        assert emergency_cards.count() == 2
        assert flag in emergency_cards.first.inner_text()
        scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll_width <= inner_width == SMALL_PHONE["width"], f"scrolls sideways at 375 px in {language}"
        violations = axe_violations(page)
        assert not violations, f"axe at 375 px in {language}: {violations}"
        check_page(page, f"who-looked page ({language})")
