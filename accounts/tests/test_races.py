"""Two sessions redeem the same invitation link at once (two browsers, or a double submit): one
wins, the other is told the link is used, and one user with one device exists."""

import secrets

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import invitations
from accounts.models import Invitation, Membership, User
from accounts.tests.invitation_helpers import STRONG, invite
from testsupport.races import race, winner_and_loser

pytest_plugins = ["testsupport.browser"]  # national_directory
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("national_directory")]


def test_two_redemptions_of_one_link_give_one_winner(personas, actor_of):
    invitation, _path = invite(actor_of(personas["admin"]))
    keys = [secrets.token_hex(20) for _ in range(2)]

    results = race(
        *(
            lambda key=key: invitations.redeem(invitation.public_id, key_hex=key, step=1, password=STRONG)
            for key in keys
        )
    )

    (user, device), lost = winner_and_loser(results)
    assert isinstance(lost, invitations.InvitationError), lost
    assert "already been used" in lost.message
    assert list(User.objects.filter(email=invitation.email)) == [user]
    assert list(Membership.objects.filter(user=user).values_list("role", flat=True)) == [invitation.role]
    assert list(TOTPDevice.objects.filter(user=user).values_list("key", flat=True)) == [device.key]
    assert Invitation.objects.get(pk=invitation.pk).used_at is not None


def test_two_redemptions_of_one_reset_link_leave_one_device(personas, actor_of):
    coordinator = personas["coordinator"]
    coordinator.email = "coordinator@example.no"
    coordinator.save()
    membership = Membership.objects.get(user=coordinator)
    invitation, _token = invitations.reset_second_factor(actor_of(personas["admin"]), membership.public_id)
    keys = [secrets.token_hex(20) for _ in range(2)]

    results = race(
        *(lambda key=key: invitations.redeem(invitation.public_id, key_hex=key, step=1, password="") for key in keys)
    )

    (_user, device), lost = winner_and_loser(results)
    assert isinstance(lost, invitations.InvitationError), lost
    assert list(TOTPDevice.objects.filter(user=coordinator).values_list("key", flat=True)) == [device.key]


def _account_matches_memberships(user):
    user.refresh_from_db()
    return user.is_active == Membership.objects.filter(user=user, is_active=True).exists()


def test_two_admins_ending_a_users_last_two_memberships_at_once_close_the_account(personas, actor_of, orgs):
    from accounts import memberships
    from accounts.models import Role

    coordinator = personas["coordinator"]
    first = Membership.objects.get(user=coordinator)
    second = Membership.objects.create(user=coordinator, organisation=orgs["askoy"], role=Role.ANALYST)
    other_admin = User.objects.create_user("admin2", password="x")
    Membership.objects.create(user=other_admin, organisation=orgs["askoy"], role=Role.ORG_ADMIN)
    admins = [actor_of(personas["admin"]), actor_of(other_admin)]

    results = race(
        *(
            lambda admin=admin, membership=membership: memberships.end_membership(admin, membership.public_id)
            for admin, membership in zip(admins, (first, second), strict=True)
        )
    )

    assert not any(isinstance(result, Exception) for result in results), results
    assert sorted(closed for _membership, closed in results) == [False, True]  # the second one closes it
    coordinator.refresh_from_db()
    assert not coordinator.is_active and _account_matches_memberships(coordinator)


def test_ending_the_last_membership_while_a_role_is_given_leaves_account_and_memberships_agreeing(
    personas, actor_of, orgs
):
    from accounts import memberships
    from accounts.models import Role

    coordinator = personas["coordinator"]
    only = Membership.objects.get(user=coordinator)
    admin = actor_of(personas["admin"])

    results = race(
        lambda: memberships.end_membership(admin, only.public_id),
        lambda: memberships.give_role(admin, only.public_id, Role.ANALYST),
    )

    assert _account_matches_memberships(coordinator), results
