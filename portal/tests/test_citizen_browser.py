"""A citizen signed in with ID-porten, on a phone: the patient sees their page, answers without
link and code, sees their pathway and who has looked; a person not in the pathway asks their
municipality for it, with the form's errors first; the coordinator answers the request from the
worklist, and the person sees the answer. axe-core checks every page on the way.

The sign-in itself is accounts.oidc's (its browser test drives a real provider): here the portal's
handler is called as the callback calls it, with verified claims, and the browser gets the session
cookie it set. Run alone with `pytest -m browser`."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import RequestFactory

from conftest import synthetic_id
from portal import services
from portal.citizens import on_verified
from portal.models import PathwayRequest
from portal.tests.askoy_patient import enrol_ola
from portal.tests.conftest import IDPORTEN
from testsupport.browser import BROWSER_MARKS, PHONE, check_page, sign_in

pytest_plugins = ["testsupport.browser"]
pytestmark = BROWSER_MARKS

STRANGER = synthetic_id(datetime.date(1958, 10, 11))


def idporten_session(page, base, pid):
    """The session ID-porten's callback leaves behind, in the browser."""
    request = RequestFactory().get("/")
    SessionMiddleware(lambda r: None).process_request(request)
    on_verified(request, IDPORTEN, {"sub": "s", "pid": pid, "acr": "idporten-loa-substantial"})
    request.session.save()
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": request.session.session_key, "url": base}]
    )


def go(page, selector):
    with page.expect_navigation():
        page.locator(selector).first.click()


@pytest.fixture
def enrolled(coordinator):
    birth = datetime.date(1960, 1, 20)
    actor, enrolment = enrol_ola(coordinator, national_id=synthetic_id(birth), date_of_birth=birth)
    patient = enrolment.patient
    point = enrolment.points.get(key="sp2")
    services.send_invitation(actor, point, link_channel="sms")
    return patient


def test_a_patient_and_a_person_outside_the_pathway_on_a_phone(live_server, page, enrolled):
    base = live_server.url
    page.set_viewport_size(PHONE)

    # The patient: their page, the invitation started without link and code, pathway, who looked.
    idporten_session(page, base, enrolled.national_id)
    page.goto(f"{base}/p/me/")
    check_page(page, "patient's own page")
    go(page, "main form[action^='/p/me/answer/'] [type=submit]")
    page.wait_for_url(f"{base}/p/start/")
    check_page(page, "start page reached through ID-porten")
    go(page, "nav a[href='/p/me/']")
    go(page, "nav a[href='/p/me/pathway/']")
    check_page(page, "patient's pathway")
    go(page, "nav a[href='/p/me/who-looked/']")
    check_page(page, "who has looked")
    go(page, "nav form[action='/p/sign-out/'] [type=submit]")

    # A person not in the pathway asks Askøy for it: errors first, then sent.
    idporten_session(page, base, STRANGER)
    page.goto(f"{base}/p/me/")
    go(page, "main a[href='/p/me/ask/']")
    go(page, "form.hv-form [type=submit]")
    assert page.locator("#error-summary").count() == 1
    check_page(page, "request form with errors")
    page.set_viewport_size(PHONE)
    page.locator("#id_municipality").select_option(label="Askøy")
    page.locator("#id_name").fill("Per Spør")
    page.locator("#id_message").fill("Tarmkreft, ferdig med cellegift.")
    page.locator("#id_phone").fill("91234567")
    go(page, "form.hv-form [type=submit]")
    page.wait_for_url(f"{base}/p/me/")
    check_page(page, "own page with the request waiting")
    request = PathwayRequest.objects.get(national_id=STRANGER)

    # The coordinator answers it from the worklist; the person sees the answer.
    sign_in(page, base, "koordinator")
    page.goto(f"{base}/pathway/worklist/")
    go(page, f"main a[href='/invitations/requests/{request.public_id}/']")
    check_page(page, "request for the pathway, staff page")
    page.locator("input[name=status][value=enrolled]").check()
    page.locator("#id_note").fill("Vi ringer deg i morgen.")
    go(page, "form.hv-form [type=submit]")
    page.wait_for_url(f"{base}/pathway/worklist/")
    idporten_session(page, base, STRANGER)
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/p/me/")
    assert "Vi ringer deg i morgen." in page.content()
    check_page(page, "own page with the answer")
