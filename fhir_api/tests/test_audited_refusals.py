"""Every refusal is audited, for every role: one DENIED entry per refused request, naming who and
the kind of page, with no personal data (audit/refusals.py)."""

import pytest
from django.urls import reverse

from accounts.models import Role, User
from audit.models import AuditEntry
from conftest import make_user
from fhir_api.tests.conftest import FhirClient, register_system, token_for

DENIED = AuditEntry.Action.DENIED


def denied_entries():
    return list(AuditEntry.objects.filter(action=DENIED).order_by("id"))


def only_denied(username):
    entries = denied_entries()
    assert len(entries) == 1, [(e.username, e.detail) for e in entries]
    entry = entries[0]
    assert entry.username == username
    return entry


def test_an_analyst_refused_a_patient_list_is_audited(client_for, personas):
    response = client_for(personas["analyst"]).get(reverse("patients:list"), {"q": "Pasient 17056112345"})
    assert response.status_code == 403
    entry = only_denied("analyst")
    assert (entry.role, entry.organisation.name, entry.object_type) == (Role.ANALYST, "Helse Bergen HF", "patients")
    assert entry.detail == "refused GET patients:list (patients/): role"
    assert "Pasient" not in entry.detail and "1705" not in entry.detail  # no query string


def test_an_organisation_admin_refused_a_patient_page_is_audited(client_for, personas, patient):
    response = client_for(personas["admin"]).get(reverse("patients:detail", args=[patient.public_id]))
    assert response.status_code == 403
    entry = only_denied("admin")
    assert entry.role == Role.ORG_ADMIN
    assert entry.detail == "refused GET patients:detail (patients/<uuid:public_id>/): role"
    assert str(patient.public_id) not in entry.detail


def test_a_clinician_refused_the_audit_log_is_audited(client_for, personas):
    assert client_for(personas["gp"]).get(reverse("audit:organisation_log")).status_code == 403
    entry = only_denied("gp")
    assert (entry.role, entry.object_type) == (Role.GP, "audit")


def test_a_clinician_without_a_care_relation_is_audited_once_with_the_patient(client_for, personas, patient):
    response = client_for(personas["outsider"]).get(reverse("patients:detail", args=[patient.public_id]))
    assert response.status_code == 403
    entry = only_denied("outsider")  # open_patient's entry; the middleware adds none
    assert entry.patient_public_id == patient.public_id


def test_the_superuser_refused_outside_the_admin_is_audited(client, db, patient):
    root = User.objects.create_superuser("root", password="x-long-enough-password")
    client.force_login(root)
    assert client.get(reverse("patients:detail", args=[patient.public_id])).status_code == 403
    entry = only_denied("root")
    assert (entry.role, entry.organisation, entry.object_type) == ("superuser", None, "patients")


def test_the_superuser_refused_in_the_admin_is_audited(client, db):
    root = User.objects.create_superuser("root", password="x-long-enough-password")
    client.force_login(root)
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    entry = only_denied("root")
    assert entry.object_type == "admin"
    assert entry.detail.startswith("refused GET admin:audit_auditentry_add")


def test_a_member_without_staff_status_in_the_admin_is_audited(client_for, personas):
    response = client_for(personas["coordinator"]).get("/admin/accounts/user/")
    assert response.status_code == 302
    entry = only_denied("coordinator")
    assert (entry.role, entry.object_type) == (Role.MUNICIPAL_COORDINATOR, "admin")


def test_a_refused_post_is_audited(client_for, personas):
    response = client_for(personas["analyst"]).post(reverse("patients:create"), {"given_name": "Kari"})
    assert response.status_code == 403
    entry = only_denied("analyst")
    assert entry.detail.startswith("refused POST patients:create")
    assert "Kari" not in entry.detail


def test_a_fhir_system_refused_by_its_role_is_audited(client, orgs):
    system = register_system(orgs["haukeland"], Role.HOSPITAL_CLINICIAN, "DIPS Arena")
    response = FhirClient(client, token_for(system)).get("AuditEvent")
    assert response.status_code == 403
    entry = only_denied(system.service_user.username)
    assert (entry.client, entry.role, entry.object_type) == ("DIPS Arena", Role.HOSPITAL_CLINICIAN, "fhir")


def test_allowed_requests_and_anonymous_requests_write_no_refusal(client, client_for, personas):
    assert client.get(reverse("patients:list")).status_code == 302  # to sign in
    assert client_for(personas["nurse"]).get(reverse("patients:list")).status_code == 200
    assert denied_entries() == []


@pytest.mark.parametrize("role", [Role.HOSPITAL_CLINICIAN, Role.PATHWAY_COORDINATOR])
def test_every_clinical_role_refused_by_role_is_audited(client_for, orgs, role):
    user = make_user(f"u-{role}", orgs["haukeland"], role)
    assert client_for(user).get(reverse("audit:organisation_log")).status_code == 403
    assert only_denied(f"u-{role}").role == role
