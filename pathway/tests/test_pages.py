"""The pathway pages: enrol, the enrolment with its timeline, the worklists and their queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEntry
from conftest import synthetic_id
from pathway import services
from pathway.models import Enrolment
from patients.models import Patient
from testsupport.confirming import post_confirmed
from testsupport.enrolling import enable_definition


def enrol_via_page(client, patient, **overrides):
    data = {
        "diagnosis_date": (timezone.localdate() - datetime.timedelta(days=100)).isoformat(),
        "icd10_code": "c509",
        "treatment_intent": "curative",
        "diagnosis_specific_pathway": "Brystkreft",
        "offer": "accepted",
    }
    data.update(overrides)
    return client.post(f"/pathway/patients/{patient.public_id}/enrol/", data)


def test_a_nurse_enrols_through_the_page_and_sees_the_timeline(client_for, personas, patient):
    client = client_for(personas["nurse"])
    response = enrol_via_page(client, patient)
    enrolment = Enrolment.objects.get()
    assert response["Location"] == f"/pathway/enrolments/{enrolment.public_id}/"
    page = client.get(response["Location"]).content.decode()
    assert "C50.9 Malignant neoplasm: Breast, unspecified" in page
    assert "Enrolled in the pathway" in page and "Offer accepted" in page
    assert AuditEntry.objects.filter(object_type="enrolment", action="create", username="nurse").exists()


def test_the_enrol_form_explains_a_future_date_and_keeps_the_input(client_for, personas, patient):
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    page = enrol_via_page(client_for(personas["nurse"]), patient, diagnosis_date=future).content.decode()
    assert "cannot be in the future" in page
    assert 'value="Brystkreft"' in page
    assert not Enrolment.objects.exists()


def test_a_second_enrolment_links_to_the_existing_one(client_for, personas, patient):
    client = client_for(personas["nurse"])
    enrol_via_page(client, patient)
    page = enrol_via_page(client, patient).content.decode()
    assert "already in the pathway" in page
    assert f"/pathway/enrolments/{Enrolment.objects.get().public_id}/" in page


def test_an_outsider_cannot_open_the_enrolment(client_for, personas, patient):
    enrol_via_page(client_for(personas["nurse"]), patient)
    enrolment = Enrolment.objects.get()
    client = client_for(personas["outsider"])
    assert client.get(f"/pathway/enrolments/{enrolment.public_id}/").status_code == 403
    point = enrolment.points.get(key="sp2")
    assert (
        client.post(
            f"/pathway/points/{point.public_id}/close/",
            {"sp2-outcome": "completed", "sp2-on_date": timezone.localdate().isoformat()},
        ).status_code
        == 403
    )
    point.refresh_from_db()
    assert point.outcome == ""


def test_the_municipality_closes_its_point_from_the_page(client_for, personas, patient):
    enrol_via_page(client_for(personas["nurse"]), patient)
    point = Enrolment.objects.get().points.get(key="sp2")
    client = client_for(personas["coordinator"])
    response = post_confirmed(
        client,
        f"/pathway/points/{point.public_id}/close/",
        {"sp2-outcome": "completed", "sp2-on_date": timezone.localdate().isoformat(), "sp2-place": "Heime"},
        reason="Held early at the patient's request",
    )
    point.refresh_from_db()
    assert point.outcome == "completed" and point.place == "Heime"
    assert "Collaboration point completed" in response.content.decode()


def test_a_rule_error_on_a_point_is_shown_as_a_message(client_for, personas, patient):
    enrol_via_page(client_for(personas["nurse"]), patient)
    point = Enrolment.objects.get().points.get(key="sp2")
    response = client_for(personas["coordinator"]).post(
        f"/pathway/points/{point.public_id}/close/",
        {"sp2-outcome": "cancelled", "sp2-on_date": timezone.localdate().isoformat()},
        follow=True,
    )
    assert "Give a reason for cancelling." in response.content.decode()


def enrol_today(nurse, patient, **kwargs):
    """Enrol with a diagnosis today (prostate cancer, curative); kwargs override."""
    values = {"diagnosis_date": timezone.localdate(), "icd10_code": "C61", "treatment_intent": "curative"}
    return services.enrol(nurse, patient, **{**values, **kwargs})


def make_enrolled_patients(orgs, nurse_actor, count, start=200, offer="accepted"):
    today = timezone.localdate()
    for i in range(count):
        birth = datetime.date(1955, 1, 1) + datetime.timedelta(days=i)
        patient = Patient.objects.create(
            national_id=synthetic_id(birth, start=start),
            national_id_kind="fnr",
            date_of_birth=birth,
            given_name="Work",
            family_name=f"List{i:03d}",
            municipality=orgs["askoy"],
            registered_by=orgs["haukeland"],
        )
        services.enrol(
            nurse_actor,
            patient,
            diagnosis_date=today - datetime.timedelta(days=95 + i % 20),
            icd10_code="C18.0",
            treatment_intent="palliative",
            offer=offer,
        )


@pytest.mark.parametrize("persona", ["coordinator", "nurse", "gp"])
def test_worklist_queries_do_not_grow_with_the_rows(client_for, actor_of, personas, orgs, persona):
    client = client_for(personas[persona])
    make_enrolled_patients(orgs, actor_of(personas["nurse"]), 3)
    Patient.objects.update(gp_office=orgs["gp_office"])
    with CaptureQueriesContext(connection) as few:
        assert client.get("/pathway/worklist/").status_code == 200
    make_enrolled_patients(orgs, actor_of(personas["nurse"]), 20, start=300)
    Patient.objects.update(gp_office=orgs["gp_office"])
    with CaptureQueriesContext(connection) as many:
        page = client.get("/pathway/worklist/").content.decode()
    assert "List010" in page
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_municipal_worklist_shows_due_points_and_filters(client_for, actor_of, personas, orgs):
    make_enrolled_patients(orgs, actor_of(personas["nurse"]), 5)
    client = client_for(personas["coordinator"])
    page = client.get("/pathway/worklist/").content.decode()
    assert "List000" in page and "Collaboration points (5)" in page
    assert "Collaboration points (0)" in client.get("/pathway/worklist/?status=overdue").content.decode()
    assert "List000" not in client_for(personas["outsider"]).get("/pathway/worklist/").content.decode()


def test_the_hospital_worklist_lists_patients_not_yet_offered(client_for, actor_of, personas, orgs, patient):
    services.enrol(
        actor_of(personas["nurse"]),
        patient,
        diagnosis_date=timezone.localdate(),
        icd10_code="C61",
        treatment_intent="not_known",
    )
    page = client_for(personas["nurse"]).get("/pathway/worklist/").content.decode()
    assert "Not yet offered the pathway (1)" in page
    assert "Pasient, Test" in page


def test_the_not_yet_offered_list_counts_all_and_pages_on_its_own(client_for, actor_of, personas, orgs):
    make_enrolled_patients(orgs, actor_of(personas["nurse"]), 23, offer="not_asked")
    client = client_for(personas["nurse"])
    first = client.get("/pathway/worklist/?sort=name").content.decode()
    assert "Not yet offered the pathway (23)" in first
    assert "offer_page=2" in first and "List000" in first
    second = client.get("/pathway/worklist/?sort=name&offer_page=2").content.decode()
    assert "Page 2 of 3" in second
    assert "sort=name&amp;offer_page=1" in second  # the other parameters are kept


def test_a_coordinator_assigns_a_point_to_a_colleague(client_for, actor_of, personas, orgs, patient):
    from accounts.models import Role
    from conftest import make_user

    colleague = make_user("colleague", orgs["askoy"], Role.MUNICIPAL_COORDINATOR)
    enrolment = enrol_today(actor_of(personas["nurse"]), patient, offer="accepted")
    point = enrolment.points.get(key="sp2")
    client = client_for(personas["coordinator"])
    client.post(f"/pathway/points/{point.public_id}/assign/", {"sp2-assigned_to": colleague.pk})
    point.refresh_from_db()
    assert point.assigned_to == colleague
    stranger = personas["outsider"]
    page = client.post(
        f"/pathway/points/{point.public_id}/assign/", {"sp2-assigned_to": stranger.pk}, follow=True
    ).content.decode()
    assert "Select a valid choice" in page
    point.refresh_from_db()
    assert point.assigned_to == colleague


def test_the_patient_withdraws_through_the_page(client_for, actor_of, personas, patient):
    enrolment = enrol_today(actor_of(personas["nurse"]), patient, offer="accepted")
    post_confirmed(
        client_for(personas["coordinator"]),
        f"/pathway/enrolments/{enrolment.public_id}/withdraw/",
        {"reason": "Wants no more conversations"},
    )
    enrolment.refresh_from_db()
    assert enrolment.end_reason == "withdrawn"


def test_the_hearing_draft_treatment_start_is_recorded_through_the_page(client_for, actor_of, personas, patient):
    enable_definition(actor_of(personas["nurse"]).organisation, "hearing-draft-2021")
    enrolment = enrol_today(actor_of(personas["nurse"]), patient, definition_key="hearing-draft-2021")
    client = client_for(personas["nurse"])
    assert 'name="event"' in client.get(f"/pathway/enrolments/{enrolment.public_id}/").content.decode()
    client.post(
        f"/pathway/enrolments/{enrolment.public_id}/event/",
        {"event": "treatment_started", "on_date": timezone.localdate().isoformat()},
    )
    assert enrolment.points.get(key="hp2").window_opens == timezone.localdate()


def test_the_worklist_filters_by_week_and_sorts_by_name(client_for, actor_of, personas, orgs):
    make_enrolled_patients(orgs, actor_of(personas["nurse"]), 4)
    client = client_for(personas["coordinator"])
    point = Enrolment.objects.order_by("id").first().points.get(key="sp2")
    year, week, _ = point.window_closes.isocalendar()
    page = client.get("/pathway/worklist/", {"week": f"{year}-W{week:02d}"}).content.decode()
    assert "List000" in page
    far = point.window_closes + datetime.timedelta(weeks=30)
    year, week, _ = far.isocalendar()
    page = client.get("/pathway/worklist/", {"week": f"{year}-W{week:02d}"}).content.decode()
    # The points list (the "Name a contact person" prompt after it follows no filter).
    assert "List000" not in page.split('id="contact-person-heading"')[0]
    page = client.get("/pathway/worklist/", {"sort": "name"}).content.decode()
    assert page.index("List000") < page.index("List003")
    assert "Choose a week" in client.get("/pathway/worklist/", {"week": "nonsense"}).content.decode()


def test_a_health_trust_user_can_open_every_patient_on_its_worklist(client_for, actor_of, personas, orgs):
    """The trust's worklist covers its hospitals, so the access rule must too (patients on it
    were enrolled, not registered, by Haukeland)."""
    from accounts.models import Role
    from conftest import make_user

    make_enrolled_patients(orgs, actor_of(personas["nurse"]), 1)
    Patient.objects.update(registered_by=orgs["askoy"])  # no registration relation to lean on
    trust_user = make_user("trust-coordinator", orgs["helse_bergen"], Role.PATHWAY_COORDINATOR)
    client = client_for(trust_user)
    page = client.get("/pathway/worklist/").content.decode()
    enrolment = Enrolment.objects.get()
    assert f"/pathway/enrolments/{enrolment.public_id}/" in page
    assert client.get(f"/pathway/enrolments/{enrolment.public_id}/").status_code == 200


def test_a_code_outside_the_cancer_range_is_explained_on_the_field(client_for, personas, patient):
    page = enrol_via_page(client_for(personas["nurse"]), patient, icd10_code="J45").content.decode()
    assert 'id="id_icd10_code_error"' in page
    assert "C00–C97 or D00–D09" in page
    assert 'value="J45"' in page
    assert not Enrolment.objects.exists()


def test_a_form_that_comes_back_with_errors_is_logged_as_a_view(client_for, personas, patient):
    enrol_via_page(client_for(personas["nurse"]), patient, icd10_code="J45")
    entries = AuditEntry.objects.filter(patient_public_id=patient.public_id, username="nurse", object_type="enrolment")
    assert list(entries.values_list("action", flat=True)) == ["view"]
