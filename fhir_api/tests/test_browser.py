"""The organisation admin registers a system in the browser, copies its secret and revokes it;
every page passes axe-core's WCAG 2.1 A/AA rules on a desktop screen and on a phone.

Run alone with `pytest -m browser`; skipped when /usr/bin/chromium is missing."""

import re

import pytest

from accounts.models import Membership, Role, User
from conftest import PASSWORD
from directory.models import Organisation
from fhir_api.models import ApiClient
from testsupport.browser import ASKOY, BROWSER_MARKS, check_page, click_and_wait, nb, sign_in, submit

pytest_plugins = ["testsupport.browser"]  # the page and national_directory fixtures
pytestmark = BROWSER_MARKS


@pytest.fixture
def askoy_admin(national_directory):
    user = User.objects.create_user(username="admin.askoy", password=PASSWORD, first_name="Tone", last_name="Admin")
    Membership.objects.create(
        user=user, organisation=Organisation.objects.get(municipality_number=ASKOY), role=Role.ORG_ADMIN
    )
    return user


def test_an_admin_registers_a_system_sees_the_secret_once_and_revokes_it(live_server, askoy_admin, page):
    base = live_server.url
    sign_in(page, base, "admin.askoy")
    click_and_wait(page, page.get_by_role("link", name=nb("Systems (FHIR API)")))
    check_page(page, "list of systems")

    click_and_wait(page, page.get_by_role("link", name=nb("Register a system")))
    submit(page)  # no name: the error summary and the field's message
    assert page.get_by_text(nb("Enter the name of the system.")).first.is_visible()
    check_page(page, "registration form with an error")

    page.locator("#id_name").fill("Gerica")
    submit(page)
    secret = page.locator("#client-secret").inner_text()
    assert len(secret) > 20
    check_page(page, "page with the secret")

    click_and_wait(page, page.get_by_role("link", name=nb("I have copied the secret")))
    assert secret not in page.content()
    # "Revoke access for Gerica", in bokmål.
    click_and_wait(page, page.get_by_role("button", name=re.compile("Gerica")))
    assert page.get_by_text(nb("The system's access is revoked. Its tokens no longer work.")).is_visible()
    assert ApiClient.objects.get(name="Gerica").revoked_at is not None
    check_page(page, "list of systems after revoking")
