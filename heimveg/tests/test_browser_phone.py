"""Staff pages on a 375 × 812 px phone (Debian's Chromium through Playwright): the header takes at
most a fifth of the screen with its menu folded, nothing scrolls sideways (lists stack their rows,
no table scrolls in its box), headings break between words, and axe-core finds nothing. The home
page shows the work with counts.

Run alone with `pytest -m browser heimveg/tests/test_browser_phone.py`.
"""

import datetime

import pytest
from django.utils import timezone

from accounts.actor import Actor
from accounts.models import Membership, Role, User
from audit import services as audit
from audit.models import AuditEntry
from conftest import PASSWORD, synthetic_id
from directory.models import Organisation
from lib import nin
from pathway import services
from patients.models import Patient
from testsupport.browser import ASKOY, BROWSER_MARKS, axe_violations, nb, sign_in

pytest_plugins = ["testsupport.browser"]
pytestmark = BROWSER_MARKS

PHONE = {"width": 375, "height": 812}
HEADER_MAX = PHONE["height"] // 5  # 162 px

# Each heading's words, measured one by one on a line of their own: a word wider than its heading
# would have to break inside.
WORDS_WIDER_THAN_HEADINGS = """() => {
    const wide = [];
    document.querySelectorAll("main h1, main h2, main h3").forEach((heading) => {
        const width = heading.clientWidth;
        for (const word of heading.textContent.split(/\\s+/).filter(Boolean)) {
            const span = document.createElement("span");
            span.textContent = word;
            span.style.whiteSpace = "nowrap";
            heading.appendChild(span);
            const wordWidth = span.getBoundingClientRect().width;
            span.remove();
            if (wordWidth > width + 0.5) wide.push(`${word} (${Math.round(wordWidth)} > ${width})`);
        }
    });
    return wide;
}"""

# Boxes that scroll sideways inside the page (a table in its wrapper).
SIDEWAYS_BOXES = """() => [...document.querySelectorAll("main *")]
    .filter((el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== "visible"
                    && getComputedStyle(el).overflowX !== "hidden")
    .map((el) => el.tagName.toLowerCase() + "." + [...el.classList].join("."))"""


@pytest.fixture
def staff(national_directory, coordinator):
    """A Haukeland nurse and an Askøy admin beside the Askøy coordinator, and pathways whose
    points are due and overdue, with long names."""
    askoy = Organisation.objects.get(municipality_number=ASKOY)
    haukeland = Organisation.objects.get(kind=Organisation.Kind.HOSPITAL, name="Haukeland universitetssjukehus")
    nurse = User.objects.create_user(
        username="sykepleier", password=PASSWORD, first_name="Siri", last_name="Sykepleier"
    )
    Membership.objects.create(user=nurse, organisation=haukeland, role=Role.HOSPITAL_CLINICIAN)
    admin = User.objects.create_user(username="adminaskoy", password=PASSWORD, first_name="Anne", last_name="Admin")
    Membership.objects.create(user=admin, organisation=askoy, role=Role.ORG_ADMIN)
    nurse_actor = Actor(user=nurse, membership=nurse.memberships.get())
    today = timezone.localdate()
    for i, days_ago in enumerate((100, 95, 3)):
        birth = datetime.date(1950 + i, 3, 4)
        patient = Patient.objects.create(
            national_id=synthetic_id(birth),
            national_id_kind=nin.FODSELSNUMMER,
            date_of_birth=birth,
            given_name="Marit Johanne",
            family_name=f"Kristoffersen-Hagelund{i}",
            municipality=askoy,
            registered_by=haukeland,
        )
        services.enrol(
            nurse_actor,
            patient,
            diagnosis_date=today - datetime.timedelta(days=days_ago),
            icd10_code="C50.9",
            treatment_intent="curative",
            offer="accepted",
        )
        audit.record(nurse_actor, AuditEntry.Action.VIEW, patient_public_id=patient.public_id)
    return {"nurse": nurse, "admin": admin}


def _check_phone(page, name):
    problems = []
    header = page.evaluate("document.querySelector('.hv-header').getBoundingClientRect().height")
    if header > HEADER_MAX:
        problems.append(f"the header is {header:.0f} px high (at most {HEADER_MAX})")
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if scroll_width > inner_width:
        problems.append(f"the page scrolls sideways: {scroll_width} > {inner_width}")
    boxes = page.evaluate(SIDEWAYS_BOXES)
    if boxes:
        problems.append(f"boxes scroll sideways: {boxes}")
    words = page.evaluate(WORDS_WIDER_THAN_HEADINGS)
    if words:
        problems.append(f"words wider than their heading: {words}")
    violations = axe_violations(page)
    if violations:
        problems.append(f"axe: {[(v['id'], v['targets'][:3]) for v in violations]}")
    assert not problems, f"{name} at {PHONE['width']} px: " + "; ".join(problems)


def test_staff_pages_fit_a_phone(live_server, page, coordinator, staff):
    base = live_server.url
    page.set_viewport_size(PHONE)
    visits = [
        ("koordinator", ["/", "/pathway/worklist/", "/pathway/worklist/?status=planned", "/patients/", "/handover/"]),
        ("sykepleier", ["/", "/pathway/worklist/", "/patients/"]),
        ("adminaskoy", ["/", "/audit/", "/audit/?action=view", "/accounts/members/"]),
    ]
    for username, paths in visits:
        sign_in(page, base, username)
        for path in paths:
            page.goto(f"{base}{path}")
            _check_phone(page, f"{path} as {username}")


def test_the_phone_menu_opens_and_closes(live_server, page, coordinator, staff):
    base = live_server.url
    page.set_viewport_size(PHONE)
    # A page before signing in has no menu to fold: the language choice stays in sight.
    page.goto(f"{base}/accounts/sign-in/")
    assert page.locator("#language").is_visible() and page.locator(".hv-menu-button").count() == 0
    assert page.evaluate("document.querySelector('.hv-header').getBoundingClientRect().height") <= HEADER_MAX
    sign_in(page, base, "koordinator")
    menu_button = page.locator(".hv-menu-button")
    worklist_link = page.locator(".hv-nav a", has_text=nb("Worklist"))
    assert menu_button.is_visible() and not worklist_link.is_visible()
    assert "Askøy" in page.locator(".hv-acting").inner_text()  # who the user acts for stays in sight
    menu_button.click()
    assert menu_button.get_attribute("aria-expanded") == "true" and worklist_link.is_visible()
    assert page.locator("#act-for").is_visible()
    assert not axe_violations(page)
    page.keyboard.press("Escape")
    assert menu_button.get_attribute("aria-expanded") == "false" and not worklist_link.is_visible()
    # On a desktop screen the menu is always open and the button is gone.
    page.set_viewport_size({"width": 1280, "height": 800})
    assert worklist_link.is_visible() and not menu_button.is_visible()


def test_the_home_page_shows_the_work_and_its_rows_stack_on_a_phone(live_server, page, coordinator, staff):
    base = live_server.url
    sign_in(page, base, "koordinator")
    due = page.locator('[data-kind="due"] .hv-tally-count')
    assert due.inner_text() == "2"  # SP2 of the two pathways diagnosed 95 and 100 days ago
    page.locator('[data-kind="due"] a').click()
    page.wait_for_url("**/pathway/worklist/?status=due")
    page.set_viewport_size(PHONE)
    # Each cell of a stacked row is headed by its column's name.
    first = page.locator("table tbody tr").first.locator("td").first
    assert first.get_attribute("data-label") == nb("Patient")
    assert page.evaluate("getComputedStyle(document.querySelector('table tbody tr')).display") == "block"
