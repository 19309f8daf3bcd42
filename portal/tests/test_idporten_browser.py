"""A patient signs in to the portal on a phone through a real OpenID provider configured like
ID-porten (node-oidc-provider, testsupport/oidc.py): from the portal's signed-out page, "Log in
with ID-porten", the provider's own login page as its account `citizen`, back to Heimveg's
callback and on to the patient's page. There they see their pathway, the invitation to the next
conversation, the answers they sent before and who has looked. axe-core checks every Heimveg page
on the way. They sign out: out of the portal and of ID-porten (its sign-out asks), back on the
portal's signed-out page; "Log in with ID-porten" then asks at the provider again, as it must on
a shared phone. (portal/tests/test_citizen_browser.py drives the pages after sign-in at length, with
the session made by the handler; this test is the sign-in itself.)"""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from assessment.models import QuestionnaireResponse
from portal import services
from portal.tests.askoy_patient import enrol_ola
from portal.tests.test_idporten_provider import CITIZEN_PID
from testsupport.browser import BROWSER_MARKS, PHONE, check_page
from testsupport.oidc import CALLBACK_PATH

pytest_plugins = ["testsupport.browser", "testsupport.oidc"]
pytestmark = BROWSER_MARKS

WHAT_MATTERS = "Å gå tur med hunden"


def enrolled_with_answers_and_an_invitation(coordinator):
    """Ola, whose number is the test provider's `citizen`: in the pathway with Askøy, his answers
    for the second conversation sent, and invited to answer before the third."""
    actor, enrolment = enrol_ola(coordinator, national_id=CITIZEN_PID, date_of_birth=datetime.date(1950, 4, 24))
    patient = enrolment.patient
    sent = services.send_invitation(actor, enrolment.points.get(key="sp2"), link_channel="sms")
    response = sent.response
    response.answers = response.questionnaire.clean({"what-matters": WHAT_MATTERS})
    response.status = QuestionnaireResponse.Status.COMPLETED
    response.submitted_at = timezone.now()
    response.save()
    invited = services.send_invitation(actor, enrolment.points.get(key="sp3"), link_channel="sms")
    return patient, sent, invited


def test_a_patient_signs_in_through_id_porten_on_a_phone(live_server, idporten, settings, page, coordinator):
    settings.BASE_URL = base = live_server.url
    patient, sent, invited = enrolled_with_answers_and_an_invitation(coordinator)
    page.set_viewport_size(PHONE)

    # Signed out (a bookmarked page, refused): the portal offers ID-porten beside the link and code.
    page.expected_refusals = {(403, f"{base}/p/me/")}
    page.goto(f"{base}/p/me/")
    check_page(page, "portal signed out, with ID-porten")
    page.locator("main a[href^='/accounts/oidc/idporten/start/']").click()

    # The provider's own login page (not Heimveg's: axe checks Heimveg's pages only).
    page.wait_for_url(re.compile(re.escape(idporten.base) + "/interaction/"))
    page.fill("#login", "citizen")
    with page.expect_request(lambda request: CALLBACK_PATH in request.url):
        page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/p/me/")
    check_page(page, "patient's own page after ID-porten")
    main = page.locator("main")
    expect(main.locator(f"form[action='/p/me/answer/{invited.public_id}/']")).to_have_count(1)
    expect(main.locator(f"form[action='/p/me/answer/{sent.public_id}/']")).to_have_count(0)

    # Their pathway, the answers they sent, and who has looked.
    page.locator("nav a[href='/p/me/pathway/']").click()
    page.wait_for_url(f"{base}/p/me/pathway/")
    expect(page.locator("main")).to_contain_text("Askøy")
    check_page(page, "patient's pathway after ID-porten")
    page.goto(f"{base}/p/me/")
    page.locator(f"main a[href='/p/me/answers/{sent.public_id}/']").click()
    page.wait_for_url(f"{base}/p/me/answers/{sent.public_id}/")
    expect(page.locator("main")).to_contain_text(WHAT_MATTERS)
    check_page(page, "patient's sent answers after ID-porten")
    page.locator("nav a[href='/p/me/who-looked/']").click()
    page.wait_for_url(f"{base}/p/me/who-looked/")
    expect(page.locator("main")).to_contain_text("Logget inn med ID-porten")  # nb, the default
    check_page(page, "who has looked, after ID-porten")

    # Signing out goes through ID-porten's sign-out, back to the portal's signed-out page.
    # The page between (a refresh after 0 s) is held once by a "204 No Content" from ID-porten, for
    # axe, and its link, the way on without the refresh, is followed.
    end_session = re.compile(re.escape(idporten.base) + "/session/end")
    page.route(end_session, lambda route: route.fulfill(status=204), times=1)
    page.expected_aborts = [end_session]
    page.locator("nav form[action='/p/sign-out/'] button").click()
    page.wait_for_url(f"{base}/p/sign-out/")
    check_page(page, "portal signed out, on to ID-porten")
    page.expected_aborts = []
    page.get_by_role("link", name="Logg ut av innloggingstjenesten").click()
    page.wait_for_url(end_session)
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{base}/p/signed-out/")
    check_page(page, "portal signed out of ID-porten")
    expect(page.locator("h1")).to_have_text("Du er logget ut")
    # The next "Log in with ID-porten" asks who they are: no instant sign-in on a shared phone.
    page.locator("main a[href^='/accounts/oidc/idporten/start/']").click()
    page.wait_for_url(re.compile(re.escape(idporten.base) + "/interaction/"))
    expect(page.locator("#login")).to_be_visible()
