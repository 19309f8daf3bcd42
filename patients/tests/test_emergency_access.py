"""Break the glass: access without a care relation, with a reason, flagged and logged."""

from audit.models import AuditEntry


def test_an_outsider_opens_a_patient_with_a_reason_and_it_is_flagged(client_for, personas, patient):
    client = client_for(personas["outsider"])
    response = client.post(
        "/patients/emergency-access/",
        {"national_id": patient.national_id, "reason": "The patient is admitted acutely to our short-term unit"},
    )
    assert response.status_code == 302
    page = client.get(response["Location"], follow=True).content.decode()
    assert "Test Pasient" in page
    assert "Emergency access." in page
    entries = AuditEntry.objects.filter(patient_public_id=patient.public_id, username="outsider")
    assert set(entries.values_list("action", flat=True)) == {"emergency_access", "view"}
    assert all(e.emergency and "acutely" in e.reason for e in entries)


def test_a_reason_is_required(client_for, personas, patient):
    response = client_for(personas["outsider"]).post(
        "/patients/emergency-access/", {"national_id": patient.national_id, "reason": "need"}
    )
    assert "Write a little more" in response.content.decode()
    assert not patient.emergency_accesses.exists()


def test_an_unknown_number_says_so(client_for, personas):
    from conftest import synthetic_id

    response = client_for(personas["outsider"]).post(
        "/patients/emergency-access/",
        {"national_id": synthetic_id(), "reason": "The patient is admitted acutely today"},
    )
    assert (
        "No patient with this number is registered"
        in client_for(personas["outsider"]).get(response["Location"]).content.decode()
    )


def test_with_a_care_relation_no_emergency_access_is_opened(client_for, personas, patient):
    response = client_for(personas["coordinator"]).post(
        "/patients/emergency-access/",
        {"national_id": patient.national_id, "reason": "The patient is admitted acutely today"},
    )
    assert response["Location"] == f"/patients/{patient.public_id}/"
    assert not patient.emergency_accesses.exists()


def test_the_admin_sees_emergency_accesses_in_the_organisation_log(client_for, personas, patient, orgs):
    from accounts.models import Membership, Role

    client_for(personas["outsider"]).post(
        "/patients/emergency-access/",
        {"national_id": patient.national_id, "reason": "The patient is admitted acutely to Voss"},
    )
    voss_admin = personas["analyst"]
    Membership.objects.filter(user=voss_admin).update(organisation=orgs["voss"], role=Role.ORG_ADMIN)
    page = client_for(voss_admin).get("/audit/?emergency=1").content.decode()
    assert "outsider" in page
    assert "admitted acutely to Voss" in page


def test_changes_under_emergency_access_carry_the_flag_and_reason(client_for, personas, patient):
    client = client_for(personas["outsider"])
    client.post(
        "/patients/emergency-access/",
        {"national_id": patient.national_id, "reason": "Acute admission, next of kin must be reached"},
    )
    response = client.post(
        f"/patients/{patient.public_id}/relatives/new/",
        {"name": "Ola Pasient", "relation": "spouse", "phone": "912 34 567", "is_next_of_kin": "on"},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="create", object_type="relative", username="outsider")
    assert entry.emergency
    assert entry.reason == "Acute admission, next of kin must be reached"
