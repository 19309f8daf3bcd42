"""The audit entries of the member admin pages (accounts.memberships, accounts.member_views,
recorded through accounts.trail): the tests of accounts/tests/test_member_admin.py that read the
audit trail."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone

from accounts.models import Membership, Role, User
from accounts.tests.test_member_admin import membership_of
from audit.models import AuditEntry


@pytest.fixture
def admin(client_for, personas):
    return client_for(personas["admin"])  # organisation admin for Askøy


def account_entries():
    return list(AuditEntry.objects.filter(object_type="account").order_by("id"))


def test_giving_a_role_adds_a_membership_in_the_same_organisation_and_is_audited(admin, personas, orgs):
    coordinator = personas["coordinator"]
    membership = membership_of(coordinator)
    response = admin.post(f"/accounts/members/{membership.public_id}/give-role/", {"role": Role.ANALYST})
    assert response.status_code == 302
    given = Membership.objects.get(user=coordinator, role=Role.ANALYST)
    assert given.organisation == orgs["askoy"] and given.is_active
    entry = account_entries()[-1]
    assert (
        entry.action == AuditEntry.Action.CREATE and f"membership {given.public_id} role analyst given" in entry.detail
    )
    # Twice the same role is refused with a message; a role that does not fit the organisation too.
    page = admin.post(
        f"/accounts/members/{membership.public_id}/give-role/", {"role": Role.ANALYST}, follow=True
    ).content.decode()
    assert "already has this role" in page
    page = admin.post(
        f"/accounts/members/{membership.public_id}/give-role/", {"role": Role.HOSPITAL_CLINICIAN}, follow=True
    ).content.decode()
    assert "does not fit" in page
    assert Membership.objects.filter(user=coordinator).count() == 2


def test_taking_a_role_ends_that_membership_and_keeps_the_account_while_another_remains(admin, personas, orgs):
    coordinator = personas["coordinator"]
    analyst = Membership.objects.create(user=coordinator, organisation=orgs["askoy"], role=Role.ANALYST)
    admin.post(f"/accounts/members/{analyst.public_id}/deactivate/")
    analyst.refresh_from_db()
    coordinator.refresh_from_db()
    assert not analyst.is_active and coordinator.is_active
    assert account_entries()[-1].detail.endswith(f"ended user {coordinator.public_id}")
    # A role taken can be given back: the same row is made active again (one row per role).
    admin.post(
        f"/accounts/members/{membership_of(coordinator, role=Role.MUNICIPAL_COORDINATOR).public_id}/give-role/",
        {"role": Role.ANALYST},
    )
    analyst.refresh_from_db()
    assert analyst.is_active and Membership.objects.filter(user=coordinator).count() == 2


def test_ending_the_last_membership_closes_the_account(admin, personas, client):
    coordinator = personas["coordinator"]
    membership = membership_of(coordinator)
    page = admin.post(f"/accounts/members/{membership.public_id}/deactivate/", follow=True).content.decode()
    assert "the account is closed" in page
    coordinator.refresh_from_db()
    assert not coordinator.is_active
    assert account_entries()[-1].detail.endswith("account deactivated")
    # The members list says so, and offers nothing more for the ended membership.
    assert "Account closed" in admin.get("/accounts/members/").content.decode()


def test_unlocking_a_locked_out_member(admin, personas, pinned_clock):
    coordinator = personas["coordinator"]
    AccessAttempt.objects.create(
        username=coordinator.username,
        ip_address="10.0.0.7",
        user_agent="test",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
        attempt_time=timezone.now(),
        get_data="",
        post_data="",
        http_accept="",
        path_info="/accounts/sign-in/",
    )
    membership = membership_of(coordinator)
    page = admin.get("/accounts/members/").content.decode()
    assert "Locked out" in page and f"/accounts/members/{membership.public_id}/unlock/" in page
    page = admin.post(f"/accounts/members/{membership.public_id}/unlock/", follow=True).content.decode()
    assert "unlocked" in page
    assert not AccessAttempt.objects.filter(username=coordinator.username).exists()
    assert account_entries()[-1].detail.startswith(f"unlocked user {coordinator.public_id}")
    # Not locked (any more): refused with a message, nothing audited.
    count = len(account_entries())
    page = admin.post(f"/accounts/members/{membership.public_id}/unlock/", follow=True).content.decode()
    assert "not locked out" in page and len(account_entries()) == count


def test_a_membership_of_another_organisation_is_refused_and_audited(admin, personas, orgs):
    for persona in ("outsider", "nurse"):  # Voss; and Haukeland, which Askøy does not cover
        membership = membership_of(personas[persona])
        for action in ("give-role", "deactivate", "unlock", "reset-second-factor"):
            response = admin.post(f"/accounts/members/{membership.public_id}/{action}/", {"role": Role.ANALYST})
            assert response.status_code == 403, action
            assert "This member is not in your organisation." in response.content.decode()
            entry = AuditEntry.objects.filter(action=AuditEntry.Action.DENIED).order_by("id").last()
            assert entry.username == "admin" and entry.object_type == "account"
            assert str(membership.public_id) in entry.detail
        membership.refresh_from_db()
        assert membership.is_active
    assert not Membership.objects.filter(role=Role.ANALYST, user__in=[personas["outsider"], personas["nurse"]]).exists()
    # Not listed either.
    assert "Outsider" not in admin.get("/accounts/members/").content.decode()


def test_the_django_admin_is_for_the_superuser_only(client, personas):
    org_admin = personas["admin"]
    org_admin.is_staff = True
    org_admin.save()
    client.force_login(org_admin)
    response = client.get("/admin/accounts/user/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert client.get("/admin/").status_code == 302
    denied = AuditEntry.objects.filter(action=AuditEntry.Action.DENIED, username="admin")
    assert denied.exists()
    root = User.objects.create_superuser("root", password="x-long-enough-password")
    client.force_login(root)
    assert client.get("/admin/accounts/user/").status_code == 200
