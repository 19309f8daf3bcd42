"""The token endpoint is rate-limited per client id and per client address (lib.throttle):
past either limit, 429 with an OAuth error body and Retry-After, audited once per window and
logged without secrets."""

import base64
import logging

import pytest

from audit.models import AuditEntry
from lib.models import ThrottleWindow


@pytest.fixture
def limits(settings):
    settings.OAUTH_TOKEN_LIMIT_PER_CLIENT = 3
    settings.OAUTH_TOKEN_LIMIT_PER_ADDRESS = 5
    return settings


def ask(client, system, secret=None, address="192.0.2.10", basic=False):
    secret = system.secret if secret is None else secret
    data = {"grant_type": "client_credentials"}
    extra = {"REMOTE_ADDR": address}
    if basic:
        pair = f"{system.application.client_id}:{secret}".encode()
        extra["HTTP_AUTHORIZATION"] = "Basic " + base64.b64encode(pair).decode()
    else:
        data.update({"client_id": system.application.client_id, "client_secret": secret})
    return client.post("/oauth/token/", data, **extra)


def test_past_the_per_client_limit_the_endpoint_answers_429_slow_down_with_retry_after(client, systems, limits, caplog):
    system = systems["hospital"]
    caplog.set_level(logging.INFO)
    answers = [ask(client, system, address=f"192.0.2.{i}", basic=i % 2 == 0) for i in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert refused.json() == {
        "error": "slow_down",
        "error_description": "Too many token requests; try again after Retry-After seconds.",
    }
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["Cache-Control"] == "no-store"
    # Another system is not affected.
    assert ask(client, systems["municipality"]).status_code == 200
    entry = AuditEntry.objects.get(object_type="oauth_token")
    assert entry.action == AuditEntry.Action.DENIED and entry.client == "DIPS Arena"
    assert str(system.public_id) in entry.detail and "client id" in entry.detail
    logged = caplog.text
    assert "rate limit" in logged
    for secret in (system.secret, system.application.client_id, "192.0.2."):
        assert secret not in logged and secret not in entry.detail


def test_past_the_per_address_limit_every_client_is_refused_from_that_address(client, systems, limits):
    names = ["hospital", "municipality", "outsider", "gp", "auditor"]
    assert [ask(client, systems[n]).status_code for n in names] == [200] * 5
    assert ask(client, systems["hospital"]).status_code == 429
    assert ask(client, systems["hospital"], address="198.51.100.1").status_code == 200
    assert "client address" in AuditEntry.objects.get(object_type="oauth_token").detail


def test_wrong_secrets_count_too_and_a_flood_is_audited_once(client, systems, limits):
    system = systems["hospital"]
    statuses = [ask(client, system, secret="wrong", address=f"192.0.2.{i}").status_code for i in range(6)]
    assert statuses == [401, 401, 401, 429, 429, 429]
    assert AuditEntry.objects.filter(object_type="oauth_token").count() == 1
    assert ask(client, system).status_code == 429  # the right secret waits for the window too


def test_the_counts_hold_no_client_id_or_address(client, systems, limits):
    ask(client, systems["hospital"])
    stored = " ".join(str(v) for row in ThrottleWindow.objects.values() for v in row.values())
    assert systems["hospital"].application.client_id not in stored and "192.0.2.10" not in stored


def test_the_window_ends(client, systems, limits, pinned_clock):
    system = systems["hospital"]
    for _ in range(3):
        ask(client, system)
    assert ask(client, system).status_code == 429
    pinned_clock.shift(limits.OAUTH_TOKEN_LIMIT_WINDOW)
    assert ask(client, system).status_code == 200
