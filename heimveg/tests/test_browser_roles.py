"""Each role's main job, end to end, in a real browser (Debian's Chromium through Playwright) in
bokmål at 1366 px, with the traps issue #17 found on the way: the municipal coordinator names the
fixed contact person the worklist asks for, takes the second collaboration point through its steps
(an untouched closing form changes nothing) and completes it only after the confirmation page has
said which message goes to whom; the GP tells two patients of the same name apart by their birth
dates, sees the patient's answer to the offer without a form to change it, acknowledges the
handover, and gets a clear page on the reports; the health trust's analyst finds the forecast
opened on a municipality of their own health trust. Every page on the way is checked with axe-core
at 1366 px and on a 375 px phone, where nothing may scroll sideways (testsupport.browser).

Run alone with `pytest -m browser heimveg/tests/test_browser_roles.py`.
"""

import datetime

import pytest
from django.utils import timezone

from accounts.actor import Actor
from accounts.models import Membership, Role, User
from assessment.tests import factories
from conftest import PASSWORD, synthetic_id
from directory.models import Organisation
from handover import outbox
from handover.models import HandoverMessage
from lib import nin
from pathway import services
from pathway.models import CollaborationPoint
from patients.models import Patient
from testsupport.browser import ASKOY, BROWSER_MARKS, check_page, click_and_wait, expect_refusal, nb, sign_in

pytest_plugins = ["testsupport.browser"]  # the page, national_directory and coordinator fixtures
pytestmark = BROWSER_MARKS

WIDE = {"width": 1366, "height": 900}
HAUKELAND = "Haukeland universitetssjukehus"
SUMMARY = "Vil tilbake i jobb på deltid; trøtt om ettermiddagen."


def person(username, organisation, role, first, last):
    user = User.objects.create_user(username=username, password=PASSWORD, first_name=first, last_name=last)
    membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    return Actor(user=user, membership=membership)


def marit(born, askoy, gp_office, haukeland):
    return Patient.objects.create(
        national_id=synthetic_id(born),
        national_id_kind=nin.FODSELSNUMMER,
        date_of_birth=born,
        given_name="Marit",
        family_name="Rasmussen",
        municipality=askoy,
        gp_office=gp_office,
        registered_by=haukeland,
    )


@pytest.fixture
def world(national_directory, coordinator):
    """Two patients called Marit Rasmussen in Askøy with the same GP office: the elder diagnosed
    100 days ago, her first point held at Haukeland, her second due in Askøy; the younger just
    enrolled and not yet asked. A GP at the office and an analyst at Helse Bergen."""
    askoy = Organisation.objects.get(municipality_number=ASKOY)
    haukeland = Organisation.objects.get(kind=Organisation.Kind.HOSPITAL, name=HAUKELAND)
    gp_office = Organisation.objects.create(
        kind=Organisation.Kind.GP_OFFICE, name="Kleppestø legekontor", municipality=askoy
    )
    nurse = person("sykepleier", haukeland, Role.HOSPITAL_CLINICIAN, "Siri", "Sykepleier")
    person("fastlege", gp_office, Role.GP, "Geir", "Fastlege")
    trust = Organisation.objects.get(kind=Organisation.Kind.HEALTH_TRUST, name__startswith="Helse Bergen")
    person("analytiker", trust, Role.ANALYST, "Anna", "Analytiker")
    elder = marit(datetime.date(1951, 4, 12), askoy, gp_office, haukeland)
    younger = marit(datetime.date(1979, 10, 3), askoy, gp_office, haukeland)
    first = factories.enrol(nurse, elder, days_ago=100)
    sp1 = first.points.get(key="sp1")
    services.close_point(
        nurse, sp1, "completed", on_date=timezone.localdate() - datetime.timedelta(days=60), reason="Innlagt lenge"
    )
    factories.enrol(nurse, younger, days_ago=5, offer="not_asked")
    HandoverMessage.objects.all().delete()  # the first point's messages: this walk is about the second
    return {"enrolment": first, "sp2": first.points.get(key="sp2"), "gp_office": gp_office}


def test_the_coordinator_names_the_contact_person_and_completes_the_second_point(live_server, world, page):
    base = live_server.url
    page.set_viewport_size(WIDE)
    enrolment, sp2 = world["enrolment"], world["sp2"]
    sign_in(page, base, "koordinator")

    # The home page shows the work with counts, and leads to the worklist.
    assert page.locator("main a[href^='/pathway/worklist/']").count() >= 1
    check_page(page, "home page (coordinator)")
    page.goto(f"{base}/pathway/worklist/")
    main = page.locator("main").inner_text()
    assert "12.04.1951" in main  # the patient's birth date beside her name
    assert nb("Name a contact person (%(n)s)", n=1) in main  # accepted, and nobody named yet
    check_page(page, "worklist (coordinator)")

    # The pathway page: name the fixed contact person the patient was promised.
    enrolment_url = f"{base}/pathway/enrolments/{enrolment.public_id}/"
    page.goto(enrolment_url)
    form = page.locator(f"form[action='/pathway/enrolments/{enrolment.public_id}/contact-person/']")
    form.locator("select").select_option(index=1)
    click_and_wait(page, form.locator("[type=submit]"))
    enrolment.refresh_from_db()
    assert enrolment.contact_person.username == "koordinator"

    # The second point's steps: planning is the current one, and nothing is preselected to close it.
    steps = page.locator("section[aria-labelledby='workflow-sp2'] ol.hv-steps > li")
    assert steps.and_(page.locator("[aria-current=step]")).count() == 1
    close_form = page.locator(f"form[action='/pathway/points/{sp2.public_id}/close/']")
    assert close_form.locator("input[type=radio]:checked").count() == 0
    check_page(page, "pathway page (coordinator)")

    # A closing form sent untouched changes nothing and says what is missing.
    steps.last.locator("summary").click()
    close_form.evaluate("form => { form.noValidate = true; }")  # past the browser's own check, to the server's
    click_and_wait(page, close_form.locator("[type=submit]"))
    assert CollaborationPoint.objects.get(pk=sp2.pk).outcome == ""
    assert page.locator(".ds-alert[data-color=danger], .ds-error-summary, [role=alert]").count() >= 1
    check_page(page, "pathway page after an untouched closing form")

    # The conversation: the assessment, then "complete", which first shows what will happen.
    page.goto(f"{base}/assessment/points/{sp2.public_id}/")
    click_and_wait(page, page.locator("button[name=step][value=start]"))
    page.locator("#id_summary").fill(SUMMARY)
    page.locator("#id_place").fill("Askøy helsestasjon")
    click_and_wait(page, page.locator("button[name=step][value=complete]"))
    assert page.locator("input[name=confirmation]").count() == 1
    shown = page.locator("main").inner_text()
    assert "Kleppestø legekontor" in shown and SUMMARY in shown  # the GP's message and its content
    assert CollaborationPoint.objects.get(pk=sp2.pk).outcome == ""
    assert not HandoverMessage.objects.exists()
    check_page(page, "confirmation page (coordinator)")
    page.set_viewport_size(WIDE)
    click_and_wait(page, page.locator("main form [type=submit]").first)

    point = CollaborationPoint.objects.get(pk=sp2.pk)
    assert point.outcome == "completed"
    assert HandoverMessage.objects.filter(point=point, recipient=world["gp_office"]).count() == 1


def test_the_gp_tells_the_patients_apart_acknowledges_and_reads_no_report(live_server, world, page):
    base = live_server.url
    page.set_viewport_size(WIDE)
    # The second point was completed in Askøy: the GP has a message to acknowledge.
    coordinator = Actor(
        user=User.objects.get(username="koordinator"),
        membership=Membership.objects.get(user__username="koordinator"),
    )
    services.close_point(coordinator, world["sp2"], "completed", on_date=timezone.localdate())
    outbox.deliver_due()
    message = HandoverMessage.objects.get(recipient=world["gp_office"])

    sign_in(page, base, "fastlege")
    check_page(page, "home page (GP)")
    page.goto(f"{base}/pathway/worklist/")
    rows = page.locator("main").get_by_text("Rasmussen, Marit", exact=True)
    assert rows.count() == 2
    main = page.locator("main").inner_text()
    assert "12.04.1951" in main and "03.10.1979" in main
    assert "sp1" not in main and "sp2" not in main  # the points by their titles
    check_page(page, "worklist (GP)")

    # The GP sees the answer to the offer and has no form to change it.
    page.goto(f"{base}/pathway/enrolments/{world['enrolment'].public_id}/")
    assert page.locator("form[action$='/offer/']").count() == 0
    check_page(page, "pathway page (GP)")

    # The handover message, acknowledged from the inbox.
    page.goto(f"{base}/handover/")
    click_and_wait(page, page.locator(f"main a[href='/handover/messages/{message.public_id}/']").first)
    check_page(page, "handover message (GP)")
    click_and_wait(
        page, page.locator(f"form[action='/handover/messages/{message.public_id}/acknowledge/'] [type=submit]")
    )
    message.refresh_from_db()
    assert message.acknowledged_at is not None

    # The reports: a clear answer, and no offer of emergency access to a patient.
    expect_refusal(page, f"{base}/reports/")
    response = page.goto(f"{base}/reports/")
    assert response.status == 403
    assert page.locator("a[href^='/patients/emergency-access/']").count() == 0
    check_page(page, "reports page (GP)")


def test_the_analyst_finds_the_forecast_on_their_own_health_trust(live_server, world, page):
    base = live_server.url
    page.set_viewport_size(WIDE)
    sign_in(page, base, "analytiker")
    page.goto(f"{base}/reports/forecast/")
    trust = Organisation.objects.get(kind=Organisation.Kind.HEALTH_TRUST, name__startswith="Helse Bergen")
    heading = page.locator("main").inner_text()
    assert "Alstahaug" not in heading
    own = Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY, health_trust=trust)
    assert any(m.name in heading for m in own)
    check_page(page, "forecast (analyst)")
