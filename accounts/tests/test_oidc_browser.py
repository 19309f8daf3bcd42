"""A nurse signs in through a real OpenID provider (node-oidc-provider configured like HelseID,
testsupport/oidc.py) in a real browser: she opens her invitation link, chooses "Sign in with
HelseID", signs in on the provider's page and lands in Heimveg; later the sign-in page's button
is enough. She signs out: out of Heimveg, on through the provider's sign-out (a page that moves
on by a refresh, since the policy's form-action 'self' would block a redirect after the sign-out
form) and back to Heimveg's signed-out page; the next sign-in asks at the provider again. axe-core
checks Heimveg's pages (desktop and phone)."""

import re

from django.core import mail
from playwright.sync_api import expect

from accounts import invitations
from accounts.models import Membership, ProviderIdentity, Role, User
from accounts.tests.invitation_helpers import link_path
from directory.models import Organisation
from testsupport.browser import ASKOY, BROWSER_MARKS, check_page
from testsupport.oidc import NURSE_HPR, NURSE_PID

pytest_plugins = ["testsupport.browser", "testsupport.oidc"]
pytestmark = BROWSER_MARKS


def test_a_nurse_signs_in_through_the_provider(live_server, national_directory, helseid, settings, page, actor_of):
    settings.BASE_URL = live_server.url
    base = live_server.url
    askoy = Organisation.objects.get(municipality_number=ASKOY)
    admin = User.objects.create_user(username="admin.askoy", password="x" * 20)
    Membership.objects.create(user=admin, organisation=askoy, role=Role.ORG_ADMIN)
    mail.outbox.clear()
    invitations.invite(
        actor_of(admin),
        email="nora@example.no",
        name="Nora Sykepleier",
        role=Role.MUNICIPAL_COORDINATOR,
        national_id=NURSE_PID,
        hpr_number=NURSE_HPR,
    )
    page.goto(base + link_path(mail.outbox[-1]))
    check_page(page, "invitation with provider button")
    page.locator("a[href^='/accounts/oidc/helseid/start/']").click()
    page.fill("#login", "nurse")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(re.escape(base) + "/$"))  # and its load: then away
    assert ProviderIdentity.objects.filter(user__email="nora@example.no", subject="helseid-nurse-sub").exists()

    # Signed out, and back through the sign-in page's button.
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/sign-in/")
    check_page(page, "sign-in with provider buttons")
    page.locator("a[href^='/accounts/oidc/helseid/start/']").click()
    if page.locator("#login").count():
        page.fill("#login", "nurse")
        page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(re.escape(base) + "/$"))  # and its load: then away
    page.goto(f"{base}/accounts/me/")
    expect(page.locator("main")).to_contain_text("nora@example.no")
    expect(page.locator("main")).to_contain_text("HelseID")
    check_page(page, "my account, linked to HelseID")

    # Signing out: Heimveg's button, the provider's own sign-out (it asks), Heimveg's signed-out page.
    # The page between (a refresh after 0 s) is held once by a "204 No Content" from the provider,
    # so that axe checks it and its link, the way on without the refresh, is followed.
    end_session = re.compile(re.escape(helseid.base) + "/session/end")
    page.route(end_session, lambda route: route.fulfill(status=204), times=1)
    page.expected_aborts = [end_session]
    page.locator("header form[action='/accounts/sign-out/'] button").click()
    page.wait_for_url(f"{base}/accounts/sign-out/")
    expect(page.locator("h1")).to_have_text("Du er logget ut av Heimveg")
    check_page(page, "signed out of Heimveg, on to the provider")
    page.expected_aborts = []
    page.get_by_role("link", name="Logg ut av innloggingstjenesten").click()
    page.wait_for_url(end_session)
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(re.compile(re.escape(base) + r"/accounts/oidc/signed-out/\?state=staff\."))
    check_page(page, "signed out of Heimveg and the provider")
    page.locator("main a[href='/accounts/sign-in/']").click()
    page.wait_for_url(f"{base}/accounts/sign-in/")
    # Signed out at the provider too: its login form asks again.
    page.locator("a[href^='/accounts/oidc/helseid/start/']").click()
    page.wait_for_url(re.compile(re.escape(helseid.base) + "/interaction/"))
    expect(page.locator("#login")).to_be_visible()
