"""The access rule: a care relation through the acting organisation, or emergency access."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from accounts.actor import Actor
from accounts.models import Membership, Role
from audit.models import AuditEntry
from conftest import make_user
from directory.models import Organisation
from patients import access


def actor(user):
    return Actor(user=user, membership=Membership.objects.select_related("organisation").get(user=user))


@pytest.mark.parametrize("persona", ["nurse", "coordinator", "gp"])
def test_each_care_relation_gives_access(personas, patient, persona):
    decision = access.decide(actor(personas[persona]), patient)
    assert decision.allowed and not decision.emergency


def test_another_municipality_has_no_access(personas, patient):
    assert not access.decide(actor(personas["outsider"]), patient).allowed


@pytest.mark.parametrize("persona", ["admin", "analyst"])
def test_non_clinical_roles_have_no_care_access_even_with_a_relation(personas, patient, persona):
    assert not access.decide(actor(personas[persona]), patient).allowed


def test_the_org_admin_may_read_the_audit_trail_of_a_related_patient(personas, patient):
    assert access.decide(actor(personas["admin"]), patient, access.PURPOSE_AUDIT_TRAIL).allowed
    assert not access.decide(actor(personas["coordinator"]), patient, access.PURPOSE_AUDIT_TRAIL).allowed


def test_a_health_trust_user_sees_patients_registered_by_its_hospitals(orgs, patient):
    trust_nurse = make_user("trust-nurse", orgs["helse_bergen"], Role.HOSPITAL_CLINICIAN)
    assert access.decide(actor(trust_nurse), patient).allowed


def test_another_hospital_has_no_access(patient):
    alesund = Organisation.objects.get(kind="hospital", name="Ålesund sjukehus")
    stranger = make_user("stranger", alesund, Role.HOSPITAL_CLINICIAN)
    assert not access.decide(actor(stranger), patient).allowed


def test_moving_municipality_moves_the_relation(personas, patient, orgs):
    patient.municipality = orgs["voss"]
    patient.save()
    assert access.decide(actor(personas["outsider"]), patient).allowed
    assert not access.decide(actor(personas["coordinator"]), patient).allowed


def test_the_list_and_the_decision_agree(personas, patient):
    for user in personas.values():
        a = actor(user)
        assert (patient in access.visible_patients(a)) == access.decide(a, patient).allowed


def test_emergency_access_is_personal_flagged_and_expires(personas, patient, orgs):
    outsider = actor(personas["outsider"])
    access.grant_emergency_access(outsider, patient, "Patient in the emergency room, unconscious")
    decision = access.decide(outsider, patient)
    assert decision.allowed and decision.emergency
    assert decision.emergency_reason == "Patient in the emergency room, unconscious"
    assert patient in access.visible_patients(outsider)

    colleague = make_user("colleague", orgs["voss"], Role.MUNICIPAL_COORDINATOR)
    assert not access.decide(actor(colleague), patient).allowed

    patient.emergency_accesses.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert not access.decide(outsider, patient).allowed
    assert patient not in access.visible_patients(outsider)


def test_an_analyst_cannot_open_emergency_access(personas, patient):
    with pytest.raises(PermissionDenied):
        access.grant_emergency_access(actor(personas["analyst"]), patient, "Just curious about the numbers")


def test_open_patient_logs_the_view_and_the_refusal(personas, patient):
    access.open_patient(actor(personas["coordinator"]), patient.public_id, AuditEntry.Action.VIEW)
    with pytest.raises(PermissionDenied):
        access.open_patient(actor(personas["outsider"]), patient.public_id, AuditEntry.Action.VIEW)
    actions = list(AuditEntry.objects.filter(patient_public_id=patient.public_id).values_list("username", "action"))
    assert ("coordinator", "view") in actions
    assert ("outsider", "denied") in actions


def test_open_patient_raises_not_found_for_an_unknown_id(personas):
    import uuid

    with pytest.raises(Http404):
        access.open_patient(actor(personas["coordinator"]), uuid.uuid4(), AuditEntry.Action.VIEW)
