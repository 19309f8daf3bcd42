"""The staff invitation in a real browser: the organisation admin invites a person from the member
pages; the person opens the link on a phone, chooses a password, sets up the authenticator from the
key shown and lands signed in. axe-core checks every page (WCAG 2.0/2.1 A/AA, desktop and phone),
and the idle-timeout warning when it shows.

Pages are in bokmål, so the test finds controls by name and address rather than by text."""

import base64
import re

import pytest
from django.core import mail
from django_otp.oath import totp

from accounts.models import Membership, Role, User
from conftest import PASSWORD
from directory.models import Organisation
from testsupport.browser import ASKOY, BROWSER_MARKS, PHONE, check_page, new_page, sign_in, submit

pytest_plugins = ["testsupport.browser"]
pytestmark = BROWSER_MARKS


@pytest.fixture
def askoy_admin(national_directory):
    user = User.objects.create_user(username="admin.askoy", password=PASSWORD, first_name="Tone", last_name="Admin")
    Membership.objects.create(
        user=user, organisation=Organisation.objects.get(municipality_number=ASKOY), role=Role.ORG_ADMIN
    )
    return user


def test_an_invited_person_sets_up_sign_in_on_a_phone(live_server, askoy_admin, page):
    base = live_server.url
    mail.outbox.clear()
    sign_in(page, base, "admin.askoy")
    page.goto(f"{base}/accounts/members/")
    check_page(page, "member list")
    page.goto(f"{base}/accounts/members/invite/")
    check_page(page, "invitation form")
    page.locator("#id_name").fill("Nora Ny")
    page.locator("#id_email").fill("nora.ny@example.test")
    page.locator("input[name=role][value=municipal_coordinator]").check()
    submit(page)
    assert page.url == f"{base}/accounts/members/"
    check_page(page, "member list with an open invitation")
    link = re.search(r"https?://\S+/accounts/invitation/[^/\s]+/", mail.outbox[-1].body).group(0)
    path = link[link.index("/accounts/") :]

    # The invited person, on a phone, in a browser of their own.
    phone = new_page(page.context.browser, page.heimveg_csp_violations, viewport=PHONE)
    phone.goto(f"{base}{path}")
    assert phone.url == f"{base}/accounts/invitation/"  # the token is gone from the address
    check_page(phone, "invitation page")
    key = base64.b32decode(phone.locator(".hv-secret").inner_text().strip())
    phone.locator("#id_password1").fill("Fjellrev-i-lyngen-2026")
    phone.locator("#id_password2").fill("Fjellrev-i-lyngen-2026")
    phone.locator("#id_code").fill(f"{totp(key, step=30, t0=0, digits=6, drift=0):06d}")
    with phone.expect_navigation():
        phone.locator("form.hv-form [type=submit]").click()
    assert phone.url == f"{base}/"
    assert Membership.objects.filter(user__username="nora.ny@example.test", role=Role.MUNICIPAL_COORDINATOR).exists()

    # The idle warning, shown as the script shows it, passes axe too.
    phone.evaluate("document.getElementById('hv-idle').hidden = false")
    assert phone.locator("#hv-idle [role=alertdialog]").is_visible()
    check_page(phone, "idle-timeout warning")
    phone.context.close()


def test_the_admin_gives_a_role_and_unlocks_a_member_on_the_member_list(live_server, askoy_admin, page, tmp_path):
    """The member list with a locked-out member, a role to give and the last sign-in, checked by
    axe on desktop and phone; giving a role and unlocking work from it."""
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.utils import timezone

    base = live_server.url
    askoy = Organisation.objects.get(municipality_number=ASKOY)
    member = User.objects.create_user(username="kari.koordinator", password=PASSWORD, first_name="Kari", last_name="Ko")
    membership = Membership.objects.create(user=member, organisation=askoy, role=Role.MUNICIPAL_COORDINATOR)
    AccessAttempt.objects.create(
        username=member.username,
        ip_address="10.0.0.7",
        user_agent="test",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
        attempt_time=timezone.now(),
        get_data="",
        post_data="",
        http_accept="",
        path_info="/accounts/sign-in/",
    )
    sign_in(page, base, "admin.askoy")
    page.goto(f"{base}/accounts/members/")
    check_page(page, "member list with a locked-out member")
    page.locator("details.ds-details summary").first.click()
    check_page(page, "member list with a member's actions open")
    page.screenshot(path=str(tmp_path / "members-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(tmp_path / "members-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})

    # The member's actions are still open (changing the viewport does not reload the page).
    page.locator(f"#role-{membership.public_id}").select_option("analyst")
    with page.expect_navigation():
        page.locator(f"form[action$='/{membership.public_id}/give-role/'] button").click()
    page.locator(f"form[action$='/{membership.public_id}/unlock/'] button").wait_for()
    assert Membership.objects.filter(user=member, role=Role.ANALYST, is_active=True).exists()
    with page.expect_navigation():
        page.locator(f"form[action$='/{membership.public_id}/unlock/'] button").click()
    assert not AccessAttempt.objects.filter(username=member.username).exists()
    check_page(page, "member list after unlocking")
