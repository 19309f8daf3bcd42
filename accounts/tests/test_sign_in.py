"""Username and password sign-in: argon2 hashes, clear errors, lockout per username and address,
slowing per address, the client address behind proxies, the sign-in list, session ids renewed."""

import datetime

import pytest
from django.conf import settings
from django.test import Client

from accounts import sign_ins
from accounts.client_ip import client_ip
from accounts.models import Membership, SignInEvent
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


def test_the_account_locks_after_repeated_failures_from_that_address_only(client, personas):
    """Issue #16: five wrong passwords locked a named clinician out everywhere (a denial of
    service). Now the lockout is per username and client address together."""
    a, b = {"REMOTE_ADDR": "10.0.0.1"}, {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/sign-in/", {"username": "nurse", "password": "wrong"}, **a)
    response = client.post("/accounts/sign-in/", {"username": "nurse", "password": PASSWORD}, **a)
    assert response.status_code == 429
    assert "too many failed sign-in attempts" in response.content.decode()
    # Another user from the same address is not locked out.
    assert client.post("/accounts/sign-in/", {"username": "coordinator", "password": PASSWORD}, **a).status_code == 302
    # The same user from another address is not locked out either.
    other = Client()
    assert other.post("/accounts/sign-in/", {"username": "nurse", "password": PASSWORD}, **b).status_code == 302


def test_the_window_of_the_per_address_limit_passes(client, personas, settings, pinned_clock):
    settings.HEIMVEG_SIGNIN_ADDRESS_FAILURES = 3
    for name in ("a", "b", "c"):
        client.post("/accounts/sign-in/", {"username": name, "password": "x"})
    assert client.post("/accounts/sign-in/", {"username": "nurse", "password": PASSWORD}).status_code == 429
    pinned_clock.shift(settings.HEIMVEG_SIGNIN_ADDRESS_WINDOW + datetime.timedelta(seconds=1))
    assert client.post("/accounts/sign-in/", {"username": "nurse", "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy: the header is the client's own and ignored
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # the left entry was written by the client
        (2, "198.51.100.1, 203.0.113.9, 10.1.1.1", "203.0.113.9"),
        (1, "not-an-address", "10.0.0.1"),
    ],
)
def test_the_client_address_comes_from_the_trusted_proxies(rf, settings, proxies, forwarded, expected):
    settings.HEIMVEG_TRUSTED_PROXIES = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_behind_a_proxy_a_forged_header_cannot_lock_a_user_out_elsewhere(client, personas, settings):
    settings.HEIMVEG_TRUSTED_PROXIES = 1
    attacker = {"REMOTE_ADDR": "10.0.0.254", "HTTP_X_FORWARDED_FOR": "192.0.2.1, 198.51.100.7"}
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        client.post("/accounts/sign-in/", {"username": "nurse", "password": "wrong"}, **attacker)
    nurse = {"REMOTE_ADDR": "10.0.0.254", "HTTP_X_FORWARDED_FOR": "192.0.2.1, 203.0.113.50"}
    assert Client().post("/accounts/sign-in/", {"username": "nurse", "password": PASSWORD}, **nurse).status_code == 302


def test_sign_ins_are_recorded_for_the_user_to_see(client, personas):
    client.post("/accounts/sign-in/", {"username": "nurse", "password": "wrong"}, REMOTE_ADDR="10.0.0.7")
    client.post("/accounts/sign-in/", {"username": "nobody", "password": "secret"}, REMOTE_ADDR="10.0.0.7")
    client.post("/accounts/sign-in/", {"username": "nurse", "password": PASSWORD}, REMOTE_ADDR="10.0.0.8")
    events = list(SignInEvent.objects.filter(user=personas["nurse"]).order_by("id"))
    assert [(e.outcome, e.ip_address, e.second_factor) for e in events] == [
        ("failed", "10.0.0.7", False),
        ("succeeded", "10.0.0.8", False),
    ]
    assert SignInEvent.objects.filter(user__isnull=True).count() == 1  # the unknown name is not stored
    page = client.get("/accounts/me/").content.decode()
    assert "10.0.0.7" in page and "10.0.0.8" in page and "Wrong username or password" in page


def test_the_session_id_is_renewed_at_sign_in_and_at_the_organisation_choice(client, personas, orgs):
    client.get("/accounts/sign-in/")
    client.cookies["sessionid"] = "x"  # any session the browser had before
    client.post("/accounts/sign-in/", {"username": "outsider", "password": PASSWORD})
    signed_in = client.session.session_key
    askoy = Membership.objects.create(
        user=personas["outsider"], organisation=orgs["askoy"], role="municipal_coordinator"
    )
    client.post("/accounts/act-for/", {"membership": str(askoy.public_id)})
    assert client.session.session_key != signed_in


def test_old_sign_in_events_are_pruned(personas, settings, pinned_clock):
    from django.utils import timezone

    settings.HEIMVEG_SIGN_IN_EVENT_DAYS = 90
    now = timezone.now()
    SignInEvent.objects.create(user=personas["nurse"], occurred_at=now - datetime.timedelta(days=91), outcome="failed")
    kept = SignInEvent.objects.create(
        user=personas["nurse"], occurred_at=now - datetime.timedelta(days=89), outcome="failed"
    )
    assert sign_ins.prune(now) == 1
    assert list(SignInEvent.objects.all()) == [kept]


def test_pages_need_sign_in(client, patient):
    for path in ("/", "/patients/", f"/patients/{patient.public_id}/", "/directory/", "/audit/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/sign-in/")


def test_sign_out_is_a_post(client_for, personas):
    client = client_for(personas["nurse"])
    assert client.post("/accounts/sign-out/").status_code == 302
    assert client.get("/").status_code == 302
