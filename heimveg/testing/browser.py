"""Shared pieces of the browser tests: Debian's Chromium driven through Playwright, axe-core's
WCAG 2.0/2.1 A/AA rules on a desktop screen and on a phone, and the national directory kept in
place around live_server's flush.

A browser test module uses it with

    pytest_plugins = ["heimveg.testing.browser"]
    pytestmark = BROWSER_MARKS

which makes the fixtures (`page`, `national_directory`, `coordinator`) available to it. Playwright
never downloads a browser of its own here; the tests are skipped when /usr/bin/chromium is missing
(`make system-packages` installs it).
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import Membership, Role, User
from conftest import PASSWORD
from directory.models import Organisation

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

BROWSER_MARKS = [
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
    again when the module is done, so tests that run later still find it. A module fixture is
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
    """A municipal coordinator in Askøy, signing in as `koordinator`."""
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


def axe_violations(page):
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
            // Whatever sits inside a scrolling box (a wide table in its wrapper) scrolls there.
            const clipped = el => {
                for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
                    if (getComputedStyle(up).overflowX !== "visible") return true;
                }
                return false;
            };
            return [...document.body.querySelectorAll("*")]
                .filter(el => el.getBoundingClientRect().right > width + 0.5 && !clipped(el))
                .slice(0, 8)
                .map(el => `${describe(el)} (right edge ${Math.round(el.getBoundingClientRect().right)}px)`);
        }"""
    )


def check_page(page, name):
    """WCAG 2.0/2.1 A/AA with axe on a desktop screen and on a phone, and no sideways scrolling on
    the phone. The viewport changes do not reload the page, so what the user typed stays."""
    problems = []
    violations = axe_violations(page)
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
        violations = axe_violations(page)
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


def sign_in(page, base, username):
    """Sign in through the form (a user signed in before is signed out first)."""
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/sign-in/")
    page.locator("#id_username").press_sequentially(username)
    page.locator("#id_password").press_sequentially(PASSWORD)
    with page.expect_navigation():
        page.locator("form.hv-form [type=submit]").click()
    page.wait_for_url(f"{base}/")


def click_and_wait(page, locator):
    with page.expect_navigation():
        locator.click()


def nb(text, **values):
    """The text as the browser sees it: in bokmål, the default language (tests find elements by it)."""
    with translation.override("nb"):
        translated = gettext(text)
    return translated % values if values else translated
