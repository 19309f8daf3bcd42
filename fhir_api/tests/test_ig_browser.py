"""The implementation guide's pages pass axe-core's WCAG 2.1 A/AA rules on a desktop screen and on
a phone (no sideways scrolling: long JSON scrolls in its own box), without signing in.

Run alone with `pytest -m browser`; skipped when /usr/bin/chromium is missing."""

from testsupport.browser import BROWSER_MARKS, check_page, click_and_wait

pytest_plugins = ["testsupport.browser"]
pytestmark = BROWSER_MARKS


def test_the_guide_its_profiles_and_code_systems_are_accessible(live_server, page):
    page.goto(f"{live_server.url}/ig/")
    check_page(page, "implementation guide")
    click_and_wait(page, page.get_by_role("link", name="Collaboration point", exact=True).first)
    assert "/ig/StructureDefinition-heimveg-Task/" in page.url
    check_page(page, "profile page")
    page.goto(f"{live_server.url}/ig/CodeSystem-collaboration-point-status/")
    check_page(page, "code system page")
