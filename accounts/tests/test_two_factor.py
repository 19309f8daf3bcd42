"""A time-based one-time code is required for staff (REQUIRE_TWO_FACTOR, on outside demo)."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.two_factor


def current_code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=0):06d}"


def test_a_password_alone_never_sees_an_authenticator_key(client_for, personas, patient):
    """Issue #16: the old page showed any session holding the password the key of an unconfirmed
    device (the same key to every session), so an attacker could enrol. Now a user without a
    confirmed device is told to ask for a link, no key is shown and no device is made."""
    client = client_for(personas["coordinator"])
    response = client.get(f"/patients/{patient.public_id}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/")
    page = client.get(response["Location"]).content.decode()
    assert "Two-factor sign-in is not set up" in page
    assert "<svg" not in page and "hv-secret" not in page
    assert not TOTPDevice.objects.filter(user=personas["coordinator"]).exists()
    # Posting a code does not enrol anything either.
    client.post("/accounts/two-factor/", {"code": "123456"})
    assert not TOTPDevice.objects.filter(user=personas["coordinator"]).exists()
    assert client.get("/patients/").status_code == 302


def test_a_right_code_opens_the_pages_and_renews_the_session_id(client_for, personas):
    user = personas["coordinator"]
    device = TOTPDevice.objects.create(user=user, name="Heimveg", confirmed=True)
    client = client_for(user)
    before = client.session.session_key
    response = client.post("/accounts/two-factor/", {"code": current_code(device), "next": "/patients/"})
    assert response.status_code == 302
    assert response["Location"] == "/patients/"
    assert client.session.session_key != before
    assert client.get("/patients/").status_code == 200


def test_the_account_and_member_pages_need_the_second_factor(client_for, personas):
    TOTPDevice.objects.create(user=personas["admin"], name="Heimveg", confirmed=True)
    client = client_for(personas["admin"])
    for path in ("/accounts/me/", "/accounts/me/password/", "/accounts/members/", "/accounts/members/invite/"):
        assert client.get(path)["Location"].startswith("/accounts/two-factor/"), path


def test_a_wrong_code_is_refused_with_a_message(client_for, personas):
    user = personas["coordinator"]
    device = TOTPDevice.objects.create(user=user, name="Heimveg", confirmed=True)
    client = client_for(user)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    page = client.post("/accounts/two-factor/", {"code": wrong}).content.decode()
    assert "The code is not right" in page
    assert client.get("/patients/").status_code == 302


def test_an_off_site_next_is_ignored(client_for, personas):
    user = personas["coordinator"]
    device = TOTPDevice.objects.create(user=user, name="Heimveg", confirmed=True)
    response = client_for(user).post(
        "/accounts/two-factor/", {"code": current_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_without_enforcement_the_code_is_not_asked_for(client_for, personas, settings):
    settings.REQUIRE_TWO_FACTOR = False
    assert client_for(personas["coordinator"]).get("/patients/").status_code == 200


def test_the_code_must_be_six_digits(client_for, personas):
    TOTPDevice.objects.create(user=personas["coordinator"], name="Heimveg", confirmed=True)
    page = client_for(personas["coordinator"]).post("/accounts/two-factor/", {"code": "12ab56"}).content.decode()
    assert "only digits" in page
