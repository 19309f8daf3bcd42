"""A municipal coordinator registers a patient in a real browser (Debian's Chromium through
Playwright), and every page on the way passes axe-core's WCAG 2.1 A/AA rules, on a desktop screen
and on a phone.

Run alone with `pytest -m browser`. The test is skipped when /usr/bin/chromium is missing
(`make system-packages` installs it); Playwright never downloads a browser of its own here.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections

from accounts.models import Membership, Role, User
from conftest import PASSWORD, synthetic_id
from directory.models import Organisation
from patients.models import Patient

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
ASKOY = "4627"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason=f"Chromium is not installed at {CHROMIUM} (install Debian's chromium package: make system-packages)",
    ),
]


def _directory_loaded():
    return Organisation.objects.filter(municipality_number=ASKOY).exists()


@pytest.fixture(scope="module")
def _directory_back_after_flush(django_db_setup, django_db_blocker):
    """live_server makes the test transactional, and a transactional test ends by flushing every
    table, the national directory (loaded once per session in django_db_setup) included. Load it
    again when this module is done, so tests that run later still find it. A module fixture is
    torn down after the function-scoped flush; a function fixture would run before it."""
    yield
    with django_db_blocker.unblock():
        if not _directory_loaded():
            call_command("load_directory", verbosity=0)


@pytest.fixture
def national_directory(_directory_back_after_flush, transactional_db):
    """The directory, reloaded if an earlier transactional test flushed it away."""
    if not _directory_loaded():
        call_command("load_directory", verbosity=0)
    assert _directory_loaded()


@pytest.fixture
def coordinator(national_directory):
    user = User.objects.create_user(
        username="koordinator", password=PASSWORD, first_name="Kari", last_name="Koordinator"
    )
    askoy = Organisation.objects.get(municipality_number=ASKOY)
    Membership.objects.create(user=user, organisation=askoy, role=Role.MUNICIPAL_COORDINATOR)
    return user


@pytest.fixture
def page(live_server, monkeypatch):
    """A Chromium page against the live server. Fails the test if any request to the live server
    (a stylesheet, say) goes wrong, because axe's colour checks mean little without the CSS."""
    from playwright.sync_api import sync_playwright

    assert AXE_SCRIPT.is_file(), f"{AXE_SCRIPT} is missing: run `make setup` (npm ci) first"
    # Playwright's sync API keeps an event loop on this thread; the test's ORM calls are still sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    failed = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport=DESKTOP, locale="nb-NO")
            page = context.new_page()
            page.set_default_timeout(15_000)
            page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
            page.on("requestfailed", lambda r: failed.append(f"{r.failure} {r.url}"))
            yield page
        finally:
            browser.close()
            # ORM calls made inside this block ran in Playwright's greenlet context, which has its
            # own database connection; close it here or PostgreSQL cannot drop the test database.
            connections.close_all()
    assert not failed, "Requests failed:\n" + "\n".join(failed)


def _axe_violations(page):
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                                      resultTypes: ["violations"]});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                targets: v.nodes.map(n => n.target.join(" ")),
                summary: v.nodes.length ? v.nodes[0].failureSummary : "",
            }));
        }""",
        WCAG_TAGS,
    )


def _describe(violations):
    lines = []
    for v in violations:
        shown = ", ".join(v["targets"][:4]) + (f" (+{len(v['targets']) - 4} more)" if len(v["targets"]) > 4 else "")
        lines.append(f"- {v['id']} [{v['impact']}]: {v['help']}\n    on {shown}\n    {v['helpUrl']}")
        if v["summary"]:
            lines.append("    " + v["summary"].replace("\n", "\n    "))
    return "\n".join(lines)


def _overflowing(page):
    """The elements that stick out to the right of the viewport (the cause of a horizontal scroll)."""
    return page.evaluate(
        """() => {
            const width = window.innerWidth;
            const classes = el => typeof el.className === "string" && el.className.trim()
                ? "." + el.className.trim().split(/\\s+/).join(".") : "";
            const describe = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + classes(el);
            return [...document.body.querySelectorAll("*")]
                .filter(el => el.getBoundingClientRect().right > width + 0.5)
                .slice(0, 8)
                .map(el => `${describe(el)} (right edge ${Math.round(el.getBoundingClientRect().right)}px)`);
        }"""
    )


def check_page(page, name):
    """WCAG 2.1 A/AA with axe on a desktop screen and on a phone, and no sideways scrolling on the
    phone. The viewport changes do not reload the page, so what the user typed stays."""
    problems = []
    violations = _axe_violations(page)
    if violations:
        problems.append(
            f"axe found {len(violations)} violation(s) on the {name} ({page.url}), desktop:\n" + _describe(violations)
        )
    page.set_viewport_size(PHONE)
    try:
        scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll_width > inner_width:
            problems.append(
                f"The {name} scrolls sideways on a {PHONE['width']}px phone: scrollWidth "
                f"{scroll_width} > {inner_width}. Too wide: {', '.join(_overflowing(page))}"
            )
        violations = _axe_violations(page)
        if violations:
            problems.append(
                f"axe found {len(violations)} violation(s) on the {name} ({page.url}), phone:\n" + _describe(violations)
            )
    finally:
        page.set_viewport_size(DESKTOP)
    assert not problems, "\n\n".join(problems)


def submit(page):
    """Submit the page's main form and wait for the answer to the POST to load."""
    with page.expect_navigation():
        page.locator("form.hv-form [type=submit]").click()


def test_a_coordinator_signs_in_and_registers_a_patient_in_the_browser(live_server, coordinator, page):
    base = live_server.url
    good = synthetic_id(datetime.date(1970, 3, 14))
    bad = good[:10] + str((int(good[10]) + 1) % 10)  # the second check digit no longer matches

    # Sign in through the real page.
    page.goto(f"{base}/accounts/sign-in/")
    check_page(page, "sign-in page")
    page.locator("#id_username").press_sequentially("koordinator")
    page.locator("#id_password").press_sequentially(PASSWORD)
    submit(page)
    page.wait_for_url(f"{base}/")
    assert page.locator("h1").inner_text().strip()
    assert page.get_by_role("navigation").count() == 1
    check_page(page, "home page")

    # The register form, from the main menu.
    page.get_by_role("navigation").locator('a[href="/patients/new/"]').click()
    page.wait_for_url(f"{base}/patients/new/")
    check_page(page, "register form")
    assert page.locator("#id_municipality").evaluate("select => select.selectedOptions[0].text") == "Askøy"

    # A mistyped number: the error is next to the field and nothing typed is lost.
    page.locator("#id_national_id").press_sequentially(bad)
    page.locator("#id_given_name").press_sequentially("Ingrid")
    page.locator("#id_family_name").press_sequentially("Fjellheim")
    submit(page)
    assert page.url == f"{base}/patients/new/"
    national_id = page.locator("#id_national_id")
    error = page.locator("#id_national_id_error")
    assert error.is_visible()
    assert error.inner_text().strip()
    assert national_id.get_attribute("aria-invalid") == "true"
    assert "id_national_id_error" in national_id.get_attribute("aria-describedby").split()
    # The message sits right after the field, inside the same field group.
    assert page.locator(".ds-field:has(#id_national_id) #id_national_id_error").count() == 1
    assert page.locator("#error-summary a[href='#id_national_id']").count() == 1
    assert page.locator("#error-summary").get_attribute("role") == "alert"  # aria-labelledby needs a role
    assert national_id.input_value() == bad
    assert page.locator("#id_given_name").input_value() == "Ingrid"
    assert page.locator("#id_family_name").input_value() == "Fjellheim"
    assert page.locator("#id_given_name").get_attribute("aria-invalid") is None
    assert not Patient.objects.exists()
    check_page(page, "register form with an error")

    # The corrected number registers the patient, and the patient's page opens.
    national_id.fill("")
    national_id.press_sequentially(good)
    submit(page)
    patient = Patient.objects.get(national_id=good)
    page.wait_for_url(f"{base}/patients/{patient.public_id}/")
    assert page.locator("h1").inner_text().strip() == "Ingrid Fjellheim"
    assert patient.municipality.municipality_number == ASKOY
    assert patient.date_of_birth == datetime.date(1970, 3, 14)
    check_page(page, "patient page")

    # The patient list, from the main menu, shows the new patient.
    page.get_by_role("navigation").locator('a[href="/patients/"]').click()
    page.wait_for_url(f"{base}/patients/")
    assert page.get_by_role("link", name=re.compile("Fjellheim, Ingrid")).count() == 1
    check_page(page, "patient list")

    # And home again.
    page.goto(f"{base}/")
    check_page(page, "home page (after registering)")
