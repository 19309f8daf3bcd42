"""The enrolment rules and the timeline events, through the service functions."""

import datetime

import pytest

from pathway import services
from pathway.models import BereavementFollowUp, CollaborationPoint, Enrolment, Offer, PathwayEvent
from pathway.services import PathwayRuleError
from patients.models import Patient
from testsupport.confirming import post_confirmed
from testsupport.enrolling import enable_definition

TODAY = datetime.date(2026, 11, 23)
Event = PathwayEvent.Kind
Outcome = CollaborationPoint.Outcome


def enrol(actor, patient, **kwargs):
    values = {
        "diagnosis_date": datetime.date(2026, 1, 31),
        "icd10_code": "C50.9",
        "treatment_intent": "curative",
        "today": TODAY,
    }
    values.update(kwargs)
    return services.enrol(actor, patient, **values)


def kinds(enrolment):
    return list(enrolment.events.values_list("kind", flat=True))


def test_enrolment_schedules_the_three_points_with_calendar_windows(actor_of, personas, patient):
    enrolment = enrol(actor_of(personas["nurse"]), patient)
    points = {p.key: p for p in enrolment.points.all()}
    assert list(points) == ["sp1", "sp2", "sp3"]
    assert (points["sp1"].window_opens, points["sp1"].window_closes) == (
        datetime.date(2026, 1, 31),
        datetime.date(2026, 2, 28),
    )
    assert points["sp2"].window_opens == datetime.date(2026, 4, 30)  # 31 Jan + 3 months: last day of April
    assert points["sp2"].window_closes == datetime.date(2026, 5, 31)
    assert (points["sp3"].window_opens, points["sp3"].window_closes) == (
        datetime.date(2027, 1, 31),
        datetime.date(2027, 7, 31),
    )
    assert points["sp1"].responsible_organisation.name == "Haukeland universitetssjukehus"
    assert points["sp2"].responsible_organisation == patient.municipality
    assert enrolment.icd10_name == "Malignant neoplasm: Breast, unspecified"
    assert enrolment.definition.key == "national-2022"
    assert kinds(enrolment)[0] == Event.ENROLLED


def test_the_public_windows_are_those_enrolling_gives_a_record_not_yet_saved(actor_of, personas, patient, orgs):
    """`services.windows` is the rule the synthetic data writes its points with in bulk."""
    orgs["haukeland"].first_point_weeks = 6
    orgs["haukeland"].save()
    diagnosis = datetime.date(2026, 3, 31)
    enrolment = enrol(actor_of(personas["nurse"]), patient, diagnosis_date=diagnosis)
    unsaved = Enrolment(
        definition=services.definition_record(), diagnosis_date=diagnosis, enrolling_organisation=orgs["haukeland"]
    )
    stored = {p.key: (p.window_opens, p.window_closes) for p in enrolment.points.all()}
    assert services.windows(unsaved) == stored
    assert stored["sp1"] == (diagnosis, datetime.date(2026, 5, 12))  # the hospital's six weeks
    assert stored["sp2"] == (datetime.date(2026, 6, 30), datetime.date(2026, 7, 31))


def test_the_hospitals_own_target_sets_the_first_window(actor_of, personas, patient, orgs):
    orgs["haukeland"].first_point_weeks = 6
    orgs["haukeland"].save()
    enrolment = enrol(actor_of(personas["nurse"]), patient, diagnosis_date=datetime.date(2026, 3, 2))
    assert enrolment.points.get(key="sp1").window_closes == datetime.date(2026, 4, 13)


def test_a_diagnosis_in_the_future_is_refused(actor_of, personas, patient):
    with pytest.raises(PathwayRuleError, match="cannot be in the future") as error:
        enrol(actor_of(personas["nurse"]), patient, diagnosis_date=TODAY + datetime.timedelta(days=1))
    assert error.value.field == "diagnosis_date"
    assert not Enrolment.objects.exists()


def test_the_pathway_is_not_retroactive(actor_of, personas, patient, orgs):
    orgs["haukeland"].pathway_start_date = datetime.date(2026, 3, 1)
    orgs["haukeland"].save()
    with pytest.raises(PathwayRuleError, match="not retroactive"):
        enrol(actor_of(personas["nurse"]), patient, diagnosis_date=datetime.date(2026, 2, 28))
    assert enrol(actor_of(personas["nurse"]), patient, diagnosis_date=datetime.date(2026, 3, 1))


@pytest.mark.parametrize("code", ["D10", "C98", "J45", "X", "C50.99"])
def test_only_cancer_codes_are_accepted(actor_of, personas, patient, code):
    with pytest.raises(PathwayRuleError, match="C00–C97 or D00–D09"):
        enrol(actor_of(personas["nurse"]), patient, icd10_code=code)


def test_a_second_enrolment_is_refused_and_points_to_the_first(actor_of, personas, patient):
    first = enrol(actor_of(personas["nurse"]), patient)
    with pytest.raises(PathwayRuleError, match="already in the pathway") as error:
        enrol(actor_of(personas["nurse"]), patient)
    assert error.value.existing == first


def test_a_relapse_starts_the_pathway_again_and_supersedes_the_open_one(actor_of, personas, patient):
    first = enrol(actor_of(personas["nurse"]), patient)
    second = enrol(actor_of(personas["nurse"]), patient, diagnosis_date=datetime.date(2026, 10, 1), is_relapse=True)
    first.refresh_from_db()
    assert first.end_reason == Enrolment.EndReason.SUPERSEDED
    assert Event.SUPERSEDED in kinds(first)
    assert not first.points.filter(outcome="").exists()
    assert second.previous == first and second.is_open


def test_a_municipality_enrols_on_the_patients_own_request(actor_of, personas, patient, orgs):
    # The municipality names the hospital that holds the first point (test_municipality_started).
    enrolment = enrol(actor_of(personas["coordinator"]), patient, offer=Offer.ACCEPTED, sp1_hospital=orgs["haukeland"])
    assert enrolment.enrolling_organisation == patient.municipality
    assert enrolment.points.get(key="sp1").responsible_organisation == orgs["haukeland"]
    assert enrolment.offer == Offer.ACCEPTED


def test_a_gp_cannot_enrol(actor_of, personas, patient):
    with pytest.raises(PathwayRuleError, match="cannot enrol"):
        enrol(actor_of(personas["gp"]), patient)


def test_a_child_is_enrolled_like_an_adult(actor_of, personas, orgs):
    from conftest import synthetic_id

    birth = datetime.date(2017, 6, 1)
    child = Patient.objects.create(
        national_id=synthetic_id(birth, start=500),
        national_id_kind="fnr",
        date_of_birth=birth,
        given_name="Liten",
        family_name="Pasient",
        municipality=orgs["askoy"],
        registered_by=orgs["haukeland"],
    )
    assert enrol(actor_of(personas["nurse"]), child).points.count() == 3


def test_a_declined_offer_is_asked_again_and_can_be_accepted_later(actor_of, personas, patient, settings):
    settings.PATHWAY_ASK_AGAIN_DAYS = 30
    nurse = actor_of(personas["nurse"])
    enrolment = enrol(nurse, patient)
    windows = list(enrolment.points.values_list("window_opens", flat=True))
    services.record_offer(nurse, enrolment, Offer.DECLINED, today=TODAY)
    assert enrolment.ask_again_on == TODAY + datetime.timedelta(days=30)
    services.record_offer(nurse, enrolment, Offer.ACCEPTED, today=TODAY)
    assert enrolment.ask_again_on is None
    assert list(enrolment.points.values_list("window_opens", flat=True)) == windows
    offers = [k for k in kinds(enrolment) if k in (Event.OFFER_DECLINED, Event.OFFER_ACCEPTED)]
    assert offers[-2:] == [Event.OFFER_DECLINED, Event.OFFER_ACCEPTED]


def test_points_are_booked_rescheduled_with_a_reason_and_completed(actor_of, personas, patient):
    nurse = actor_of(personas["nurse"])
    enrolment = enrol(nurse, patient)
    sp1 = enrolment.points.get(key="sp1")
    when = datetime.datetime(2026, 2, 10, 9, 0, tzinfo=datetime.UTC)
    services.book_point(nurse, sp1, when)
    with pytest.raises(PathwayRuleError, match="reason"):
        services.book_point(nurse, sp1, when + datetime.timedelta(days=1))
    services.book_point(nurse, sp1, when + datetime.timedelta(days=1), reason="The patient asked to move it")
    services.close_point(
        nurse,
        sp1,
        Outcome.COMPLETED,
        on_date=datetime.date(2026, 2, 11),
        place="Poliklinikken",
        reason="The answer to the offer follows",
        today=TODAY,
    )
    sp1.refresh_from_db()
    assert (sp1.outcome, sp1.outcome_on, sp1.place) == ("completed", datetime.date(2026, 2, 11), "Poliklinikken")
    assert sp1.outcome_by == personas["nurse"]
    assert [Event.POINT_BOOKED, Event.POINT_RESCHEDULED, Event.POINT_COMPLETED] == [
        k for k in kinds(enrolment) if k.startswith("point_") and k != Event.POINT_SCHEDULED
    ]


def test_only_the_responsible_organisation_acts_on_a_point(actor_of, personas, patient):
    enrolment = enrol(actor_of(personas["nurse"]), patient)
    with pytest.raises(PathwayRuleError, match="is responsible"):
        services.close_point(
            actor_of(personas["coordinator"]), enrolment.points.get(key="sp1"), Outcome.COMPLETED, today=TODAY
        )


def test_cancelling_needs_a_reason_and_dates_must_be_sensible(actor_of, personas, patient):
    nurse = actor_of(personas["nurse"])
    sp1 = enrol(nurse, patient).points.get(key="sp1")
    with pytest.raises(PathwayRuleError, match="reason"):
        services.close_point(nurse, sp1, Outcome.CANCELLED, today=TODAY)
    with pytest.raises(PathwayRuleError, match="future"):
        services.close_point(nurse, sp1, Outcome.COMPLETED, on_date=TODAY + datetime.timedelta(days=1), today=TODAY)
    with pytest.raises(PathwayRuleError, match="before the diagnosis"):
        services.close_point(nurse, sp1, Outcome.COMPLETED, on_date=datetime.date(2026, 1, 1), today=TODAY)


def test_the_pathway_completes_after_its_last_point_and_then_only_takes_corrections(actor_of, personas, patient):
    nurse, coordinator = actor_of(personas["nurse"]), actor_of(personas["coordinator"])
    enrolment = enrol(nurse, patient)
    late = "Outside the window, before the answer"  # completions then state why
    services.close_point(nurse, enrolment.points.get(key="sp1"), Outcome.COMPLETED, reason=late, today=TODAY)
    services.close_point(coordinator, enrolment.points.get(key="sp2"), Outcome.NOT_WANTED, today=TODAY)
    services.close_point(coordinator, enrolment.points.get(key="sp3"), Outcome.COMPLETED, reason=late, today=TODAY)
    enrolment.refresh_from_db()
    assert enrolment.end_reason == Enrolment.EndReason.COMPLETED
    assert kinds(enrolment)[-1] == Event.COMPLETED
    with pytest.raises(PathwayRuleError, match="has ended"):
        services.record_offer(nurse, enrolment, Offer.DECLINED)
    services.record_correction(nurse, enrolment, "The first conversation was on 12 February, not 11.")
    assert kinds(enrolment)[-1] == Event.CORRECTION


def test_withdrawal_cancels_open_points_and_ends_the_pathway(actor_of, personas, patient):
    enrolment = enrol(actor_of(personas["nurse"]), patient)
    services.withdraw(actor_of(personas["coordinator"]), enrolment, reason="Does not want more conversations")
    assert enrolment.end_reason == Enrolment.EndReason.WITHDRAWN
    assert set(enrolment.points.values_list("outcome", flat=True)) == {"cancelled"}


def test_a_move_takes_the_open_municipal_points_to_the_new_municipality(client_for, actor_of, personas, patient, orgs):
    enrolment = enrol(actor_of(personas["nurse"]), patient)
    response = client_for(personas["nurse"]).post(
        f"/patients/{patient.public_id}/edit/",
        {
            "national_id": patient.national_id,
            "given_name": "Test",
            "family_name": "Pasient",
            "municipality": orgs["voss"].pk,
            "preferred_language": "nb",
        },
    )
    assert response.status_code == 302
    assert set(
        enrolment.points.filter(care_level="municipality").values_list("responsible_organisation__name", flat=True)
    ) == {"Voss"}
    assert Event.MOVED in kinds(enrolment)
    # Voss now has the care relation; Askøy (no longer responsible for any point) has lost it.
    assert client_for(personas["outsider"]).get(f"/patients/{patient.public_id}/").status_code == 200
    assert client_for(personas["coordinator"]).get(f"/patients/{patient.public_id}/").status_code == 403


def test_a_death_cancels_open_points_and_creates_a_bereavement_follow_up(client_for, actor_of, personas, patient, orgs):
    enrolment = enrol(actor_of(personas["nurse"]), patient)
    post_confirmed(
        client_for(personas["coordinator"]),
        f"/patients/{patient.public_id}/edit/",
        {
            "national_id": patient.national_id,
            "given_name": "Test",
            "family_name": "Pasient",
            "municipality": orgs["askoy"].pk,
            "gp_office": orgs["gp_office"].pk,
            "preferred_language": "nb",
            "date_of_death": "2026-11-20",
        },
    )
    enrolment.refresh_from_db()
    assert enrolment.end_reason == Enrolment.EndReason.DECEASED
    assert set(enrolment.points.values_list("outcome", flat=True)) == {"cancelled"}
    assert BereavementFollowUp.objects.get(enrolment=enrolment).municipality == orgs["askoy"]
    assert Event.BEREAVEMENT_FOLLOW_UP in kinds(enrolment)


def test_the_hearing_draft_schedules_points_when_their_anchors_happen(actor_of, personas, patient):
    nurse = actor_of(personas["nurse"])
    enable_definition(nurse.organisation, "hearing-draft-2021")
    enrolment = enrol(nurse, patient, diagnosis_date=datetime.date(2026, 9, 1), definition_key="hearing-draft-2021")
    assert enrolment.definition.key == "hearing-draft-2021"
    waiting = set(enrolment.points.filter(window_opens__isnull=True).values_list("key", flat=True))
    assert waiting == {"hp2", "hp3", "hp4", "hp5"}
    services.record_event(nurse, enrolment, "treatment_started", datetime.date(2026, 9, 15), today=TODAY)
    assert enrolment.points.get(key="hp3").window_opens == datetime.date(2026, 9, 29)
    hp3 = enrolment.points.get(key="hp3")
    services.close_point(
        actor_of(personas["coordinator"]),
        hp3,
        Outcome.COMPLETED,
        on_date=datetime.date(2026, 10, 20),
        reason="Before the answer to the offer",
        today=TODAY,
    )
    assert enrolment.points.get(key="hp4").window_opens == datetime.date(2026, 12, 20)


def test_a_changed_definition_file_must_get_a_new_version(actor_of, personas, patient):
    from pathway.models import PathwayDefinition

    enrol(actor_of(personas["nurse"]), patient)
    PathwayDefinition.objects.update(checksum="0" * 64)
    with pytest.raises(PathwayRuleError, match="new version number"):
        services.definition_record()
