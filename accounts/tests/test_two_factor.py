"""A time-based one-time code is required for staff (REQUIRE_TWO_FACTOR, on outside demo)."""

import base64
import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.two_factor


def current_code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=0):06d}"


def test_a_signed_in_user_without_a_device_must_set_one_up(client_for, personas, patient):
    client = client_for(personas["coordinator"])
    response = client.get(f"/patients/{patient.public_id}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/")
    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page  # the QR code
    secret = re.search(r'class="hv-secret">([A-Z2-7]+)<', page).group(1)
    device = TOTPDevice.objects.get(user=personas["coordinator"])
    assert base64.b32decode(secret) == device.bin_key
    assert not device.confirmed


def test_a_right_code_confirms_the_device_and_opens_the_pages(client_for, personas):
    client = client_for(personas["coordinator"])
    client.get("/accounts/two-factor/")
    device = TOTPDevice.objects.get(user=personas["coordinator"])
    response = client.post("/accounts/two-factor/", {"code": current_code(device), "next": "/patients/"})
    assert response.status_code == 302
    assert response["Location"] == "/patients/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/patients/").status_code == 200


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
    page = client_for(personas["coordinator"]).post("/accounts/two-factor/", {"code": "12ab56"}).content.decode()
    assert "only digits" in page
