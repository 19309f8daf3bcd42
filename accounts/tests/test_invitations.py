"""The account life cycle: an organisation admin invites a person by a one-time link that sets the
password and the second factor on first use; the key is shown only to the session that opened
the link; an admin resets a member's second factor the same way, revokes invitations and
deactivates memberships; every action is audited."""

import datetime

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import invitations, memberships
from accounts.models import Invitation, Membership, Role, User
from accounts.tests.invitation_helpers import STRONG, Client, code_for, invite, open_link


@pytest.fixture
def admin_actor(personas, actor_of):
    return actor_of(personas["admin"])  # organisation admin for Askøy


def test_the_national_id_is_stored_only_as_a_keyed_hash(admin_actor, personas, client_for):
    from conftest import synthetic_id

    number = synthetic_id()
    invitation, path = invite(admin_actor, national_id=number)
    assert invitation.national_id_hash == invitations.national_id_hash(number)
    assert number not in str(Invitation.objects.filter(pk=invitation.pk).values().get())
    client = Client()
    key = open_link(client, path)
    client.post("/accounts/invitation/", {"password1": STRONG, "password2": STRONG, "code": code_for(key)})
    user = User.objects.get(email="ny.sykepleier@example.no")
    assert user.national_id_hash == invitation.national_id_hash
    assert number not in client_for(personas["admin"]).get("/accounts/members/").content.decode()


def test_a_weak_password_or_a_wrong_code_is_refused_and_the_link_kept(admin_actor):
    invitation, path = invite(admin_actor)
    client = Client()
    key = open_link(client, path)
    for weak in ("aaaaaaaaaaaa", "Passord123456"):
        page = client.post("/accounts/invitation/", {"password1": weak, "password2": weak, "code": code_for(key)})
        assert page.status_code == 200
        assert "too guessable" in page.content.decode()
    wrong = f"{(int(code_for(key)) + 1) % 1_000_000:06d}"
    page = client.post("/accounts/invitation/", {"password1": STRONG, "password2": STRONG, "code": wrong})
    assert "The code is not right" in page.content.decode()
    invitation.refresh_from_db()
    assert invitation.used_at is None and not User.objects.filter(email=invitation.email).exists()


def test_each_session_gets_its_own_key_and_only_the_redeeming_one_becomes_the_device(admin_actor):
    _invitation, path = invite(admin_actor)
    first, second = Client(), Client()
    first_key, second_key = open_link(first, path), open_link(second, path)
    assert first_key != second_key
    first.post("/accounts/invitation/", {"password1": STRONG, "password2": STRONG, "code": code_for(first_key)})
    late = second.post(
        "/accounts/invitation/", {"password1": STRONG, "password2": STRONG, "code": code_for(second_key)}
    )
    assert late.status_code == 410
    assert list(TOTPDevice.objects.values_list("key", flat=True)) == [first_key]


def test_the_link_redirects_to_a_url_without_the_token_and_a_dead_link_touches_no_session(
    admin_actor, personas, client_for
):
    invitation, path = invite(admin_actor)
    invitations.revoke(admin_actor, invitation.public_id)
    client = client_for(personas["nurse"])
    assert client.get(path).status_code == 410
    assert client.get("/patients/").status_code == 200  # still signed in as the nurse
    assert client.get("/accounts/invitation/invalid-token/").status_code == 410


def test_an_expired_link_does_not_work(admin_actor, pinned_clock, settings):
    settings.HEIMVEG_INVITATION_HOURS = 72
    _invitation, path = invite(admin_actor)
    client = Client()
    open_link(client, path)
    pinned_clock.shift(datetime.timedelta(hours=72, seconds=1))
    assert client.get("/accounts/invitation/").status_code == 410
    assert Client().get(path).status_code == 410


def test_the_role_must_fit_the_organisation_and_only_admins_invite(admin_actor, actor_of, personas):
    with pytest.raises(invitations.InvitationError, match="does not fit"):
        invitations.invite(admin_actor, email="x@example.no", name="X", role=Role.HOSPITAL_CLINICIAN)
    with pytest.raises(invitations.InvitationError, match="administrator"):
        invitations.invite(actor_of(personas["coordinator"]), email="x@example.no", name="X", role=Role.GP)
    with pytest.raises(invitations.InvitationError, match="already belongs"):
        invitations.invite(admin_actor, email=personas["nurse"].email or "nurse", name="X", role=Role.ANALYST)


def test_an_admin_cannot_touch_another_organisations_members_or_invitations(actor_of, personas, orgs):
    voss_admin = User.objects.create_user("voss-admin", password="x")
    Membership.objects.create(user=voss_admin, organisation=orgs["voss"], role=Role.ORG_ADMIN)
    askoy_admin = actor_of(personas["admin"])
    invitation, _path = invite(askoy_admin)
    other = actor_of(voss_admin)
    coordinator = Membership.objects.get(user=personas["coordinator"])
    with pytest.raises(invitations.InvitationError):
        invitations.revoke(other, invitation.public_id)
    with pytest.raises(invitations.InvitationError):
        memberships.end_membership(other, coordinator.public_id)
    with pytest.raises(invitations.InvitationError):
        invitations.reset_second_factor(other, coordinator.public_id)


def test_a_name_with_a_direction_override_is_refused(client_for, personas):
    response = client_for(personas["admin"]).post(
        "/accounts/members/invite/",
        {"name": "Per \u202eevørP", "email": "per@example.no", "role": "municipal_coordinator", "language": "en"},
    )
    assert response.status_code == 200
    assert "U+202E" in response.content.decode()
    assert not Invitation.objects.filter(email="per@example.no").exists()
