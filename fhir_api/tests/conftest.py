"""Fixtures for the FHIR API tests: registered systems of the personas' organisations, tokens,
and a client whose every answer is checked against the fhir.resources R4B models."""

import datetime
import importlib
import json
import secrets

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken, set_token_value

from accounts.actor import Actor
from accounts.models import Membership, Role, User
from assessment.tests import factories
from fhir_api import clients

FHIR_JSON = "application/fhir+json"


def validate_fhir(data):
    """`data` (parsed JSON) must be a valid R4B resource; bundle entries are validated one by one too."""
    resource_type = data["resourceType"]
    module = importlib.import_module(f"fhir.resources.R4B.{resource_type.lower()}")
    getattr(module, resource_type).model_validate(data)
    for entry in data.get("entry", []) if resource_type == "Bundle" else []:
        validate_fhir(entry["resource"])
    for contained in data.get("contained", []):
        validate_fhir(contained)
    return data


class FhirResponse:
    def __init__(self, response):
        self.raw = response
        self.status_code = response.status_code
        self.headers = response.headers
        self.json = json.loads(response.content) if response.content else None
        assert response["Content-Type"].startswith(FHIR_JSON), response["Content-Type"]
        validate_fhir(self.json)
        assert "Traceback" not in response.content.decode()

    @property
    def diagnostics(self):
        return " ".join(issue.get("diagnostics", "") for issue in self.json.get("issue", []))

    def ids(self, resource_type=None):
        return [
            e["resource"]["id"]
            for e in self.json.get("entry", [])
            if resource_type is None or e["resource"]["resourceType"] == resource_type
        ]


class FhirClient:
    """Django's test client speaking FHIR: a bearer token, fhir+json in and out, every answer
    validated (FhirResponse)."""

    def __init__(self, client, token=None, language="en"):
        self.client = client
        self.token = token
        self.language = language

    def _headers(self, extra):
        headers = {"HTTP_ACCEPT": FHIR_JSON, "HTTP_ACCEPT_LANGUAGE": self.language}
        if self.token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {self.token}"
        headers.update(extra)
        return headers

    def get(self, path, params=None, **extra):
        return FhirResponse(self.client.get(f"/fhir/{path}", params or {}, **self._headers(extra)))

    def _send(self, method, path, body, content_type=FHIR_JSON, **extra):
        data = body if isinstance(body, (str, bytes)) else json.dumps(body)
        call = getattr(self.client, method)
        return FhirResponse(call(f"/fhir/{path}", data, content_type=content_type, **self._headers(extra)))

    def post(self, path, body, **extra):
        return self._send("post", path, body, **extra)

    def put(self, path, body, **extra):
        return self._send("put", path, body, **extra)

    def search(self, resource_type, params, **extra):
        """POST <Type>/_search with form-encoded parameters (as national ids must be sent)."""
        from urllib.parse import urlencode

        body = urlencode(params, doseq=True)
        return self._send(
            "post", f"{resource_type}/_search", body, content_type="application/x-www-form-urlencoded", **extra
        )

    def patch(self, path, body, content_type="application/json-patch+json", **extra):
        return self._send("patch", path, body, content_type=content_type, **extra)


def register_system(organisation, role, name="Test system"):
    admin = User.objects.create_user(username=f"admin-{organisation.pk}-{User.objects.count()}")
    actor = Actor(user=admin, membership=Membership(user=admin, organisation=organisation, role=Role.ORG_ADMIN))
    client, secret = clients.register_client(actor, name, role)
    client.secret = secret
    return client


def token_for(client):
    """A token issued as the token endpoint does: only its checksum is stored."""
    raw = secrets.token_urlsafe(24)
    token = AccessToken(
        application=client.application, expires=timezone.now() + datetime.timedelta(hours=1), scope="system/*.*"
    )
    set_token_value(token, raw)
    token.save()
    return raw


@pytest.fixture
def systems(orgs):
    return {
        "hospital": register_system(orgs["haukeland"], Role.HOSPITAL_CLINICIAN, "DIPS Arena"),
        "municipality": register_system(orgs["askoy"], Role.MUNICIPAL_COORDINATOR, "Gerica"),
        "outsider": register_system(orgs["voss"], Role.MUNICIPAL_COORDINATOR, "Profil"),
        "gp": register_system(orgs["gp_office"], Role.GP, "Infodoc"),
        "auditor": register_system(orgs["askoy"], Role.ORG_ADMIN, "Audit export"),
    }


@pytest.fixture
def fhir_as(client, systems):
    def make(name, language="en"):
        return FhirClient(client, token_for(systems[name]), language)

    return make


@pytest.fixture
def anonymous(client):
    return FhirClient(client)


@pytest.fixture
def enrolment(actor_of, personas, patient):
    """Enrolled at Haukeland ten days ago, offer accepted: the first point (the hospital's) is due."""
    return factories.enrol(actor_of(personas["nurse"]), patient, days_ago=10)
