"""An organisation admin reads a related patient's audit trail; the lookup is logged too."""

from audit.models import AuditEntry


def test_the_admin_sees_who_looked_at_the_patient(client_for, personas, patient):
    client_for(personas["gp"]).get(f"/patients/{patient.public_id}/")
    response = client_for(personas["admin"]).post("/patients/audit-trail/", {"national_id": patient.national_id})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Test Pasient" in page
    assert ">Gp (GP)<" in page  # the name and role, not the username
    assert AuditEntry.objects.filter(
        action="view_audit_trail", username="admin", patient_public_id=patient.public_id
    ).exists()


def test_the_admin_cannot_read_the_trail_of_an_unrelated_patient(client_for, personas, patient, orgs):
    patient.municipality = orgs["voss"]
    patient.gp_office = None
    patient.save()
    response = client_for(personas["admin"]).post("/patients/audit-trail/", {"national_id": patient.national_id})
    page = response.content.decode()
    assert "No patient with this number has a care relation" in page
    assert "Test Pasient" not in page


def test_clinicians_do_not_get_the_audit_trail_page(client_for, personas):
    assert client_for(personas["coordinator"]).get("/patients/audit-trail/").status_code == 403
