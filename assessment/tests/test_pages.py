"""The professional's assessment pages: who sees the patient's own answers, the record from start
to completion, follow-up actions, the journal note and the FHIR JSON, and the audit log."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse as FhirQuestionnaireResponse

from accounts.models import Role
from assessment.models import Assessment, FollowUp
from assessment.tests import factories
from audit.models import AuditEntry
from conftest import make_user
from pathway.models import PathwayEvent
from patients.models import Relative
from testsupport.confirming import post_confirmed


def page_url(point):
    return f"/assessment/points/{point.public_id}/"


def page_of(client, point):
    response = client.get(page_url(point))
    assert response.status_code == 200
    return response.content.decode()


def start(client, point):
    return client.post(page_url(point), {"step": "start"})


def posted_answers(assessment, **overrides):
    """The form as the browser sends it: the stored answers, the summary and the date, changed."""
    from assessment.forms import initial_from_answers

    response = assessment.response
    data = initial_from_answers(response.questionnaire, response.answers)
    data.update({"summary": "", "on_date": timezone.localdate().isoformat(), "place": ""})
    data.update(overrides)
    return data


@pytest.fixture
def own(sp2):
    return factories.completed_patient_response(sp2, distress=7)


def test_the_responsible_municipality_sees_the_patients_own_answers(client_for, personas, sp2, own):
    page = page_of(client_for(personas["coordinator"]), sp2)
    assert "The patient's own answers" in page
    assert 'class="hv-distress-score">7<' in page
    assert "At or above 4: follow up" in page
    assert "Work, school and education" in page and "Tiredness and low energy" in page
    assert "Wants help" in page and "Help wanted with 1 area." in page
    assert factories.WHAT_MATTERS in page and factories.TALK_ABOUT in page
    assert "Start the assessment" in page


def test_a_score_below_the_threshold_is_not_flagged(client_for, personas, sp2, settings):
    factories.completed_patient_response(sp2, distress=3)
    page = page_of(client_for(personas["coordinator"]), sp2)
    assert "Below 4" in page and "follow up" not in page
    settings.ASSESSMENT_DISTRESS_THRESHOLD = 3
    assert "At or above 3: follow up" in page_of(client_for(personas["coordinator"]), sp2)


def test_the_gp_sees_the_answers_but_cannot_record(client_for, personas, sp2, own):
    page = page_of(client_for(personas["gp"]), sp2)
    assert factories.WHAT_MATTERS in page
    assert "Start the assessment" not in page


def test_the_hospital_does_not_see_the_answers_for_a_municipal_point(client_for, personas, sp2, own):
    page = page_of(client_for(personas["nurse"]), sp2)
    assert factories.WHAT_MATTERS not in page and "hv-distress-score" not in page
    assert "only shown to the organisation responsible for this collaboration point (Askøy)" in page
    assert "Start the assessment" not in page


def test_the_hospital_sees_the_answers_for_its_own_point(client_for, personas, enrolment):
    sp1 = enrolment.points.get(key="sp1")
    factories.completed_patient_response(sp1)
    page = page_of(client_for(personas["nurse"]), sp1)
    assert factories.WHAT_MATTERS in page and "Start the assessment" in page


@pytest.mark.parametrize("persona", ["outsider", "analyst", "admin"])
def test_others_are_refused(client_for, personas, sp2, own, persona):
    client = client_for(personas[persona])
    assert client.get(page_url(sp2)).status_code == 403
    assert start(client, sp2).status_code == 403
    assert client.get(f"/assessment/responses/{own.public_id}/fhir/").status_code == 403
    assert not Assessment.objects.exists()


def test_an_outsiders_attempt_is_logged_as_refused(client_for, personas, sp2):
    client_for(personas["outsider"]).get(page_url(sp2))
    entry = AuditEntry.objects.get(username="outsider")
    assert (entry.action, entry.object_type) == ("denied", "assessment")


def test_viewing_the_page_is_logged(client_for, personas, sp2, own):
    page_of(client_for(personas["gp"]), sp2)
    entry = AuditEntry.objects.get(username="gp")
    assert (entry.action, entry.object_type, entry.detail) == ("view", "assessment", "sp2")
    assert entry.patient_public_id == sp2.enrolment.patient.public_id


def test_children_as_relatives_are_pointed_out(client_for, personas, sp2, patient):
    Relative.objects.create(patient=patient, name="Lille Pasient", relation="child", is_child=True)
    assert "duty to look after children as relatives" in page_of(client_for(personas["nurse"]), sp2)
    factories.completed_patient_response(sp2)
    assert "duty to look after children as relatives" in page_of(client_for(personas["coordinator"]), sp2)


def test_the_answers_are_compared_with_the_previous_point(client_for, personas, enrolment):
    factories.completed_patient_response(
        enrolment.points.get(key="sp1"), distress=5, areas={"topic-work": False, "problem-physical-pain": True}
    )
    sp2 = enrolment.points.get(key="sp2")
    factories.completed_patient_response(sp2, distress=8)
    page = page_of(client_for(personas["coordinator"]), sp2)
    assert "Compared with the previous collaboration point" in page
    assert "up by 3" in page
    assert "<dt>New areas</dt><dd>Tiredness and low energy</dd>" in page
    assert "<dt>Still marked</dt><dd>Work, school and education</dd>" in page
    assert "<dt>No longer marked</dt><dd>Pain</dd>" in page


def test_the_municipality_starts_from_the_patients_answers(client_for, personas, sp2, own):
    client = client_for(personas["coordinator"])
    assert start(client, sp2)["Location"] == page_url(sp2)
    assessment = Assessment.objects.get(point=sp2)
    assert assessment.response.answers == own.answers
    page = page_of(client, sp2)
    assert 'name="q-topic-work" value="yes" class="ds-input" id="id_q-topic-work_0" checked' in page
    assert 'name="q-distress-score" value="7" class="ds-input" id="id_q-distress-score_7" checked' in page
    assert '<legend class="ds-heading" data-size="xs">Work, school and education</legend>' in page
    assert "Save draft" in page and "Complete the assessment" in page
    assert AuditEntry.objects.filter(action="create", object_type="assessment", username="coordinator").exists()


def test_a_draft_is_saved_and_errors_are_shown_next_to_the_field(client_for, personas, sp2, own):
    client = client_for(personas["coordinator"])
    start(client, sp2)
    assessment = Assessment.objects.get()
    data = posted_answers(assessment, **{"q-distress-score": "4", "q-topic-family": "yes", "summary": "Talked."})
    response = client.post(page_url(sp2), {**data, "step": "save"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assessment.response.refresh_from_db()
    assert assessment.response.answers["distress-score"] == 4 and assessment.response.answers["topic-family"]
    assert assessment.summary == "Talked."

    bad = client.post(page_url(sp2), {**data, "q-distress-score": "11", "step": "save"}).content.decode()
    assert "Please correct the following" in bad
    assert 'href="#id_q-distress-score"' in bad and '<fieldset class="ds-fieldset" id="id_q-distress-score"' in bad
    assert 'id="id_q-distress-score_error"' in bad and "Select a valid choice" in bad
    assessment.response.refresh_from_db()
    assert assessment.response.answers["distress-score"] == 4
    assert AuditEntry.objects.filter(action="update", object_type="assessment").count() == 1


def test_completing_needs_a_summary(client_for, personas, sp2, own):
    client = client_for(personas["coordinator"])
    start(client, sp2)
    page = client.post(page_url(sp2), {**posted_answers(Assessment.objects.get()), "step": "complete"})
    assert "Write a short summary of the conversation before completing." in page.content.decode()
    sp2.refresh_from_db()
    assert sp2.outcome == "" and not Assessment.objects.get().is_completed


def test_completing_a_date_in_the_future_is_refused_and_the_record_stays_a_draft(client_for, personas, sp2, own):
    client = client_for(personas["coordinator"])
    start(client, sp2)
    future = (timezone.localdate() + timezone.timedelta(days=2)).isoformat()
    data = posted_answers(Assessment.objects.get(), summary="Talked.", on_date=future)
    page = client.post(page_url(sp2), {**data, "step": "complete"}).content.decode()
    assert "The date cannot be in the future." in page and "Save draft" in page
    assert not Assessment.objects.get().is_completed


def test_completing_through_the_page_completes_the_point(client_for, personas, sp2, own):
    client = client_for(personas["coordinator"])
    start(client, sp2)
    data = posted_answers(Assessment.objects.get(), summary="Wants to go back to work.", place="Askøy helsehus")
    first = client.post(page_url(sp2), {**data, "step": "complete"}).content.decode()
    assert "What will happen" in first and "Wants to go back to work." in first  # the handover's content
    sp2.refresh_from_db()
    assert sp2.outcome == "" and not Assessment.objects.get().is_completed
    response = post_confirmed(client, page_url(sp2), {**data, "step": "complete"}, reason="Held early")
    page = response.content.decode()
    assert "The assessment is completed, and so is the collaboration point." in page
    sp2.refresh_from_db()
    assert (sp2.outcome, sp2.place, sp2.outcome_on) == ("completed", "Askøy helsehus", timezone.localdate())
    assert PathwayEvent.objects.filter(kind="point_completed", point=sp2).exists()
    assessment = Assessment.objects.get()
    assert assessment.is_completed and assessment.response.status == "completed"
    assert "Save draft" not in page and "Add a follow-up action" not in page
    assert f"/assessment/points/{sp2.public_id}/note/" in page
    assert "Wants to go back to work." in page


def test_a_completed_record_is_handed_over_but_not_the_patients_own_answers(client_for, actor_of, personas, sp2, own):
    from assessment import services

    coordinator = actor_of(personas["coordinator"])
    assessment = services.start_assessment(coordinator, sp2)
    services.save_assessment(coordinator, assessment, {"topic-work": True}, "Agreed on physiotherapy.")
    services.complete_assessment(coordinator, assessment)
    page = page_of(client_for(personas["nurse"]), sp2)
    assert "Agreed on physiotherapy." in page and "Journal note" in page
    assert "Work, school and education" in page  # the professional's record
    assert factories.WHAT_MATTERS not in page  # the patient's own, from home


def test_a_draft_is_not_shown_outside_the_responsible_organisation(client_for, actor_of, personas, sp2):
    from assessment import services

    assessment = services.start_assessment(actor_of(personas["coordinator"]), sp2)
    services.save_assessment(actor_of(personas["coordinator"]), assessment, {}, "Draft thoughts")
    page = page_of(client_for(personas["gp"]), sp2)
    assert "Draft thoughts" not in page and "Askøy has started the assessment" in page
    assert client_for(personas["gp"]).get(f"{page_url(sp2)}note/").status_code == 404
    assert (
        client_for(personas["gp"]).get(f"/assessment/responses/{assessment.response.public_id}/fhir/").status_code
        == 404
    )


def test_follow_up_actions_are_added_and_their_status_changed(client_for, personas, sp2, own, orgs):
    client = client_for(personas["coordinator"])
    start(client, sp2)
    url = f"{page_url(sp2)}follow-ups/"
    page = client.post(url, {"follow-up-action": "Physiotherapy twice a week", "follow-up-status": "planned"})
    assert "Say who is responsible" in page.content.decode() or "Write the need" in page.content.decode()
    assert not FollowUp.objects.exists()

    response = client.post(
        url,
        {
            "follow-up-area": "topic-work",
            "follow-up-action": "Meeting with NAV and the employer",
            "follow-up-responsible_service": "NAV",
            "follow-up-status": "planned",
        },
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get()
    assert (follow_up.need, follow_up.area, follow_up.responsible) == (
        "Work, school and education",
        "topic-work",
        "NAV",
    )

    no_one = client.post(
        url, {"follow-up-need": "Pain", "follow-up-action": "Pain clinic", "follow-up-status": "planned"}
    )
    assert "Say who is responsible: choose a service or write its name." in no_one.content.decode()

    client.post(
        url,
        {
            "follow-up-need": "Fatigue",
            "follow-up-action": "Course at the healthy life centre",
            "follow-up-responsible_organisation": orgs["askoy"].pk,
            "follow-up-responsible_service": "Frisklivssentralen",
            "follow-up-status": "started",
        },
    )
    page = page_of(client, sp2)
    assert "Askøy – Frisklivssentralen" in page
    assert '<datalist id="responsible-services">' in page and '<option value="The Norwegian Cancer Society">' in page

    client.post(f"/assessment/follow-ups/{follow_up.public_id}/status/", {f"status-{follow_up.pk}-status": "done"})
    follow_up.refresh_from_db()
    assert follow_up.status == "done"
    assert AuditEntry.objects.filter(object_type="follow_up", action="create").count() == 2
    assert AuditEntry.objects.filter(object_type="follow_up", action="update", detail="done").exists()


def test_the_responsible_list_is_short_and_refuses_other_organisations(client_for, personas, sp2, own, orgs):
    client = client_for(personas["coordinator"])
    start(client, sp2)
    page = page_of(client, sp2)
    assert f'<option value="{orgs["gp_office"].pk}">Testvik legesenter</option>' in page
    assert f'<option value="{orgs["helse_bergen"].pk}">' in page
    assert f'<option value="{orgs["voss"].pk}">' not in page
    response = client.post(
        f"{page_url(sp2)}follow-ups/",
        {
            "follow-up-need": "Pain",
            "follow-up-action": "Call",
            "follow-up-responsible_organisation": orgs["voss"].pk,
            "follow-up-status": "planned",
        },
    )
    assert "Select a valid choice" in response.content.decode() and not FollowUp.objects.exists()


def test_a_colleague_cannot_act_on_another_organisations_follow_up(client_for, actor_of, personas, sp2, own):
    from assessment import services

    coordinator = actor_of(personas["coordinator"])
    assessment = services.start_assessment(coordinator, sp2)
    follow_up = services.add_follow_up(coordinator, assessment, need="Pain", action="Call", responsible_service="GP")
    response = client_for(personas["gp"]).post(
        f"/assessment/follow-ups/{follow_up.public_id}/status/", {f"status-{follow_up.pk}-status": "done"}, follow=True
    )
    assert "only they can change it" in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.status == "planned"
    assert (
        client_for(personas["outsider"]).post(f"/assessment/follow-ups/{follow_up.public_id}/status/").status_code
        == 403
    )


def completed_record(actor_of, personas, point):
    from assessment import services

    coordinator = actor_of(personas["coordinator"])
    assessment = services.start_assessment(coordinator, point)
    services.save_assessment(coordinator, assessment, assessment.response.answers, "Back to work in spring.")
    services.add_follow_up(coordinator, assessment, need="Work", action="Meeting with NAV", responsible_service="NAV")
    services.complete_assessment(coordinator, assessment, place="Askøy helsehus")
    return assessment


def test_the_journal_note_sums_up_the_assessment(client_for, actor_of, personas, sp2, own, patient):
    assessment = completed_record(actor_of, personas, sp2)
    page = client_for(personas["coordinator"]).get(f"{page_url(sp2)}note/").content.decode()
    sp3 = sp2.enrolment.points.get(key="sp3")
    for expected in (
        "Test Pasient",
        patient.national_id_display,
        patient.date_of_birth.strftime("%d.%m.%Y"),
        "Askøy helsehus",
        "Coordinator, Askøy",
        timezone.localdate().strftime("%d.%m.%Y"),
        "Back to work in spring.",
        "Meeting with NAV",
        factories.WHAT_MATTERS,
        f"between {sp3.window_opens:%d.%m.%Y} and {sp3.window_closes:%d.%m.%Y}",
        "data-print",
        "heimveg/print.js",
        f"/assessment/responses/{assessment.response.public_id}/fhir/",
    ):
        assert expected in page, expected
    assert "<script>" not in page
    entry = AuditEntry.objects.filter(username="coordinator", action="view").latest("id")
    assert (entry.object_type, entry.detail) == ("assessment", "sp2 journal note")


def test_the_hospitals_journal_note_leaves_out_the_patients_own_answers(client_for, actor_of, personas, sp2, own):
    completed_record(actor_of, personas, sp2)
    page = client_for(personas["nurse"]).get(f"{page_url(sp2)}note/").content.decode()
    assert "Back to work in spring." in page and "Meeting with NAV" in page
    assert "Only shown to the organisation responsible for the collaboration point" in page
    assert "Sent from home" not in page
    assert f"/assessment/responses/{own.public_id}/fhir/" not in page


def test_the_record_downloads_as_a_valid_fhir_questionnaire_response(client_for, actor_of, personas, sp2, own, patient):
    assessment = completed_record(actor_of, personas, sp2)
    response = client_for(personas["nurse"]).get(f"/assessment/responses/{assessment.response.public_id}/fhir/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    resource = json.loads(response.content)
    FhirQuestionnaireResponse.model_validate(resource)
    assert resource["id"] == str(assessment.response.public_id)
    assert resource["questionnaire"] == "https://heimveg.no/fhir/Questionnaire/heimveg-needs-adult|1.0.0"
    assert resource["status"] == "completed"
    assert resource["subject"]["reference"] == f"Patient/{patient.public_id}"
    assert resource["subject"]["identifier"] == {
        "system": "urn:oid:2.16.578.1.12.4.1.4.1",
        "value": patient.national_id,
    }
    assert resource["author"] == {"type": "Practitioner", "display": "Coordinator"}
    entry = AuditEntry.objects.filter(username="nurse").latest("id")
    assert (entry.action, entry.object_type, entry.detail) == ("view", "questionnaire_response", "sp2 fhir")


def test_the_patients_own_answers_as_fhir_only_for_those_who_may_see_them(client_for, personas, sp2, own):
    url = f"/assessment/responses/{own.public_id}/fhir/"
    assert client_for(personas["nurse"]).get(url).status_code == 403
    assert AuditEntry.objects.filter(username="nurse", action="denied", object_type="questionnaire_response").exists()
    resource = json.loads(client_for(personas["gp"]).get(url).content)
    assert resource["author"]["reference"] == f"Patient/{sp2.enrolment.patient.public_id}"
    pages = {group["linkId"]: group for group in resource["item"]}
    assert pages["page-distress"]["item"] == [
        {"linkId": "distress-score", "text": pages["page-distress"]["item"][0]["text"], "answer": [{"valueInteger": 7}]}
    ]


def test_a_health_trust_colleague_records_the_hospital_point(client_for, orgs, enrolment):
    """A user of the health trust covers its hospitals' points."""
    trust_nurse = make_user("trustnurse", orgs["helse_bergen"], Role.HOSPITAL_CLINICIAN)
    sp1 = enrolment.points.get(key="sp1")
    client = client_for(trust_nurse)
    assert "Start the assessment" in page_of(client, sp1)
    start(client, sp1)
    assert Assessment.objects.filter(point=sp1).exists()


def test_a_completed_records_page_reads_the_point_and_its_pathway_once(client_for, actor_of, personas, sp2, own):
    """Scoring the record (the professional's response) uses the opened point, its pathway and its
    patient, rather than fetching them again (heimveg/tests/test_query_counts.py compares whole
    pages; this is the part they cannot see)."""
    completed_record(actor_of, personas, sp2)
    client = client_for(personas["coordinator"])
    with CaptureQueriesContext(connection) as captured:
        page = page_of(client, sp2)
    assert "Back to work in spring." in page  # the record is shown, scored
    tables = [re.match(r'SELECT .*? FROM "(\w+)"', q["sql"]) for q in captured.captured_queries]
    tables = [match.group(1) for match in tables if match]
    assert tables.count("pathway_collaborationpoint") == 1, tables
    assert tables.count("pathway_enrolment") == 0, tables
