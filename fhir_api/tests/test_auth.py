"""Every request needs a bearer token of a registered, not revoked system; the token endpoint
issues one for the client credentials the org admin was shown."""

import base64
import datetime
import hashlib
import importlib

from django.apps import apps as django_apps
from django.contrib.auth.hashers import check_password
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, RefreshToken

from audit.models import AuditEntry
from fhir_api import clients
from fhir_api.tests.conftest import FhirClient, FhirResponse


def test_a_request_without_a_token_is_401_with_a_bearer_challenge(anonymous, db):
    response = anonymous.get("Patient")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json["resourceType"] == "OperationOutcome"
    assert "bearer token" in response.diagnostics


def test_an_unknown_token_is_401_invalid_token(client, db):
    response = FhirClient(client, token="not-a-token").get("Patient")
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_basic_authentication_is_refused(client, db):
    response = FhirResponse(
        client.get("/fhir/Patient", HTTP_AUTHORIZATION="Basic " + base64.b64encode(b"a:b").decode())
    )
    assert response.status_code == 401


def test_the_token_endpoint_issues_a_token_for_the_client_credentials(client, systems):
    system = systems["hospital"]
    answer = client.post(
        "/oauth/token/",
        {
            "grant_type": "client_credentials",
            "client_id": system.application.client_id,
            "client_secret": system.secret,
        },
    )
    assert answer.status_code == 200, answer.content
    token = answer.json()["access_token"]
    response = FhirClient(client, token=token).get("Organization", {"_count": 1})
    assert response.status_code == 200


def test_a_wrong_secret_gets_no_token(client, systems):
    answer = client.post(
        "/oauth/token/",
        {
            "grant_type": "client_credentials",
            "client_id": systems["hospital"].application.client_id,
            "client_secret": "x",
        },
    )
    assert answer.status_code == 401


def test_a_revoked_system_is_refused_at_once(client, systems, fhir_as, personas, actor_of):
    api = fhir_as("municipality")
    assert api.get("Organization", {"_count": 1}).status_code == 200
    clients.revoke_client(actor_of(personas["admin"]), systems["municipality"])
    assert api.get("Organization", {"_count": 1}).status_code == 401


def test_reads_are_audited_with_the_system_named(fhir_as, patient):
    response = fhir_as("hospital").get(f"Patient/{patient.public_id}")
    assert response.status_code == 200
    entry = AuditEntry.objects.filter(patient_public_id=patient.public_id).latest("id")
    assert entry.client == "DIPS Arena"
    assert entry.action == AuditEntry.Action.VIEW
    assert entry.organisation.name == "Haukeland universitetssjukehus"


def test_a_refused_read_is_audited_as_denied_with_the_system_named(fhir_as, patient):
    response = fhir_as("outsider").get(f"Patient/{patient.public_id}")
    assert response.status_code == 403
    entry = AuditEntry.objects.filter(patient_public_id=patient.public_id).latest("id")
    assert (entry.action, entry.client) == (AuditEntry.Action.DENIED, "Profil")


def _issue(client, system):
    answer = client.post(
        "/oauth/token/",
        {"grant_type": "client_credentials", "client_id": system.application.client_id, "client_secret": system.secret},
    )
    assert answer.status_code == 200, answer.content
    return answer.json()["access_token"]


def _database_text():
    """Every text column of every OAuth row, as the database holds it."""
    rows = []
    for model in (AccessToken, RefreshToken, Application):
        for values in model.objects.values():
            rows.extend(str(v) for v in values.values())
    return " ".join(rows)


def test_an_issued_token_is_stored_only_as_a_checksum_and_still_authenticates(client, systems):
    token = _issue(client, systems["hospital"])
    stored = AccessToken.objects.get()
    assert stored.token == ""
    assert stored.token_checksum == hashlib.sha256(token.encode()).hexdigest()
    assert token not in _database_text()
    assert systems["hospital"].secret not in _database_text()
    assert FhirClient(client, token=token).get("Organization", {"_count": 1}).status_code == 200


def test_the_migration_revokes_tokens_stored_in_clear_and_hashes_clear_secrets(client, systems):
    migration = importlib.import_module("fhir_api.migrations.0002_tokens_stored_hashed")
    system = systems["hospital"]
    clear = AccessToken.objects.create(
        application=system.application,
        token="a-clear-token-from-before",
        expires=timezone.now() + datetime.timedelta(hours=1),
        scope="system/*.*",
    )
    assert clear.token == "a-clear-token-from-before"
    Application.objects.filter(pk=system.application_id).update(client_secret="clear-secret", hash_client_secret=False)
    migration.revoke_tokens_and_hash_secrets(django_apps, None)
    assert not AccessToken.objects.exists()
    application = Application.objects.get(pk=system.application_id)
    assert application.hash_client_secret and check_password("clear-secret", application.client_secret)
    assert FhirClient(client, token="a-clear-token-from-before").get("Organization").status_code == 401
    # A secret hashed already is left as it was.
    other = Application.objects.get(pk=systems["municipality"].application_id)
    assert check_password(systems["municipality"].secret, other.client_secret)
