"""The Content-Security-Policy in a real browser (Debian's Chromium through Playwright): the pages
run under the application's own policy, the browser tests' violation listener sees what the policy
blocks, and axe-core still runs without the policy being relaxed.

Run alone with `pytest -m browser`.
"""

from django.conf import settings

from testsupport.browser import BROWSER_MARKS, check_page, forget_csp_violations

pytest_plugins = ["testsupport.browser"]  # the page fixture
pytestmark = BROWSER_MARKS


def _wait_for(page, violations, count=1):
    for _ in range(40):
        if len(violations) >= count:
            return
        page.wait_for_timeout(50)


def test_the_policy_blocks_inline_style_and_script_and_the_tests_see_it(live_server, page, csp_violations):
    response = page.goto(f"{live_server.url}/accounts/sign-in/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["cache-control"] == "no-store"
    assert "camera=()" in response.headers["permissions-policy"]
    assert csp_violations == []

    # A style attribute is refused; the element keeps the stylesheet's colour.
    colour = page.evaluate("getComputedStyle(document.querySelector('h1')).color")
    page.evaluate("document.querySelector('h1').setAttribute('style', 'color: rgb(255, 0, 0)')")
    _wait_for(page, csp_violations)
    assert [v["directive"] for v in csp_violations] == ["style-src-attr"]
    assert csp_violations[0]["element"].startswith("h1")
    assert page.evaluate("getComputedStyle(document.querySelector('h1')).color") == colour
    forget_csp_violations(page)

    # So is an inline script: it does not run.
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
        " document.body.append(s); }"
    )
    _wait_for(page, csp_violations)
    assert [v["directive"] for v in csp_violations] == ["script-src-elem"]
    assert page.evaluate("typeof window.ran") == "undefined"
    forget_csp_violations(page)

    # axe-core comes from the page's own origin and runs under the same policy, unrelaxed.
    check_page(page, "sign-in page")
    assert page.evaluate("typeof window.axe") == "object"
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"] == ["'self'"]
