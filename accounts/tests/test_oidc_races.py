"""Provider sign-ins that bind at once: two sessions redeeming one invitation, and one provider
subject redeeming two invitations. One wins; the other is refused, and nothing is bound twice."""

import pytest

from accounts.models import Invitation, ProviderIdentity, User
from accounts.oidc import refusals, staff
from accounts.oidc.providers import HELSEID_HPR_CLAIM, HELSEID_PID_CLAIM, Provider
from accounts.tests.invitation_helpers import invite
from testsupport.races import race, winner_and_loser

pytest_plugins = ["testsupport.browser"]  # national_directory
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("national_directory")]

HELSEID = Provider(
    key="helseid",
    name="HelseID",
    kind="helseid",
    issuer="https://helseid-sts.test.nhn.no",
    client_id="heimveg",
    scopes=("openid",),
    required_level="4",
    national_id_claim=HELSEID_PID_CLAIM,
    hpr_claim=HELSEID_HPR_CLAIM,
)


def claims(sub):
    return {"sub": sub, HELSEID_PID_CLAIM: "13916910082", HELSEID_HPR_CLAIM: "565501872"}


def test_two_sign_ins_redeeming_one_invitation_give_one_binding(personas, actor_of):
    invitation, _path = invite(actor_of(personas["admin"]), national_id="13916910082", hpr_number="565501872")
    results = race(*(lambda sub=sub: staff.bind(invitation.public_id, HELSEID, claims(sub)) for sub in ("a", "b")))
    user, lost = winner_and_loser(results)
    assert isinstance(lost, staff.BindingRefused) and lost.reason == refusals.INVITATION_USED
    assert list(ProviderIdentity.objects.values_list("user", flat=True)) == [user.pk]
    assert list(User.objects.filter(email=invitation.email)) == [user]
    assert Invitation.objects.get(pk=invitation.pk).used_at is not None


def test_one_subject_redeeming_two_invitations_is_bound_once(personas, actor_of):
    admin = actor_of(personas["admin"])
    first, _path = invite(admin, email="a@example.no")
    second, _path = invite(admin, email="b@example.no")
    results = race(*(lambda i=i: staff.bind(i.public_id, HELSEID, claims("same")) for i in (first, second)))
    user, lost = winner_and_loser(results)
    assert isinstance(lost, staff.BindingRefused) and lost.reason == refusals.ALREADY_BOUND
    assert ProviderIdentity.objects.get(subject="same").user == user
    # The loser's transaction rolled back whole: no user for its invitation, which stays open.
    assert User.objects.filter(email__in=["a@example.no", "b@example.no"]).count() == 1
    assert Invitation.objects.filter(used_at__isnull=True).count() == 1
