"""Shared pieces of the browser tests: Debian's Chromium driven through Playwright, axe-core's
WCAG 2.0/2.1 A/AA rules on a desktop screen and on a phone, and the national directory kept in
place around live_server's flush.

A browser test module uses it with

    pytest_plugins = ["testsupport.browser"]
    pytestmark = BROWSER_MARKS

which makes the fixtures (`page`, `national_directory`, `coordinator`) available to it. Playwright
never downloads a browser of its own here; the tests are skipped when /usr/bin/chromium is missing
(`make system-packages` installs it).

The pages run under the application's real Content-Security-Policy. Every page listens for
`securitypolicyviolation` events (an init script, in every page and frame before the page's own
scripts), and a test fails if any was seen: at each `check_page` and when the `page` fixture ends.
axe-core is loaded as a script from the page's own origin (a Playwright route answers it from
node_modules), so the policy admits it without being relaxed. Playwright's `bypass_csp` is not
used: it switches the page's policy off altogether, and no violation would be reported at all.
"""

import re
import time
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
PHONE = {"width": 375, "height": 812}
ASKOY = "4627"
# Where the pages load axe-core from: a path on the page's own origin that a Playwright route
# answers with node_modules/axe-core/axe.min.js (the application never serves it).
AXE_PATH = "/__axe-core__/axe.min.js"
# The assessment draft's autosave address (assessment/urls.py, name "autosave").
AUTOSAVE_PATH = re.compile(r"/assessment/points/[0-9a-f-]{36}/draft/$")
# Runs in every page and frame before its own scripts: records each Content-Security-Policy
# violation on window.__cspViolations and reports it to the test (an exposed function, which
# outlives navigations).
CSP_LISTENER = """(() => {
  window.__cspViolations = [];
  const describe = (node) => node && node.tagName
    ? node.tagName.toLowerCase() + (node.id ? "#" + node.id : "")
      + (typeof node.className === "string" && node.className.trim()
         ? "." + node.className.trim().split(/\\s+/).join(".") : "")
    : "";
  document.addEventListener("securitypolicyviolation", (event) => {
    const violation = {
      directive: event.effectiveDirective || event.violatedDirective,
      blocked: event.blockedURI,
      element: describe(event.target),
      source: event.sourceFile ? event.sourceFile + ":" + event.lineNumber + ":" + event.columnNumber : "",
      page: location.href,
    };
    window.__cspViolations.push(violation);
    if (typeof window.__heimvegCspViolation === "function") {
      window.__heimvegCspViolation(violation);
    }
  }, true);
})();"""

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
def csp_violations():
    """The Content-Security-Policy violations the `page` fixture's pages reported. The fixture fails
    the test if any are left at its end; a test that provokes one on purpose calls
    `forget_csp_violations(page)` after looking at them."""
    return []


def _key(violation):
    return tuple(sorted((k, str(v)) for k, v in violation.items()))


def _collect_violations(page, violations):
    """Wait briefly for violation reports still on their way, and take those recorded on the open
    page that did not arrive through the exposed function."""
    try:
        page.wait_for_timeout(50)
        recorded = page.evaluate("window.__cspViolations || []")
    except Exception:  # the page is closed or navigating: its reports came through the function
        recorded = []
    seen = {_key(v) for v in violations}
    violations.extend(v for v in recorded if _key(v) not in seen)


def describe_violations(violations):
    return "\n".join(
        f"- {v['directive']} blocked {v['blocked'] or '?'}"
        + (f" on {v['element']}" if v.get("element") else "")
        + (f" ({v['source']})" if v.get("source") else "")
        + f" at {v['page']}"
        for v in violations
    )


def forget_csp_violations(page):
    """For a test that provokes violations on purpose: forget those seen so far."""
    _collect_violations(page, page.heimveg_csp_violations)
    page.heimveg_csp_violations.clear()
    page.evaluate("window.__cspViolations = []")


def assert_no_csp_violations(page):
    violations = getattr(page, "heimveg_csp_violations", None)
    if violations is None:
        return
    _collect_violations(page, violations)
    assert not violations, "Content-Security-Policy violations:\n" + describe_violations(violations)


def new_page(browser, csp_violations, *, viewport, locale="nb-NO"):
    """A page in a new browser context that records policy violations into `csp_violations` and
    serves axe-core from the page's own origin: for the `page` fixture, and for a test that needs a
    second browser (another person, another device) beside it."""
    context = browser.new_context(viewport=viewport, locale=locale)
    context.expose_function("__heimvegCspViolation", lambda violation: csp_violations.append(violation))
    context.add_init_script(CSP_LISTENER)
    context.route(
        f"**{AXE_PATH}",
        lambda route: route.fulfill(path=str(AXE_SCRIPT), content_type="text/javascript; charset=utf-8"),
    )
    page = context.new_page()
    page.heimveg_csp_violations = csp_violations
    return page


def _expected_abort(page, request):
    """A request the browser cancelled (net::ERR_ABORTED) that is no failure: a navigation the test
    itself held back (`page.expected_aborts`: patterns of addresses, as a route answering "204 No
    Content" does), or an autosave of the assessment draft still in flight when the professional
    posts the form, which carries the same fields and supersedes it (on a slow machine the
    autosave's 2-second timer fires between filling and posting)."""
    patterns = (AUTOSAVE_PATH, *getattr(page, "expected_aborts", ()))
    return request.failure == "net::ERR_ABORTED" and any(pattern.search(request.url) for pattern in patterns)


def _track_requests(page):
    """Keep the page's requests still on their way, and the last ones done with their duration, for
    the report of a test that fails while waiting (a navigation that never came: was the POST sent,
    and did the server answer?)."""
    page.heimveg_in_flight = {}
    page.heimveg_done = []

    def started(request):
        page.heimveg_in_flight[request] = time.monotonic()

    def ended(request):
        began = page.heimveg_in_flight.pop(request, None)
        if began is not None:
            page.heimveg_done.append((request.method, request.url, time.monotonic() - began, request.failure))
            del page.heimveg_done[:-12]

    page.on("request", started)
    page.on("requestfinished", ended)
    page.on("requestfailed", ended)


def describe_requests(page, now=None):
    """What `_track_requests` saw: the requests still on their way (with their age), then the last
    ones done (with their duration)."""
    now = now or time.monotonic()
    lines = [f"on its way for {now - began:.1f} s: {r.method} {r.url}" for r, began in page.heimveg_in_flight.items()]
    lines += [
        f"done in {seconds:.1f} s: {method} {url}" + (f" ({failure})" if failure else "")
        for method, url, seconds, failure in page.heimveg_done
    ]
    return "\n".join(lines) or "no requests seen"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A browser test that fails shows the page's requests (see `_track_requests`)."""
    outcome = yield
    report = outcome.get_result()
    page = getattr(item, "funcargs", {}).get("page")
    if report.when == "call" and report.failed and hasattr(page, "heimveg_in_flight"):
        try:
            report.sections.append(("Browser requests", describe_requests(page)))
        except Exception as error:  # the page is gone: say so rather than hide the test's own failure
            report.sections.append(("Browser requests", f"could not be read: {error}"))


@pytest.fixture
def page(live_server, monkeypatch, csp_violations):
    """A Chromium page against the live server, under the application's real Content-Security-Policy.
    Fails the test if any request to the live server (a stylesheet, say) goes wrong, because axe's
    colour checks mean little without the CSS, and if the policy blocked anything."""
    from playwright.sync_api import sync_playwright

    assert AXE_SCRIPT.is_file(), f"{AXE_SCRIPT} is missing: run `make setup` (npm ci) first"
    # Playwright's sync API keeps an event loop on this thread; the test's ORM calls are still sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    failed = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = new_page(browser, csp_violations, viewport=DESKTOP)
            # Generous: in CI the three suites share two cores, and a POST that sends an SMS and an
            # e-mail has taken over 15 s there, and a navigation once over 30 s. A wait only lasts
            # this long when something is wrong; a failing test then shows what was still on its
            # way (pytest_runtest_makereport below).
            page.set_default_timeout(30_000)
            page.set_default_navigation_timeout(90_000)
            _track_requests(page)
            page.on(
                "response",
                lambda r: (
                    failed.append(f"{r.status} {r.url}")
                    if r.status >= 400 and (r.status, r.url) not in getattr(page, "expected_refusals", ())
                    else None
                ),
            )
            page.on(
                "requestfailed",
                lambda r: None if _expected_abort(page, r) else failed.append(f"{r.failure} {r.url}"),
            )
            yield page
            _collect_violations(page, csp_violations)
        finally:
            browser.close()
            # ORM calls made inside this block ran in Playwright's greenlet context, which has its
            # own database connection; close it here or PostgreSQL cannot drop the test database.
            connections.close_all()
    assert not failed, "Requests failed:\n" + "\n".join(failed)
    assert not csp_violations, "Content-Security-Policy violations:\n" + describe_violations(csp_violations)


def axe_violations(page):
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # From the page's own origin (a route in the `page` fixture), so script-src 'self' admits it.
        origin = page.evaluate("location.origin")
        page.add_script_tag(url=f"{origin}{AXE_PATH}")
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
    the phone. The viewport changes do not reload the page, so what the user typed stays. Fails
    too if the Content-Security-Policy blocked anything so far."""
    assert_no_csp_violations(page)
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


def expect_refusal(page, url, status=403):
    """Tell the `page` fixture that `url` is meant to answer `status` (a page that refuses, shown to
    the user on purpose): it is then not counted as a failed request."""
    if not hasattr(page, "expected_refusals"):
        page.expected_refusals = set()
    page.expected_refusals.add((status, url))


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


def confirm(page):
    """On the page that shows what an irreversible change will do (pathway/confirm.html), confirm it."""
    assert page.locator("input[name=confirmation]").count() == 1, f"no confirmation page at {page.url}"
    click_and_wait(page, page.locator("main form [type=submit]").first)


def nb(text, **values):
    """The text as the browser sees it: in bokmål, the default language (tests find elements by it)."""
    with translation.override("nb"):
        translated = gettext(text)
    return translated % values if values else translated
