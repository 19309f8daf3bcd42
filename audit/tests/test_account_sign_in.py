"""Refused sign-ins are audited (accounts, recorded through accounts.trail): the test of
accounts/tests/test_sign_in.py that reads the audit trail."""

from django.test import Client

from audit.models import AuditEntry
from conftest import PASSWORD


def test_a_password_spray_from_one_address_is_stopped(client, personas, settings):
    """33 attempts across many usernames from one address: past the per-address limit every
    further attempt is refused (429), the right password included, and the refusals are audited."""
    settings.HEIMVEG_SIGNIN_ADDRESS_FAILURES = 20
    names = [f"user{i}" for i in range(30)] + ["nurse", "coordinator", "gp"]
    codes = [
        client.post(
            "/accounts/sign-in/", {"username": name, "password": "Sommer2026!"}, REMOTE_ADDR="10.9.9.9"
        ).status_code
        for name in names
    ]
    assert codes[:20] == [200] * 20
    assert codes[20:] == [429] * 13
    page = client.post("/accounts/sign-in/", {"username": "gp", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9")
    assert page.status_code == 429 and "too many failed sign-in attempts from your network" in page.content.decode()
    assert AuditEntry.objects.filter(object_type="account", action=AuditEntry.Action.DENIED).count() == 14
    # Another address signs in as usual.
    assert (
        Client()
        .post("/accounts/sign-in/", {"username": "gp", "password": PASSWORD}, REMOTE_ADDR="10.9.9.8")
        .status_code
        == 302
    )
