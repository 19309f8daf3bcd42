"""A hospital nurse takes the first collaboration point through its guided steps in a real browser
at 1366 px: plan (book a time), prepare (invite the patient), hold the conversation (the
assessment page), complete — where a confirmation page shows what will happen and which handover
messages go to whom before anything is saved. The confirmation page passes axe-core.

Run alone with `pytest -m browser`; skipped without /usr/bin/chromium. Elements are found by
their addresses, names and the steps' `aria-current`, not by their text."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Membership, Role, User
from conftest import PASSWORD, synthetic_id
from directory.models import Organisation
from handover.models import HandoverMessage
from lib import nin
from pathway import services
from pathway.models import CollaborationPoint
from patients.models import Patient
from testsupport.browser import ASKOY, BROWSER_MARKS, check_page, click_and_wait, sign_in

pytest_plugins = ["testsupport.browser"]
pytestmark = BROWSER_MARKS

HAUKELAND = "Haukeland universitetssjukehus"
WIDE = {"width": 1366, "height": 900}


@pytest.fixture
def sp1(national_directory):
    """A patient of Askøy with a phone and an e-mail, just enrolled at Haukeland, who accepted."""
    from accounts.actor import Actor

    haukeland = Organisation.objects.get(kind=Organisation.Kind.HOSPITAL, name=HAUKELAND)
    user = User.objects.create_user(username="sykepleier", password=PASSWORD, first_name="Siri", last_name="Sykepleier")
    membership = Membership.objects.create(user=user, organisation=haukeland, role=Role.HOSPITAL_CLINICIAN)
    birth = datetime.date(1958, 9, 2)
    patient = Patient.objects.create(
        national_id=synthetic_id(birth),
        national_id_kind=nin.FODSELSNUMMER,
        date_of_birth=birth,
        given_name="Ingrid",
        family_name="Fjellheim",
        municipality=Organisation.objects.get(municipality_number=ASKOY),
        registered_by=haukeland,
        mobile_phone="+4791234567",
        email="ingrid.fjellheim@example.org",
    )
    enrolment = services.enrol(
        Actor(user=user, membership=membership),
        patient,
        diagnosis_date=timezone.localdate(),
        icd10_code="C50.9",
        treatment_intent="curative",
        offer="accepted",
    )
    return enrolment.points.get(key="sp1")


def current_step(page):
    return page.locator("ol.hv-steps > li[aria-current=step]")


def step_index(page):
    return page.locator("ol.hv-steps > li").evaluate_all(
        "items => items.findIndex(li => li.getAttribute('aria-current') === 'step')"
    )


def test_a_nurse_takes_the_first_point_through_its_steps_and_confirms_the_completion(live_server, sp1, page):
    base = live_server.url
    page.set_viewport_size(WIDE)
    sign_in(page, base, "sykepleier")
    enrolment_url = f"{base}/pathway/enrolments/{sp1.enrolment.public_id}/"
    page.goto(enrolment_url)

    # Plan: the first step is the current one, the only one open; nothing is preselected to close.
    assert step_index(page) == 0
    assert page.locator("ol.hv-steps details[open]").count() == 1
    close_form = page.locator(f"form[action='/pathway/points/{sp1.public_id}/close/']")
    assert close_form.locator("input[type=radio]:checked").count() == 0
    assert close_form.locator("input[type=date]").input_value() == ""
    when = (timezone.localtime() + datetime.timedelta(days=1)).replace(hour=10, minute=0)
    current_step(page).locator("input[type=datetime-local]").fill(when.strftime("%Y-%m-%dT%H:%M"))
    click_and_wait(page, current_step(page).locator("form[action$='/book/'] [type=submit]"))

    # Prepare: the invitation box is the open step now.
    page.set_viewport_size(WIDE)
    assert step_index(page) == 1
    click_and_wait(page, current_step(page).locator("form [type=submit]").first)

    # The conversation: a link to the assessment page.
    assert step_index(page) == 2
    click_and_wait(page, current_step(page).locator(f"a[href='/assessment/points/{sp1.public_id}/']"))
    click_and_wait(page, page.locator("button[name=step][value=start]"))
    page.locator("#id_summary").fill("Vil tilbake i jobb; trøtt om ettermiddagen.")
    page.locator("#id_place").fill("Kreftpoliklinikken")
    click_and_wait(page, page.locator("button[name=step][value=complete]"))

    # Complete: the confirmation page says what will happen and to whom the messages go.
    assert page.locator("input[name=confirmation]").count() == 1
    main = page.locator("main").inner_text()
    assert "Askøy" in main and "Vil tilbake i jobb; trøtt om ettermiddagen." in main
    assert CollaborationPoint.objects.get(pk=sp1.pk).outcome == ""
    assert not HandoverMessage.objects.exists()
    page.set_viewport_size(WIDE)
    check_page(page, "confirmation page")
    page.set_viewport_size(WIDE)
    click_and_wait(page, page.locator("main form [type=submit]"))

    point = CollaborationPoint.objects.get(pk=sp1.pk)
    assert point.outcome == "completed" and point.place == "Kreftpoliklinikken"
    assert list(HandoverMessage.objects.values_list("recipient__municipality_number", flat=True)) == [ASKOY]
