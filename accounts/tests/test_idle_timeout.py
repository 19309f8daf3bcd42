"""The idle timeout, enforced by the server (accounts.middleware.IdleTimeoutMiddleware): a staff
session without a request for HEIMVEG_IDLE_TIMEOUT_MINUTES ends with a message; any request,
the warning's "Stay signed in" included, renews it; the warning's own check does not."""

import datetime

import pytest


@pytest.fixture
def signed_in(client_for, personas, settings):
    settings.HEIMVEG_IDLE_TIMEOUT_MINUTES = 30
    client = client_for(personas["nurse"])
    assert client.get("/patients/").status_code == 200  # the first request starts the timer
    return client


def test_a_session_idle_longer_than_the_timeout_is_signed_out_with_a_message(signed_in, pinned_clock):
    pinned_clock.shift(datetime.timedelta(minutes=30, seconds=1))
    response = signed_in.get("/patients/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/sign-in/?next=%2Fpatients%2F"
    page = signed_in.get(response["Location"]).content.decode()
    assert "You were signed out after 30 minutes without activity" in page
    assert signed_in.get("/patients/").status_code == 302  # the session is gone


def test_activity_within_the_timeout_keeps_the_session(signed_in, pinned_clock):
    for _ in range(3):
        pinned_clock.shift(datetime.timedelta(minutes=29))
        assert signed_in.get("/patients/").status_code == 200


def test_stay_signed_in_renews_the_session_and_the_check_does_not(signed_in, pinned_clock):
    pinned_clock.shift(datetime.timedelta(minutes=27))
    check = signed_in.get("/accounts/keep-alive/", headers={"X-Heimveg-Idle-Check": "1"})
    assert check.json() == {"remaining": 180}
    pinned_clock.shift(datetime.timedelta(minutes=2))
    assert signed_in.post("/accounts/keep-alive/").status_code == 204
    pinned_clock.shift(datetime.timedelta(minutes=29))
    assert signed_in.get("/accounts/keep-alive/", headers={"X-Heimveg-Idle-Check": "1"}).json() == {"remaining": 60}
    pinned_clock.shift(datetime.timedelta(minutes=2))
    assert signed_in.get("/accounts/keep-alive/", headers={"X-Heimveg-Idle-Check": "1"}).status_code == 302
    assert signed_in.post("/accounts/keep-alive/").status_code == 401


def test_the_page_carries_the_warning_without_inline_script(signed_in):
    page = signed_in.get("/patients/").content.decode()
    assert 'id="hv-idle"' in page and 'role="alertdialog"' in page and 'data-timeout="1800"' in page
    assert '<script src="/static/accounts/idle.js"' in page
    assert "<script>" not in page


def test_the_timeout_is_configurable(client_for, personas, settings, pinned_clock):
    settings.HEIMVEG_IDLE_TIMEOUT_MINUTES = 5
    client = client_for(personas["nurse"])
    client.get("/patients/")
    pinned_clock.shift(datetime.timedelta(minutes=5, seconds=1))
    assert client.get("/patients/").status_code == 302
