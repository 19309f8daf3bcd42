"""/readyz (for load balancers) and /healthz (for monitoring) answer JSON with 200 or 503, and
errors on /readyz, /healthz, /oauth/token/ and /fhir/ are never HTML."""

import datetime
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

from handover.models import Delivery
from jobs import health, scheduler
from jobs.models import RecurringJob, WorkerHeartbeat
from jobs.registry import JOBS


@pytest.fixture
def healthy(db):
    """A worker seen just now and every job run well, next run ahead."""
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="host:1", started_at=now, last_seen_at=now)
    scheduler.ensure_jobs(now)
    RecurringJob.objects.update(
        last_status="ok", last_started_at=now, last_finished_at=now, next_run_at=now + datetime.timedelta(minutes=1)
    )
    return now


@pytest.fixture
def raw_client():
    """A client that gets the 500/503 answer instead of the test client's re-raised exception."""
    return Client(raise_request_exception=False)


def test_readyz_says_ok_when_the_database_answers_and_migrations_are_applied(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": {"status": "ok"}, "migrations": {"status": "ok", "unapplied": 0}},
    }


def test_readyz_fails_with_unapplied_migrations(client, db, monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)
    with mock.patch.object(health.MigrationExecutor, "migration_plan", return_value=[("jobs", "0003_new")]):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == {"status": "fail", "unapplied": 1}


def test_readyz_fails_as_json_when_the_database_does_not_answer(client, db):
    with mock.patch.object(health.connection, "cursor", side_effect=OperationalError("connection refused")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "fail",
        "checks": {"database": {"status": "fail", "error": "OperationalError"}},
    }


def test_healthz_reports_every_part_and_says_ok(client, healthy):
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ok"
    checks = body["checks"]
    assert set(checks) == {"database", "migrations", "workers", "outbox", "jobs"}
    assert [w["id"] for w in checks["workers"]["workers"]] == ["host:1"]
    assert checks["workers"]["workers"][0]["stale"] is False
    assert checks["outbox"] == {
        "status": "ok",
        "undelivered": 0,
        "oldest_undelivered_age_seconds": None,
        "alert_after_seconds": 900,
    }
    assert sorted(j["name"] for j in checks["jobs"]["jobs"]) == sorted(JOBS)
    assert all(j["last_status"] == "ok" and j["status"] == "ok" for j in checks["jobs"]["jobs"])


def test_healthz_fails_without_a_fresh_worker(client, healthy, settings):
    settings.HEALTH_WORKER_STALE_SECONDS = 120
    WorkerHeartbeat.objects.update(last_seen_at=healthy - datetime.timedelta(minutes=3))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["workers"]["status"] == "fail"
    assert response.json()["checks"]["workers"]["workers"][0]["stale"] is True
    # A stale worker beside a fresh one (killed and replaced) is shown, not failed on.
    WorkerHeartbeat.objects.create(worker_id="host:2", started_at=healthy, last_seen_at=timezone.now())
    assert client.get("/healthz").status_code == 200


def test_healthz_fails_when_a_job_is_late_or_failed_or_missing(client, healthy, settings):
    settings.HEALTH_JOB_LATE_SECONDS = 600
    RecurringJob.objects.filter(name="outbox_sweep").update(next_run_at=healthy - datetime.timedelta(minutes=11))
    response = client.get("/healthz")
    assert response.status_code == 503
    sweep = next(j for j in response.json()["checks"]["jobs"]["jobs"] if j["name"] == "outbox_sweep")
    assert (sweep["status"], sweep["problem"]) == ("fail", "late")

    RecurringJob.objects.filter(name="outbox_sweep").update(next_run_at=healthy + datetime.timedelta(minutes=1))
    RecurringJob.objects.filter(name="report_figures").update(last_status="failed", last_error="ValueError")
    response = client.get("/healthz")
    assert response.status_code == 503
    figures = next(j for j in response.json()["checks"]["jobs"]["jobs"] if j["name"] == "report_figures")
    assert (figures["problem"], figures["last_error"]) == ("last run failed", "ValueError")

    RecurringJob.objects.filter(name="report_figures").delete()
    response = client.get("/healthz")
    figures = next(j for j in response.json()["checks"]["jobs"]["jobs"] if j["name"] == "report_figures")
    assert (response.status_code, figures["problem"]) == (503, "never scheduled")


def test_healthz_fails_when_a_message_waits_longer_than_the_alert_delay(
    client, healthy, actor_of, personas, patient, orgs, settings
):
    from assessment.tests import factories
    from handover.models import HandoverMessage

    settings.HANDOVER_UNDELIVERED_ALERT_MINUTES = 15
    enrolment = factories.enrol(actor_of(personas["nurse"]), patient, days_ago=10)
    message = HandoverMessage.objects.create(
        kind="point_completed",
        enrolment=enrolment,
        sender=orgs["haukeland"],
        recipient=orgs["askoy"],
        reason="municipality",
    )
    for channel in ("heimveg", "email"):
        Delivery.objects.create(
            message=message, channel=channel, idempotency_key=f"{message.public_id}:{channel}", next_attempt_at=healthy
        )
    assert client.get("/healthz").status_code == 200  # just written: not late
    Delivery.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=16))
    response = client.get("/healthz")
    assert response.status_code == 503
    outbox = response.json()["checks"]["outbox"]
    assert outbox["status"] == "fail" and outbox["undelivered"] == 2
    assert 16 * 60 <= outbox["oldest_undelivered_age_seconds"] < 17 * 60

    # In the inbox, and its e-mail notice waiting for the receiver to register an address: that is
    # the receiver's missing-address alert, not an operations fault.
    Delivery.objects.filter(channel="heimveg").update(status="delivered")
    Delivery.objects.filter(channel="email").update(last_error="no e-mail address registered")
    response = client.get("/healthz")
    assert (response.status_code, response.json()["checks"]["outbox"]["undelivered"]) == (200, 0)


def test_healthz_fails_as_json_when_the_database_does_not_answer(client, healthy):
    with mock.patch.object(health.connection, "cursor", side_effect=OperationalError("terminated")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"status": "fail", "error": "OperationalError"}


def test_an_unexpected_error_on_healthz_is_json(raw_client, db):
    with mock.patch.object(health, "health", side_effect=RuntimeError("bug")):
        response = raw_client.get("/healthz")
    assert response.status_code == 500
    assert response.json() == {"status": "fail", "error": "error"}


def test_the_token_endpoint_answers_json_when_the_database_is_gone(raw_client, db):
    with mock.patch("oauth2_provider.views.TokenView.post", side_effect=OperationalError("terminated")):
        response = raw_client.post("/oauth/token/", {"grant_type": "client_credentials"})
    assert response.status_code == 503
    assert response.json() == {"error": "temporarily_unavailable"}
    assert response["Retry-After"] == "5"


def test_a_database_error_in_a_middleware_is_json_too(raw_client, db):
    """Raised below the JSON middleware, in another middleware: Django has made an HTML 500 of it
    already; the JSON middleware replaces it."""
    with mock.patch("accounts.middleware.actor_for", side_effect=OperationalError("terminated")):
        token = raw_client.post("/oauth/token/", {"grant_type": "client_credentials"})
        fhir = raw_client.get("/fhir/Patient", HTTP_ACCEPT="application/fhir+json")
        page = raw_client.get("/directory/")
    assert (token.status_code, token.json()) == (503, {"error": "temporarily_unavailable"})
    assert fhir.status_code == 503 and fhir.json()["resourceType"] == "OperationOutcome"
    assert page.status_code == 500 and "json" not in page["Content-Type"]  # people's pages keep theirs


def test_the_fhir_api_answers_an_operation_outcome_when_the_database_is_gone(raw_client, db):
    with mock.patch("fhir_api.auth.authenticate", side_effect=OperationalError("terminated")):
        response = raw_client.get("/fhir/Patient", HTTP_AUTHORIZATION="Bearer x")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/fhir+json")
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    assert body["issue"][0]["code"] == "transient"
    assert response["Retry-After"] == "5"


@pytest.mark.parametrize(
    "method, path, status",
    [("get", "/oauth/token/", 405), ("get", "/healthz/nothing-here", 404), ("get", "/readyz/nothing-here", 404)],
)
def test_a_client_error_on_a_machine_path_is_json_too(raw_client, db, method, path, status):
    """Django answers an unknown path or a method a view does not take with an HTML page of its
    own; on the machine paths that is JSON too, with the same status (and Allow for a 405)."""
    response = getattr(raw_client, method)(path)
    assert response.status_code == status
    assert "json" in response["Content-Type"]
    assert response.json()
    if status == 405:
        assert response["Allow"]
