"""The professional's assessment in a real browser (Debian's Chromium through Playwright): the
municipal coordinator reads the patient's own answers, starts the record, adds a follow-up action,
completes it, and opens the journal note. Every page passes axe-core's WCAG 2.0/2.1 A/AA rules on a
desktop screen and on a phone, without sideways scrolling on the phone.

Nothing typed is lost: adding a follow-up action (an htmx partial update), "Save draft", a
validation error, leaving the tab and the idle-timeout warning all keep what was typed.

Run alone with `pytest -m browser`. Pages render in bokmål and new strings may not be translated
yet, so the test finds fields and buttons by name and address rather than by their text.
"""

import datetime
import re

import pytest
from django.utils import timezone

from accounts.models import Membership, Role, User
from assessment.models import Assessment, FollowUp
from assessment.tests import factories
from conftest import PASSWORD, synthetic_id
from directory.models import Organisation
from lib import nin
from patients.models import Patient
from testsupport.browser import ASKOY, BROWSER_MARKS, check_page, click_and_wait, confirm, sign_in

pytest_plugins = ["testsupport.browser"]  # the page, national_directory and coordinator fixtures
pytestmark = BROWSER_MARKS


@pytest.fixture
def point(national_directory):
    """The second point of an Askøy patient, with the patient's own answers sent from home."""
    haukeland = Organisation.objects.get(kind=Organisation.Kind.HOSPITAL, name="Haukeland universitetssjukehus")
    nurse = User.objects.create_user(username="sykepleier", password=PASSWORD)
    membership = Membership.objects.create(user=nurse, organisation=haukeland, role=Role.HOSPITAL_CLINICIAN)
    birth = datetime.date(1958, 9, 2)
    patient = Patient.objects.create(
        national_id=synthetic_id(birth),
        national_id_kind=nin.FODSELSNUMMER,
        date_of_birth=birth,
        given_name="Ingrid",
        family_name="Fjellheim",
        municipality=Organisation.objects.get(municipality_number=ASKOY),
        registered_by=haukeland,
    )
    from accounts.actor import Actor

    enrolment = factories.enrol(Actor(user=nurse, membership=membership), patient)
    point = enrolment.points.get(key="sp2")
    factories.completed_patient_response(point, distress=6)
    return point


def test_the_coordinator_records_and_completes_the_assessment(live_server, coordinator, point, page):
    base = live_server.url
    url = f"{base}/assessment/points/{point.public_id}/"
    sign_in(page, base, "koordinator")

    page.goto(url)
    assert page.locator(".hv-distress-score").first.inner_text() == "6"
    assert factories.WHAT_MATTERS in page.locator("main").inner_text()
    check_page(page, "assessment page with the patient's answers")

    click_and_wait(page, page.locator("button[name=step][value=start]"))
    assert Assessment.objects.filter(point=point).exists()
    assert page.locator("input[name='q-topic-work'][value=yes]").is_checked()
    check_page(page, "assessment form")

    # A follow-up action, its need taken from a marked area.
    page.locator("#id_follow-up-area").select_option("topic-work")
    page.locator("#id_follow-up-action").fill("Meeting with NAV and the employer")
    page.locator("#id_follow-up-responsible_service").fill("NAV")
    add_follow_up(page)
    assert FollowUp.objects.get().responsible == "NAV"

    # An error is shown next to its field, with the summary at the top.
    page.locator("input[name='q-topic-family'][value=yes]").check()
    click_and_wait(page, page.locator("button[name=step][value=complete]"))
    assert page.locator("#error-summary").count() == 1
    assert page.locator("#id_summary_error").count() == 1
    check_page(page, "assessment form with an error")

    page.locator("#id_summary").fill("Wants to go back to work part-time.")
    page.locator("#id_place").fill("Askøy helsehus")
    click_and_wait(page, page.locator("button[name=step][value=complete]"))
    point.refresh_from_db()
    assert point.outcome == ""  # first what will happen, and to whom the messages go
    check_page(page, "confirmation of the completion")
    confirm(page)
    point.refresh_from_db()
    assert (point.outcome, point.outcome_on) == ("completed", timezone.localdate())
    assert Assessment.objects.get().response.answers["topic-family"] is True
    check_page(page, "completed assessment")

    click_and_wait(page, page.locator(f"main a[href='/assessment/points/{point.public_id}/note/']"))
    main = page.locator("main").inner_text()
    assert "Ingrid Fjellheim" in main and "Wants to go back to work part-time." in main
    assert page.locator("button[data-print]").count() == 1
    check_page(page, "journal note")


# --- Nothing typed is lost ---------------------------------------------------------------------

SUMMARY = "Wants to walk the dog again; the family is a worry."
PLACE = "Askøy helsehus, rom 3"


def add_follow_up(page, press_enter_in=None):
    """Click "Add the action" (or press Enter in a field of the follow-up form) and wait for htmx's
    answer to be swapped in: no page load."""
    with page.expect_response(lambda r: r.url.endswith("/follow-ups/") and r.request.method == "POST"):
        if press_enter_in:
            page.locator(press_enter_in).press("Enter")
        else:
            page.locator("#add-follow-up").click()
    page.wait_for_function("() => document.querySelector('#follow-up-status').textContent.trim() !== ''")


def draft_saved(page, action):
    """Do `action` and wait for the autosave's answer."""
    with page.expect_response(lambda r: r.url.endswith("/draft/") and r.request.method == "POST") as answer:
        action()
    assert answer.value.json()["saved"] is True
    return answer.value


def test_adding_a_follow_up_save_draft_and_an_error_keep_every_field(live_server, coordinator, point, page):
    base = live_server.url
    url = f"{base}/assessment/points/{point.public_id}/"
    sign_in(page, base, "koordinator")
    page.goto(url)
    click_and_wait(page, page.locator("button[name=step][value=start]"))

    # Typed, not saved: adding a follow-up action swaps its section alone (no page load).
    page.evaluate("window.__samePage = true")
    page.locator("input[name='q-topic-family'][value=yes]").check()
    page.locator("#id_summary").fill(SUMMARY)
    page.locator("#id_place").fill(PLACE)
    page.locator("#id_follow-up-need").fill("Pain")
    page.locator("#id_follow-up-action").fill("Appointment at the pain clinic")
    add_follow_up(page)  # without a responsible service: an error, in the section
    assert page.locator("#id_follow-up-responsible_service_error").count() == 1
    assert page.locator("#id_follow-up-action").input_value() == "Appointment at the pain clinic"
    check_page(page, "assessment form with an error in the follow-up form")
    page.locator("#id_follow-up-responsible_service").fill("Smerteklinikken")
    add_follow_up(page, press_enter_in="#id_follow-up-responsible_service")  # as in a form of its own
    assert page.evaluate("window.__samePage === true")
    assert page.locator("#follow-up-section table").inner_text().count("Appointment at the pain clinic") == 1
    assert page.locator("#id_follow-up-action").input_value() == ""
    assert page.locator("#id_summary").input_value() == SUMMARY
    assert page.locator("#id_place").input_value() == PLACE
    assert page.locator("input[name='q-topic-family'][value=yes]").is_checked()
    check_page(page, "assessment form with the follow-up form open")

    # The draft went along with the action: a reload shows it.
    page.reload()
    assert page.locator("#id_summary").input_value() == SUMMARY
    assert page.locator("#id_place").input_value() == PLACE

    # "Save draft" saves the place; the journal note shows it.
    page.locator("#id_place").fill("Heime hos pasienten")
    click_and_wait(page, page.locator("button[name=step][value=save]"))
    page.reload()
    assert page.locator("#id_place").input_value() == "Heime hos pasienten"
    page.goto(f"{url}note/")
    assert "Heime hos pasienten" in page.locator("main").inner_text()
    page.goto(url)

    # A validation error (completing without a summary) keeps every field.
    page.locator("#id_summary").fill("")
    page.locator("#id_place").fill("Askøy helsehus")
    page.locator("input[name='q-distress-score'][value='3']").check()
    page.locator("#id_follow-up-need").fill("Sleep")
    click_and_wait(page, page.locator("button[name=step][value=complete]"))
    assert page.locator("#error-summary").count() == 1
    assert page.locator("#id_place").input_value() == "Askøy helsehus"
    assert page.locator("input[name='q-distress-score'][value='3']").is_checked()
    assert page.locator("input[name='q-topic-family'][value=yes]").is_checked()
    assert not Assessment.objects.get().is_completed
    FollowUp.objects.get(need="Pain")


def test_the_draft_is_saved_on_leaving_the_tab_and_at_the_idle_warning(live_server, coordinator, point, page):
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.middleware import IDLE_SESSION_KEY

    base = live_server.url
    url = f"{base}/assessment/points/{point.public_id}/"
    sign_in(page, base, "koordinator")
    page.goto(url)
    click_and_wait(page, page.locator("button[name=step][value=start]"))
    page.clock.install()  # timers (the autosave's pause, the idle warning) move only when told
    page.reload()

    # Leaving the tab saves at once, without waiting for the pause after typing.
    page.locator("#id_summary").fill(SUMMARY)
    draft_saved(
        page,
        lambda: page.evaluate(
            """() => {
                Object.defineProperty(document, "visibilityState", {value: "hidden", configurable: true});
                document.dispatchEvent(new Event("visibilitychange"));
            }"""
        ),
    )
    page.evaluate("() => { delete document.visibilityState; }")
    assessment = Assessment.objects.get()
    assert assessment.summary == SUMMARY and not assessment.is_completed
    status = page.locator("#hv-draft-status")
    status.filter(has_text=re.compile(r"\d\d:\d\d")).wait_for()

    # The idle warning saves what was typed since, before the user is signed out.
    page.locator("#id_place").fill(PLACE)
    page.evaluate("() => document.addEventListener('heimveg:idle-warning', () => { window.__warned = true; })")
    cookie = next(c for c in page.context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key=cookie["value"])
    session[IDLE_SESSION_KEY] = session[IDLE_SESSION_KEY] - (30 * 60 - 60)  # a minute left
    session.save()
    page.clock.fast_forward("27:01")  # the idle check: the server says a minute is left
    page.locator("#hv-idle").wait_for(state="visible")
    assert page.evaluate("window.__warned === true")
    # The status line already shows the first save's time, so wait for the save itself: the
    # database has the place (at most 10 s).
    for _ in range(100):
        assessment.refresh_from_db()
        if assessment.place == PLACE:
            break
        page.wait_for_timeout(100)
    assert (assessment.summary, assessment.place) == (SUMMARY, PLACE)
    assert not assessment.is_completed


def test_the_idle_warning_saves_unsaved_typing_at_once(live_server, coordinator, point, page):
    base = live_server.url
    url = f"{base}/assessment/points/{point.public_id}/"
    sign_in(page, base, "koordinator")
    page.goto(url)
    click_and_wait(page, page.locator("button[name=step][value=start]"))
    page.clock.install()
    page.reload()
    page.locator("#id_place").fill(PLACE)  # the pause after typing never ends: the clock stands
    draft_saved(page, lambda: page.evaluate("document.dispatchEvent(new CustomEvent('heimveg:idle-warning'))"))
    assert Assessment.objects.get().place == PLACE
