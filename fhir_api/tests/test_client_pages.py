"""The organisation admin registers a system (the secret is shown once), sees it and revokes it."""

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher
from oauth2_provider.models import Application

from audit.models import AuditEntry
from fhir_api.models import ApiClient


def test_the_admin_registers_a_system_and_sees_the_secret_once(client_for, personas, orgs):
    client = client_for(personas["admin"])
    form = client.get("/fhir-clients/new/")
    assert form.status_code == 200
    assert "Municipal coordinator" in form.content.decode()
    answer = client.post("/fhir-clients/new/", {"name": "Gerica", "role": "municipal_coordinator"})
    assert answer.status_code == 200
    assert answer["Cache-Control"] == "no-store"
    system = ApiClient.objects.get(name="Gerica")
    secret = answer.context["secret"]
    assert secret in answer.content.decode()
    assert (system.organisation, system.role) == (orgs["askoy"], "municipal_coordinator")
    # Stored hashed: the secret is never on the list page and not in the database in clear.
    stored = Application.objects.get(pk=system.application_id).client_secret
    assert stored != secret and secret not in stored
    assert identify_hasher(stored) and check_password(secret, stored)
    listing = client.get("/fhir-clients/").content.decode()
    assert "Gerica" in listing and secret not in listing
    assert 'href="/ig/"' in listing  # the implementation guide, for the system's supplier
    assert AuditEntry.objects.filter(object_type="api_client", action="create").exists()


def test_a_role_that_does_not_fit_the_organisation_is_refused(client_for, personas):
    answer = client_for(personas["admin"]).post("/fhir-clients/new/", {"name": "X", "role": "hospital_clinician"})
    assert answer.status_code == 200
    assert not ApiClient.objects.exists()
    assert answer.context["form"].errors["role"]


def test_a_system_name_with_a_direction_override_is_refused(client_for, personas):
    answer = client_for(personas["admin"]).post(
        "/fhir-clients/new/", {"name": "Gerica\u2066", "role": "municipal_coordinator"}
    )
    assert answer.status_code == 200
    assert "U+2066" in answer.context["form"].errors["name"][0]
    assert not ApiClient.objects.exists()


def test_the_admin_revokes_a_system(client_for, personas, systems):
    client = client_for(personas["admin"])
    system = systems["municipality"]
    answer = client.post(f"/fhir-clients/{system.public_id}/revoke/")
    assert answer.status_code == 302
    system.refresh_from_db()
    assert system.revoked_at is not None and system.application is None


def test_an_admin_cannot_revoke_another_organisations_system(client_for, personas, systems):
    answer = client_for(personas["admin"]).post(f"/fhir-clients/{systems['hospital'].public_id}/revoke/")
    assert answer.status_code == 404


@pytest.mark.parametrize("persona", ["nurse", "coordinator", "analyst"])
def test_only_org_admins_reach_the_page(client_for, personas, persona):
    assert client_for(personas[persona]).get("/fhir-clients/").status_code == 403
