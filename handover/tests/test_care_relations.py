"""The care relation table (patients/relations.py, docs/access.md), row by row and case by case,
and the three ways of keeping access that the attacker of issue 16 found.

Every check goes through `relation()`, which also asserts that the patient list
(`visible_patients`) and the one-patient decision (`decide`) agree."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from conftest import make_user
from directory.models import Organisation
from handover import outbox
from handover import services as handover
from handover.models import HandoverMessage
from pathway import services as pathway
from pathway.models import BereavementFollowUp, CollaborationPoint, Enrolment
from pathway.tests.test_enrolment import TODAY, enrol
from patients import access
from patients.models import Patient

Kind = Organisation.Kind
FULL, OWN_ENTRIES, NONE = "full", "own entries only", "none"


def relation(actor, patient):
    """What `actor` gets for `patient`: FULL, OWN_ENTRIES or NONE, the list agreeing with the
    decision."""
    decision = access.decide(actor, patient)
    assert (patient in access.visible_patients(actor)) == decision.full
    assert (patient in access.visible_patients(actor, own_records=True)) == decision.allowed
    if decision.emergency:
        return "emergency"
    if decision.full:
        return FULL
    return OWN_ENTRIES if decision.allowed else NONE


def months_ago(months, days=0):
    return timezone.now() - relativedelta(months=months) - datetime.timedelta(days=days)


def registered(patient, when):
    Patient.objects.filter(pk=patient.pk).update(created_at=when)
    patient.refresh_from_db()


def ended(enrolment, when):
    Enrolment.objects.filter(pk=enrolment.pk).update(ended_at=when, end_reason="completed")


@pytest.fixture
def more(orgs):
    molde = Organisation.objects.get(municipality_number="1506")
    return {
        "molde": molde,
        "voss_hospital": Organisation.objects.get(kind=Kind.HOSPITAL, name="Voss sjukehus"),
        "alesund_hospital": Organisation.objects.get(kind=Kind.HOSPITAL, name="Ålesund sjukehus"),
        "other_gp_office": Organisation.objects.create(
            kind=Kind.GP_OFFICE, name="Kleppestø legekontor", municipality=orgs["askoy"]
        ),
    }


@pytest.fixture
def people(personas, orgs, more, actor_of):
    """Actors for each organisation of the table (clinical roles)."""
    users = {
        "haukeland": personas["nurse"],
        "askoy": personas["coordinator"],
        "voss": personas["outsider"],
        "gp_office": personas["gp"],
        "helse_bergen": make_user("trust-nurse", orgs["helse_bergen"], Role.HOSPITAL_CLINICIAN),
        "voss_hospital": make_user("voss-nurse", more["voss_hospital"], Role.HOSPITAL_CLINICIAN),
        "alesund_hospital": make_user("alesund-nurse", more["alesund_hospital"], Role.HOSPITAL_CLINICIAN),
        "molde": make_user("molde-coordinator", more["molde"], Role.MUNICIPAL_COORDINATOR),
        "other_gp_office": make_user("other-gp", more["other_gp_office"], Role.GP),
    }
    return {name: actor_of(user) for name, user in users.items()}


# Row 1: the patient's current municipality and GP office, always.


def test_the_current_municipality_and_gp_office_always_have_a_relation(people, patient):
    registered(patient, months_ago(120))  # long ago, no pathway, nothing open
    assert relation(people["askoy"], patient) == FULL
    assert relation(people["gp_office"], patient) == FULL


def test_the_current_municipality_keeps_it_after_the_pathway_and_after_death(people, patient, orgs):
    enrolment = enrol(people["haukeland"], patient, offer="accepted")
    ended(enrolment, months_ago(60))
    Patient.objects.filter(pk=patient.pk).update(date_of_death=TODAY)
    patient.refresh_from_db()
    assert relation(people["askoy"], patient) == FULL
    assert relation(people["gp_office"], patient) == FULL


def test_a_municipality_the_patient_moved_from_has_none(people, patient, orgs):
    patient.municipality = orgs["voss"]
    patient.save()
    assert relation(people["askoy"], patient) == NONE
    assert relation(people["voss"], patient) == FULL


def test_a_gp_office_the_patient_left_has_none(people, patient, more):
    patient.gp_office = more["other_gp_office"]
    patient.save()
    assert relation(people["gp_office"], patient) == NONE
    assert relation(people["other_gp_office"], patient) == FULL


# Row 2: the registering hospital or health trust, until the period after its last pathway.


def test_the_registering_hospital_without_a_pathway_until_the_period_after_registration(people, patient):
    # A day inside the period, and a day past it (11 months and 30 days is the whole period after
    # a 30-day month: on 2029-04-01 that is 2028-04-01, the very cut-off).
    registered(patient, months_ago(12, days=-1))
    assert relation(people["haukeland"], patient) == FULL
    registered(patient, months_ago(12, days=1))
    assert relation(people["haukeland"], patient) == NONE


def test_the_registering_hospital_while_its_pathway_is_open_however_long(people, patient):
    enrol(people["haukeland"], patient)
    registered(patient, months_ago(30))
    assert relation(people["haukeland"], patient) == FULL


def test_the_registering_hospital_until_the_period_after_its_last_pathway_ended(people, patient):
    first = enrol(people["haukeland"], patient)
    registered(patient, months_ago(60))
    ended(first, months_ago(40))
    second = enrol(people["haukeland"], patient, diagnosis_date=datetime.date(2026, 6, 1))
    ended(second, months_ago(11))
    assert relation(people["haukeland"], patient) == FULL
    ended(second, months_ago(12, days=1))
    # It wrote the enrolments' first timeline entries: those it may still read.
    assert relation(people["haukeland"], patient) == OWN_ENTRIES


def test_the_period_is_a_setting(people, patient, settings):
    enrolment = enrol(people["haukeland"], patient)
    registered(patient, months_ago(12))
    ended(enrolment, months_ago(4))
    assert relation(people["haukeland"], patient) == FULL
    settings.CARE_RELATION_MONTHS_AFTER_PATHWAY = 3
    assert relation(people["haukeland"], patient) == OWN_ENTRIES


def test_a_relation_ends_with_the_clock_alone(people, patient, pinned_clock):
    enrolment = enrol(people["haukeland"], patient)
    ended(enrolment, timezone.now())
    registered(patient, timezone.now())
    pinned_clock.shift(datetime.timedelta(days=364))
    assert relation(people["haukeland"], patient) == FULL
    pinned_clock.shift(datetime.timedelta(days=2))
    assert relation(people["haukeland"], patient) == OWN_ENTRIES


def test_the_health_trust_has_the_relation_of_its_registering_hospital(people, patient):
    registered(patient, months_ago(6))
    assert relation(people["helse_bergen"], patient) == FULL
    registered(patient, months_ago(13))
    assert relation(people["helse_bergen"], patient) == NONE


def test_a_health_trust_that_registered_the_patient(people, patient, orgs):
    Patient.objects.filter(pk=patient.pk).update(registered_by=orgs["helse_bergen"], created_at=months_ago(6))
    patient.refresh_from_db()
    assert relation(people["helse_bergen"], patient) == FULL
    assert relation(people["haukeland"], patient) == NONE  # a hospital does not cover its trust


def test_another_hospitals_pathway_does_not_extend_the_registering_hospitals_relation(people, patient, more):
    enrolment = enrol(people["haukeland"], patient)
    registered(patient, months_ago(40))
    ended(enrolment, months_ago(30))
    relapse = enrol(people["haukeland"], patient, diagnosis_date=datetime.date(2026, 6, 1))
    Enrolment.objects.filter(pk=relapse.pk).update(enrolling_organisation=more["alesund_hospital"])
    relapse.points.update(responsible_organisation=more["alesund_hospital"])
    assert relation(people["haukeland"], patient) == OWN_ENTRIES
    assert relation(people["alesund_hospital"], patient) == FULL  # its open point


@pytest.mark.parametrize("registrar", ["askoy", "gp_office"])
def test_a_municipality_or_gp_office_gets_nothing_from_having_registered(people, patient, orgs, more, registrar):
    Patient.objects.filter(pk=patient.pk).update(
        registered_by=orgs[registrar], municipality=more["molde"], gp_office=more["other_gp_office"]
    )
    patient.refresh_from_db()
    assert relation(people[registrar], patient) == NONE


def test_another_hospital_has_none(people, patient):
    assert relation(people["voss_hospital"], patient) == NONE


# Row 3: any organisation, while it holds something open.


def test_an_open_hospital_point_gives_its_responsible_hospital_a_relation_until_it_is_completed(people, patient, more):
    enrolment = enrol(people["haukeland"], patient)
    sp1 = enrolment.points.get(key="sp1")
    CollaborationPoint.objects.filter(pk=sp1.pk).update(responsible_organisation=more["voss_hospital"])
    assert relation(people["voss_hospital"], patient) == FULL
    pathway.close_point(
        people["voss_hospital"], sp1, "completed", on_date=TODAY, today=TODAY, reason="Before the answer"
    )
    # Completing the point is a timeline entry of its own: it may read that, nothing more.
    assert relation(people["voss_hospital"], patient) == OWN_ENTRIES


def test_a_municipal_point_counts_once_the_offer_is_accepted(people, patient, orgs):
    enrolment = enrol(people["haukeland"], patient)  # offer not yet asked
    enrolment.points.filter(care_level="municipality").update(responsible_organisation=orgs["voss"])
    assert relation(people["voss"], patient) == NONE
    Enrolment.objects.filter(pk=enrolment.pk).update(offer="accepted")
    assert relation(people["voss"], patient) == FULL


def test_points_of_an_ended_pathway_give_nothing(people, patient, more):
    enrolment = enrol(people["haukeland"], patient)
    enrolment.points.filter(key="sp1").update(responsible_organisation=more["voss_hospital"])
    ended(enrolment, timezone.now())
    assert relation(people["voss_hospital"], patient) == NONE


def test_a_handover_message_gives_its_receiver_a_relation_until_acknowledged(people, patient, more):
    enrolment = enrol(people["haukeland"], patient, offer="accepted")
    message = HandoverMessage.objects.create(
        kind=HandoverMessage.Kind.POINT_COMPLETED,
        enrolment=enrolment,
        sender=patient.registered_by,
        recipient=more["alesund_hospital"],
        reason=HandoverMessage.Reason.CHOSEN,
        delivered_at=timezone.now(),
    )
    assert relation(people["alesund_hospital"], patient) == FULL
    handover.acknowledge(people["alesund_hospital"], message)
    # The acknowledgement is its own timeline entry; the rest of the record is closed again.
    assert relation(people["alesund_hospital"], patient) == OWN_ENTRIES


def test_a_message_addressed_to_a_hospital_gives_its_health_trust_the_relation(people, patient, orgs, more):
    enrolment = enrol(people["haukeland"], patient)
    registered(patient, months_ago(40))
    ended(enrolment, months_ago(30))
    HandoverMessage.objects.create(
        kind=HandoverMessage.Kind.POINT_COMPLETED,
        enrolment=enrolment,
        sender=orgs["askoy"],
        recipient=more["voss_hospital"],
        reason=HandoverMessage.Reason.CHOSEN,
    )
    assert relation(people["helse_bergen"], patient) == FULL
    assert relation(people["alesund_hospital"], patient) == NONE


def test_an_open_bereavement_follow_up_gives_a_relation_until_the_relatives_are_contacted(people, patient):
    enrolment = enrol(people["haukeland"], patient)
    ended(enrolment, timezone.now())
    follow_up = BereavementFollowUp.objects.create(enrolment=enrolment, municipality=people["voss"].organisation)
    assert relation(people["voss"], patient) == FULL
    BereavementFollowUp.objects.filter(pk=follow_up.pk).update(contacted_on=TODAY)
    assert relation(people["voss"], patient) == NONE


# Row 4: anyone else, including all of the above once their relation ended.


def test_anyone_else_has_no_relation_and_no_entries(people, patient):
    for name in ("voss", "molde", "voss_hospital", "alesund_hospital", "other_gp_office"):
        assert relation(people[name], patient) == NONE, name


def test_anyone_else_may_open_the_glass(people, patient):
    access.grant_emergency_access(people["molde"], patient, "Admitted unconscious to the emergency room")
    assert relation(people["molde"], patient) == "emergency"


def test_a_relation_that_ended_leaves_the_entries_it_wrote_read_only(people, patient, client_for, personas):
    enrolment = enrol(people["haukeland"], patient)
    pathway.record_correction(people["haukeland"], enrolment, "Diagnosis date checked with the pathology report.")
    registered(patient, months_ago(40))
    ended(enrolment, months_ago(13))
    assert relation(people["haukeland"], patient) == OWN_ENTRIES
    client = client_for(personas["nurse"])
    page = client.get(f"/patients/{patient.public_id}/").content.decode()
    assert "You can read what Haukeland universitetssjukehus wrote" in page
    assert patient.national_id not in page
    timeline = client.get(f"/pathway/enrolments/{enrolment.public_id}/").content.decode()
    assert "Diagnosis date checked with the pathology report." in timeline
    response = client.post(f"/pathway/enrolments/{enrolment.public_id}/correction/", {"note": "Another note"})
    assert response.status_code == 403
    assert client.get(f"/patients/{patient.public_id}/edit/").status_code == 403


# The attacker's three findings (issue 16).


def move(client, patient, *, municipality, gp_office=None, given_name=None):
    return client.post(
        f"/patients/{patient.public_id}/edit/",
        {
            "national_id": patient.national_id,
            "given_name": given_name or patient.given_name,
            "family_name": patient.family_name,
            "municipality": municipality.pk,
            "gp_office": gp_office.pk if gp_office else "",
            "preferred_language": "nb",
        },
    )


def test_askoy_loses_the_patient_it_registered_once_the_patient_moved_to_molde(
    people, patient, orgs, more, client_for, personas
):
    Patient.objects.filter(pk=patient.pk).update(registered_by=orgs["askoy"], gp_office=None)
    patient.refresh_from_db()
    client = client_for(personas["coordinator"])
    assert move(client, patient, municipality=more["molde"]).status_code == 302
    assert relation(people["askoy"], patient) == NONE
    assert client.get(f"/patients/{patient.public_id}/").status_code == 403
    response = move(client, patient, municipality=orgs["askoy"], given_name="Renamed")
    assert response.status_code == 403
    patient.refresh_from_db()
    assert patient.municipality == more["molde"] and patient.given_name == "Test"


def test_a_gp_loses_the_patient_it_moved_to_another_gp_office(people, patient, orgs, more, client_for, personas):
    Patient.objects.filter(pk=patient.pk).update(registered_by=orgs["gp_office"])
    patient.refresh_from_db()
    client = client_for(personas["gp"])
    assert move(client, patient, municipality=orgs["askoy"], gp_office=more["other_gp_office"]).status_code == 302
    assert relation(people["gp_office"], patient) == NONE
    assert client.get(f"/patients/{patient.public_id}/").status_code == 403
    assert move(client, patient, municipality=orgs["askoy"], given_name="Renamed").status_code == 403
    patient.refresh_from_db()
    assert patient.given_name == "Test" and patient.gp_office == more["other_gp_office"]


def test_askoy_loses_the_patient_handed_over_to_it_once_the_patient_moved_to_voss(
    people, patient, orgs, client_for, personas
):
    """Haukeland completes SP1 with a handover to Askøy; Askøy acknowledges it and completes SP2;
    the patient moves to Voss. Askøy then reads its own entries and changes nothing."""
    enrolment = enrol(people["haukeland"], patient, offer="accepted")
    sp1, sp2 = enrolment.points.get(key="sp1"), enrolment.points.get(key="sp2")
    pathway.close_point(people["haukeland"], sp1, "completed", on_date=datetime.date(2026, 2, 20), today=TODAY)
    outbox.deliver_due()
    message = HandoverMessage.objects.get(enrolment=enrolment, recipient=orgs["askoy"])
    handover.acknowledge(people["askoy"], message)
    pathway.close_point(
        people["askoy"], sp2, "completed", on_date=datetime.date(2026, 5, 4), place="Askøy helsestasjon", today=TODAY
    )
    askoy = client_for(personas["coordinator"])
    assert askoy.get(f"/patients/{patient.public_id}/").status_code == 200  # still its patient
    hospital = Client()
    hospital.force_login(personas["nurse"])
    assert move(hospital, patient, municipality=orgs["voss"], gp_office=orgs["gp_office"]).status_code == 302

    assert relation(people["askoy"], patient) == OWN_ENTRIES
    page = askoy.get(f"/patients/{patient.public_id}/")
    assert page.status_code == 200 and patient.national_id not in page.content.decode()
    assert "You can read what Askøy wrote" in page.content.decode()
    timeline = askoy.get(f"/pathway/enrolments/{enrolment.public_id}/").content.decode()
    assert "Askøy helsestasjon" in timeline and patient.national_id not in timeline
    before = enrolment.events.count()
    response = askoy.post(f"/pathway/enrolments/{enrolment.public_id}/correction/", {"note": "Saved anyway?"})
    assert response.status_code == 403
    assert enrolment.events.count() == before
    assert askoy.get(f"/handover/messages/{message.public_id}/").status_code == 403  # it did not write it
