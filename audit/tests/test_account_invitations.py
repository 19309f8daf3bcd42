"""The audit entries of the account life cycle (accounts.invitations, recorded through
accounts.trail): the tests of accounts/tests/test_invitations.py that read the audit trail."""

import datetime

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import invitations
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
