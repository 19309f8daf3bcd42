"""A pathway a municipality starts for a patient who came to it directly does not put an overdue
first point on a health trust: the municipality names the hospital of the patient's health trust
that should hold it (its window then counts from that day), or records that it is not held."""

import datetime

import pytest

from directory.models import Organisation
from pathway import reminders, services, worklists
from pathway.models import CollaborationPoint, Offer, PathwayEvent
from pathway.services import PathwayRuleError

DIAGNOSIS = datetime.date(2026, 3, 2)
TODAY = datetime.date(2026, 6, 15)  # more than three months after the diagnosis


def enrol(actor, patient, **kwargs):
    return services.enrol(
        actor,
        patient,
        diagnosis_date=DIAGNOSIS,
        icd10_code="C50.9",
        treatment_intent="curative",
        offer=Offer.ACCEPTED,
        today=TODAY,
        **kwargs,
    )


def overdue_anywhere(today):
    return CollaborationPoint.objects.filter(pk__in=worklists.active_open_points(today).values("pk")).filter(
        worklists.status_filter("overdue", today)
    )


def test_the_named_hospital_holds_the_first_point_counted_from_today(actor_of, personas, patient, orgs):
    orgs["haukeland"].first_point_weeks = 6
    orgs["haukeland"].save()
    enrolment = enrol(actor_of(personas["coordinator"]), patient, sp1_hospital=orgs["haukeland"])
    sp1, sp2 = enrolment.points.get(key="sp1"), enrolment.points.get(key="sp2")
    assert sp1.responsible_organisation == orgs["haukeland"]
    assert (sp1.window_opens, sp1.window_closes) == (TODAY, TODAY + datetime.timedelta(weeks=6))
    assert sp1.status(TODAY) == "due"
    assert (sp2.window_opens, sp2.window_closes) == (datetime.date(2026, 6, 2), datetime.date(2026, 7, 2))
    assert not overdue_anywhere(TODAY).exists()
    assert worklists.open_points(orgs["helse_bergen"], TODAY, status="overdue").count() == 0
    assert enrolment.events.get(kind=PathwayEvent.Kind.ENROLLED).data["first_point_by"] == orgs["haukeland"].name


def test_not_held_closes_the_first_point_with_the_reason(actor_of, personas, patient, orgs):
    enrolment = enrol(
        actor_of(personas["coordinator"]), patient, sp1_not_held_reason="Had the conversation at the hospital"
    )
    sp1 = enrolment.points.get(key="sp1")
    assert (sp1.outcome, sp1.reason, sp1.outcome_on) == (
        CollaborationPoint.Outcome.CANCELLED,
        "Had the conversation at the hospital",
        TODAY,
    )
    assert sp1.responsible_organisation == orgs["askoy"]  # no health trust gets a point it never heard of
    event = enrolment.events.get(kind=PathwayEvent.Kind.POINT_CANCELLED, point=sp1)
    assert event.data == {"not_held": True} and event.note == "Had the conversation at the hospital"
    # The municipal points still count from the diagnosis.
    sp2, sp3 = enrolment.points.get(key="sp2"), enrolment.points.get(key="sp3")
    assert sp2.window_opens == datetime.date(2026, 6, 2)
    assert sp3.window_opens == datetime.date(2027, 3, 2)
    for day in (TODAY, TODAY + datetime.timedelta(days=10)):
        assert not overdue_anywhere(day).exists()
    assert not CollaborationPoint.objects.filter(
        responsible_organisation__in=[orgs["helse_bergen"], *Organisation.objects.filter(parent=orgs["helse_bergen"])]
    ).exists()
    reminders.run(TODAY)
    assert not CollaborationPoint.objects.filter(care_level="hospital").exclude(notified_status="").exists()
    assert enrolment.is_open


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({}, "name the hospital that should hold the first conversation"),
        ({"sp1_hospital": "haukeland", "sp1_not_held_reason": "x"}, "not both"),
        ({"sp1_hospital": "other_trust"}, "Choose a hospital of the patient's health trust"),
    ],
)
def test_a_municipality_must_say_who_holds_the_first_point(actor_of, personas, patient, orgs, kwargs, message):
    hospitals = {
        "haukeland": orgs["haukeland"],
        "other_trust": Organisation.objects.filter(kind=Organisation.Kind.HOSPITAL)
        .exclude(parent=orgs["helse_bergen"])
        .first(),
    }
    kwargs = {key: hospitals.get(value, value) for key, value in kwargs.items()}
    with pytest.raises(PathwayRuleError, match=message) as error:
        enrol(actor_of(personas["coordinator"]), patient, **kwargs)
    assert error.value.field == "sp1_hospital"
    assert not patient.enrolments.exists()


def test_a_hospital_enrols_as_before(actor_of, personas, patient, orgs):
    enrolment = enrol(actor_of(personas["nurse"]), patient)
    sp1 = enrolment.points.get(key="sp1")
    assert sp1.responsible_organisation == orgs["haukeland"]
    assert sp1.window_opens == DIAGNOSIS


def test_the_enrolment_form_offers_the_trusts_hospitals_and_not_held(client_for, personas, patient, orgs, today):
    client = client_for(personas["coordinator"])
    url = f"/pathway/patients/{patient.public_id}/enrol/"
    page = client.get(url).content.decode()
    assert 'name="sp1_choice"' in page and "Haukeland universitetssjukehus" in page
    assert 'value="not_held"' in page
    assert 'name="sp1_choice"' not in client_for(personas["nurse"]).get(url).content.decode()

    data = {
        "diagnosis_date": (today - datetime.timedelta(days=100)).isoformat(),
        "icd10_code": "C50.9",
        "treatment_intent": "curative",
        "offer": "accepted",
    }
    client = client_for(personas["coordinator"])
    page = client.post(url, {**data, "sp1_choice": "not_held"}).content.decode()
    assert "Write why the first conversation is not held." in page
    assert not patient.enrolments.exists()
    response = client.post(url, {**data, "sp1_choice": str(orgs["haukeland"].pk)})
    assert response.status_code == 302
    sp1 = patient.enrolments.get().points.get(key="sp1")
    assert sp1.responsible_organisation == orgs["haukeland"] and sp1.status(today) == "due"


def test_where_the_directory_lists_no_hospital_of_the_trust_the_trust_is_named(actor_of, patient):
    from accounts.models import Role
    from conftest import make_user

    oslo = Organisation.objects.get(name="Oslo", kind=Organisation.Kind.MUNICIPALITY)
    trust = oslo.health_trust
    assert not Organisation.objects.filter(kind=Organisation.Kind.HOSPITAL, parent=trust).exists()
    patient.municipality = oslo
    patient.save()
    assert list(services.first_point_hospitals(patient)) == [trust]
    coordinator = actor_of(make_user("oslo", oslo, Role.MUNICIPAL_COORDINATOR))
    sp1 = enrol(coordinator, patient, sp1_hospital=trust).points.get(key="sp1")
    assert sp1.responsible_organisation == trust
    assert sp1.window_opens == TODAY and sp1.status(TODAY) == "due"
