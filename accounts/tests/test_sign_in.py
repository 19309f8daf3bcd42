"""Username and password sign-in: argon2 hashes, clear errors, lockout after repeated failures."""

import pytest
from django.conf import settings

from conftest import PASSWORD


@pytest.mark.argon2
def test_passwords_are_hashed_with_argon2(personas):
    assert personas["nurse"].password.startswith("argon2")


def test_it_signs_in_and_goes_to_the_start_page(client, personas):
    response = client.post("/accounts/sign-in/", {"username": "nurse", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_wrong_password_gets_a_clear_message(client, personas):
    response = client.post("/accounts/sign-in/", {"username": "nurse", "password": "wrong"})
    assert response.status_code == 200
    assert "The username or password is not right" in response.content.decode()


def test_the_account_locks_after_repeated_failures(client, personas):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/sign-in/", {"username": "nurse", "password": "wrong"})
    response = client.post("/accounts/sign-in/", {"username": "nurse", "password": PASSWORD})
    assert response.status_code == 429
    assert "too many failed sign-in attempts" in response.content.decode()
    # Another user from the same address is not locked out (per-username lockout).
    assert client.post("/accounts/sign-in/", {"username": "coordinator", "password": PASSWORD}).status_code == 302


def test_pages_need_sign_in(client, patient):
    for path in ("/", "/patients/", f"/patients/{patient.public_id}/", "/directory/", "/audit/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/sign-in/")


def test_sign_out_is_a_post(client_for, personas):
    client = client_for(personas["nurse"])
    assert client.post("/accounts/sign-out/").status_code == 302
    assert client.get("/").status_code == 302
