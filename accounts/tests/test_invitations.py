"""The account life cycle: an organisation admin invites a person by a one-time link that sets the
password and the second factor on first use; the key is shown only to the session that opened
the link; an admin resets a member's second factor the same way, revokes invitations and
deactivates memberships; every action is audited."""

import datetime

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import invitations, memberships
from accounts.models import Invitation, Membership, Role, User
from accounts.tests.invitation_helpers import STRONG, Client, code_for, invite, link_path, open_link
from audit.models import AuditEntry


@pytest.fixture
def admin_actor(personas, actor_of):
    return actor_of(personas["admin"])  # organisation admin for Askøy


def account_entries():
    return list(AuditEntry.objects.filter(object_type="account").order_by("id"))


def test_an_invitation_goes_by_e_mail_in_the_chosen_language_and_stores_no_secret(admin_actor, today):
    invitation, path = invite(admin_actor, language="nb", national_id="", hpr_number="1234567")
    message = mail.outbox[-1]
    assert message.to == ["ny.sykepleier@example.no"]
    assert message.subject == "Din invitasjon til Heimveg"
    assert "Askøy" in message.body
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert invitation.token_hash == invitations.hash_token(token) and token not in invitation.token_hash
    assert invitation.expires_at == invitation.created_at + datetime.timedelta(hours=72)
    [entry] = account_entries()
    assert entry.action == AuditEntry.Action.CREATE and entry.patient_public_id is None
    assert str(invitation.public_id) in entry.detail and "example.no" not in entry.detail


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


def test_redeeming_sets_password_and_second_factor_and_signs_in(admin_actor, settings):
    settings.REQUIRE_TWO_FACTOR = True
    invitation, path = invite(admin_actor)
    client = Client()
    key = open_link(client, path)
    page = client.get("/accounts/invitation/").content.decode()
    assert "<svg" in page and "hv-secret" in page
    assert "ny.sykepleier@example.no" in page  # the username

    response = client.post("/accounts/invitation/", {"password1": STRONG, "password2": STRONG, "code": code_for(key)})
    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(username="ny.sykepleier@example.no")
    assert user.check_password(STRONG)
    assert user.first_name == "Nora" and user.last_name == "Ny"
    membership = Membership.objects.get(user=user)
    assert (membership.organisation, membership.role) == (admin_actor.organisation, Role.MUNICIPAL_COORDINATOR)
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and device.key == key
    invitation.refresh_from_db()
    assert invitation.used_at is not None and invitation.user == user
    assert client.get("/patients/").status_code == 200  # signed in, second factor passed
    assert "redeemed" in account_entries()[-1].detail

    # The link works once.
    assert Client().get(path).status_code == 410


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


def test_the_member_pages_invite_list_and_revoke(client_for, personas, orgs):
    client = client_for(personas["admin"])
    form = client.get("/accounts/members/invite/").content.decode()
    assert 'value="municipal_coordinator"' in form and 'value="gp"' not in form  # roles of a municipality
    response = client.post(
        "/accounts/members/invite/",
        {"name": "Per Prøve", "email": "per@example.no", "role": "municipal_coordinator", "language": "en"},
    )
    assert response.status_code == 302
    assert mail.outbox[-1].subject == "Your invitation to Heimveg"
    page = client.get("/accounts/members/").content.decode()
    assert "per@example.no" in page and "Coordinator" in page
    invitation = Invitation.objects.get(email="per@example.no")
    client.post(f"/accounts/members/invitations/{invitation.public_id}/revoke/")
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert Client().get(link_path(mail.outbox[-1])).status_code == 410
    assert [e.detail.split()[-1] for e in account_entries()] == ["municipal_coordinator", "revoked"]
    # Other users are refused the pages.
    assert client_for(personas["coordinator"]).get("/accounts/members/").status_code == 403


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


def test_a_second_factor_reset_removes_the_device_at_once_and_the_link_sets_a_new_one(client_for, personas, settings):
    coordinator = personas["coordinator"]
    coordinator.email = "coordinator@example.no"
    coordinator.save()
    old = TOTPDevice.objects.create(user=coordinator, name="Heimveg", confirmed=True)
    membership = Membership.objects.get(user=coordinator)
    admin = client_for(personas["admin"])
    admin.post(f"/accounts/members/{membership.public_id}/reset-second-factor/")
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()  # at once, before the link is used
    assert "reset" in account_entries()[-1].detail
    path = link_path(mail.outbox[-1])

    settings.REQUIRE_TWO_FACTOR = True
    client = Client()
    key = open_link(client, path)
    page = client.post("/accounts/invitation/", {"password": "wrong", "code": code_for(key)})
    assert "The password is not right" in page.content.decode()
    from conftest import PASSWORD

    response = client.post("/accounts/invitation/", {"password": PASSWORD, "code": code_for(key)})
    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=coordinator).values_list("key", flat=True)) == [key]
    assert client.get("/patients/").status_code == 200


def test_deactivating_a_membership_ends_its_role(client_for, personas):
    membership = Membership.objects.get(user=personas["coordinator"])
    admin = client_for(personas["admin"])
    admin.post(f"/accounts/members/{membership.public_id}/deactivate/")
    membership.refresh_from_db()
    assert not membership.is_active
    assert "deactivated" in account_entries()[-1].detail
    # Not on oneself.
    own = Membership.objects.get(user=personas["admin"])
    page = admin.post(f"/accounts/members/{own.public_id}/deactivate/", follow=True).content.decode()
    assert "your own user" in page
    own.refresh_from_db()
    assert own.is_active


def test_a_name_with_a_direction_override_is_refused(client_for, personas):
    response = client_for(personas["admin"]).post(
        "/accounts/members/invite/",
        {"name": "Per \u202eevørP", "email": "per@example.no", "role": "municipal_coordinator", "language": "en"},
    )
    assert response.status_code == 200
    assert "U+202E" in response.content.decode()
    assert not Invitation.objects.filter(email="per@example.no").exists()
