"""The professional's assessment in a real browser (Debian's Chromium through Playwright): the
municipal coordinator reads the patient's own answers, starts the record, adds a follow-up action,
completes it, and opens the journal note. Every page passes axe-core's WCAG 2.0/2.1 A/AA rules on a
desktop screen and on a phone, without sideways scrolling on the phone.

Run alone with `pytest -m browser`. Pages render in bokmål and new strings may not be translated
yet, so the test finds fields and buttons by name and address rather than by their text.
"""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Membership, Role, User
from assessment.models import Assessment, FollowUp
from assessment.tests import factories
from conftest import PASSWORD, synthetic_id
from directory.models import Organisation
from heimveg.testing.browser import ASKOY, BROWSER_MARKS, check_page, click_and_wait, sign_in
from patients import nin
from patients.models import Patient

pytest_plugins = ["heimveg.testing.browser"]  # the page, national_directory and coordinator fixtures
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
    click_and_wait(page, page.locator(f"form[action$='/points/{point.public_id}/follow-ups/'] [type=submit]"))
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
    assert (point.outcome, point.outcome_on) == ("completed", timezone.localdate())
    assert Assessment.objects.get().response.answers["topic-family"] is True
    check_page(page, "completed assessment")

    click_and_wait(page, page.locator(f"main a[href='/assessment/points/{point.public_id}/note/']"))
    main = page.locator("main").inner_text()
    assert "Ingrid Fjellheim" in main and "Wants to go back to work part-time." in main
    assert page.locator("button[data-print]").count() == 1
    check_page(page, "journal note")
