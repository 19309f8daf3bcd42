"""The mapping functions are pure: unsaved model instances in, fhir.resources R4B objects out."""

import datetime
import uuid

import pytest
from django.utils import timezone

from assessment import questionnaires
from audit.models import AuditEntry
from directory.models import ContactPoint, Organisation
from fhir_api.mapping import assessment, audit, handover, organisations, pathway, people
from fhir_api.mapping.common import DNR, FNR, HER_ID, MUNICIPALITY_NUMBER, ORG_NUMBER
from handover.models import HandoverMessage
from pathway.definitions import get_definition
from pathway.models import CollaborationPoint, Enrolment, PathwayDefinition
from patients.models import Patient, Relative

Kind = Organisation.Kind
TODAY = datetime.date(2026, 6, 1)


def organisation(**kwargs):
    return Organisation(public_id=uuid.uuid4(), **{"kind": Kind.MUNICIPALITY, "name": "Askøy", **kwargs})


@pytest.fixture
def askoy():
    return organisation(municipality_number="4627", org_number="964338531", her_id="12345")


@pytest.fixture
def hospital():
    return organisation(kind=Kind.HOSPITAL, name="Haukeland", org_number="974557746")


@pytest.fixture
def patient(askoy, hospital):
    return Patient(
        public_id=uuid.uuid4(),
        national_id="17856112345",
        national_id_kind="fnr",
        given_name="Test",
        family_name="Pasient",
        date_of_birth=datetime.date(1961, 5, 17),
        municipality=askoy,
        registered_by=hospital,
        updated_at=timezone.now(),
    )


@pytest.fixture
def enrolment(patient, hospital):
    definition = get_definition("national-2022")
    record = PathwayDefinition(key=definition.key, version=definition.version, title=definition.title)
    return Enrolment(
        public_id=uuid.uuid4(),
        patient=patient,
        definition=record,
        diagnosis_date=datetime.date(2026, 5, 1),
        icd10_code="C50.9",
        icd10_name="Brystkreft",
        treatment_intent="curative",
        enrolling_organisation=hospital,
        offer="accepted",
        created_at=timezone.now(),
    )


def point(enrolment, owner, **kwargs):
    values = {
        "public_id": uuid.uuid4(),
        "enrolment": enrolment,
        "key": "sp2",
        "sequence": 1,
        "title": {"nb": "Samtale", "en": "Conversation"},
        "care_level": "municipality",
        "responsible_organisation": owner,
        "window_opens": datetime.date(2026, 8, 1),
        "window_closes": datetime.date(2026, 9, 1),
    }
    return CollaborationPoint(**{**values, **kwargs})


def test_patient_identifier_system_follows_the_kind_of_number(patient):
    assert people.patient(patient).identifier[0].system == FNR
    patient.national_id_kind = "dnr"
    assert people.patient(patient).identifier[0].system == DNR


def test_patient_address_carries_the_municipality_number(patient):
    # On Address.district (`_district` in JSON), the context HL7 Norway gives the extension.
    coding = people.patient(patient).address[0].district__ext.extension[0].valueCoding
    assert (coding.system, coding.code) == (MUNICIPALITY_NUMBER, "4627")


def test_related_person_flags_a_child(patient):
    relative = Relative(public_id=uuid.uuid4(), patient=patient, name="Kari", relation="child", is_child=True)
    codes = [c.coding[0].code for c in people.related_person(relative).relationship]
    assert codes == ["child", "child-under-18"]


def test_organization_identifiers(askoy):
    systems = {i.system: i.value for i in organisations.organization(askoy).identifier}
    assert systems == {ORG_NUMBER: "964338531", HER_ID: "12345", MUNICIPALITY_NUMBER: "4627"}


def test_healthcare_service(askoy):
    service = organisations.healthcare_service(
        ContactPoint(public_id=uuid.uuid4(), organisation=askoy, name="Kreftkoordinator", phone="56150000")
    )
    assert service.providedBy.reference == f"Organization/{askoy.public_id}"
    assert service.telecom[0].value == "56150000"


def test_plan_definition_has_an_action_per_point():
    plan = pathway.plan_definition(get_definition("hearing-draft-2021"))
    assert len(plan.action) == 5


def test_plan_definition_actions_say_when_each_window_opens_and_closes_and_from_what():
    national = pathway.plan_definition(get_definition("national-2022")).model_dump(mode="json", exclude_none=True)
    sp2 = national["action"][1]
    assert sp2["trigger"] == [{"type": "named-event", "name": "diagnosis"}]
    assert sp2["timingRange"]["low"] == {"value": 3, "unit": "months", "system": pathway.UCUM, "code": "mo"}
    assert sp2["timingRange"]["high"]["value"] == 4
    draft = pathway.plan_definition(get_definition("hearing-draft-2021")).model_dump(mode="json", exclude_none=True)
    by_id = {action["id"]: action for action in draft["action"]}
    assert by_id["hp2"]["trigger"] == [{"type": "named-event", "name": "treatment_started"}]
    assert by_id["hp3"]["timingRange"]["low"] == {"value": 2, "unit": "weeks", "system": pathway.UCUM, "code": "wk"}
    related = by_id["hp4"]["relatedAction"][0]
    assert (related["actionId"], related["relationship"]) == ("hp3", "after-end")
    assert related["offsetRange"]["low"]["code"] == "mo" and "trigger" not in by_id["hp4"]
    assert pathway._duration("P1Y2M") is None  # no single quantity


@pytest.mark.parametrize(
    ("offer", "ended", "reason", "status"),
    [
        ("not_asked", False, "", "planned"),
        ("accepted", False, "", "active"),
        ("declined", False, "", "onhold"),
        ("accepted", True, "completed", "finished"),
        ("accepted", True, "withdrawn", "cancelled"),
    ],
)
def test_episode_status(enrolment, offer, ended, reason, status):
    enrolment.offer, enrolment.end_reason = offer, reason
    enrolment.ended_at = timezone.now() if ended else None
    episode = pathway.episode_of_care(enrolment)
    assert episode.status == status
    assert episode.contained[0].code.coding[0].code == "C50.9"


@pytest.mark.parametrize(
    ("outcome", "opens", "status", "business"),
    [
        ("", datetime.date(2026, 8, 1), "requested", "planned"),
        ("", datetime.date(2026, 5, 1), "ready", "overdue"),
        ("", None, "requested", "waiting"),
        ("completed", datetime.date(2026, 5, 1), "completed", "completed"),
        ("not_wanted", datetime.date(2026, 5, 1), "rejected", "not_wanted"),
    ],
)
def test_task_status_owner_and_window(enrolment, askoy, outcome, opens, status, business):
    task = pathway.task(
        point(
            enrolment, askoy, outcome=outcome, window_opens=opens, window_closes=opens and datetime.date(2026, 5, 20)
        ),
        TODAY,
    )
    assert (task.status, task.businessStatus.coding[0].code) == (status, business)
    assert task.owner.reference == f"Organization/{askoy.public_id}"
    if opens:
        assert task.restriction.period.start.isoformat() == opens.isoformat()


def test_care_plan_has_an_activity_per_point(enrolment, askoy):
    plan = pathway.care_plan(enrolment, [point(enrolment, askoy), point(enrolment, askoy, key="sp3")])
    assert [a.reference.reference.split("/")[0] for a in plan.activity] == ["Task", "Task"]


def _message(enrolment, askoy, hospital, **kwargs):
    return HandoverMessage(
        public_id=uuid.uuid4(),
        kind="point_completed",
        enrolment=enrolment,
        sender=hospital,
        recipient=askoy,
        reason="municipality",
        content={"a": 1},
        created_at=timezone.now(),
        **kwargs,
    )


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({}, "preparation"),
        ({"delivered_at": timezone.now()}, "in-progress"),
        ({"delivered_at": timezone.now(), "acknowledged_at": timezone.now()}, "completed"),
        ({"failed_at": timezone.now()}, "stopped"),
    ],
)
def test_communication_status_shows_the_acknowledgement(enrolment, askoy, hospital, fields, status):
    assert handover.communication(_message(enrolment, askoy, hospital, **fields)).status == status


def test_acknowledgement_answers_the_message(enrolment, askoy, hospital):
    message = _message(enrolment, askoy, hospital, acknowledged_at=timezone.now(), acknowledged_by_name="Kari")
    ack = handover.acknowledgement(message)
    assert ack.inResponseTo[0].reference == f"Communication/{message.public_id}"
    assert ack.sender.reference == f"Organization/{askoy.public_id}"


def test_audit_event_names_the_client(askoy):
    entry = AuditEntry(
        pk=7,
        username="system-x",
        organisation=askoy,
        client="Gerica",
        action="view",
        occurred_at=timezone.now(),
        patient_public_id=uuid.uuid4(),
    )
    event = audit.audit_event(entry)
    assert (event.action, event.agent[0].name, event.entity[0].what.reference.startswith("Patient/")) == (
        "R",
        "Gerica",
        True,
    )


def test_every_questionnaire_file_validates_as_an_r4_questionnaire():
    for form in questionnaires.all_questionnaires().values():
        resource = assessment.questionnaire(form)
        assert resource.url == form.url and resource.item


def _empties(value, path="$"):
    """Paths of empty or blank values anywhere in a dumped resource."""
    if isinstance(value, dict):
        found = [path] if not value else []
        return found + [p for k, v in value.items() for p in _empties(v, f"{path}.{k}")]
    if isinstance(value, list):
        found = [path] if not value else []
        return found + [p for i, v in enumerate(value) for p in _empties(v, f"{path}[{i}]")]
    return [path] if value is None or (isinstance(value, str) and not value.strip()) else []


def _blank_records():
    """Records whose text fields are empty (as demo and old rows have them): names, displays,
    titles, notes, a diagnosis with no name."""
    blank_municipality = organisation(name="", municipality_number="4627", org_number="", her_id="")
    blank_hospital = organisation(kind=Kind.HOSPITAL, name="", name_official="", org_number="")
    blank_patient = Patient(
        public_id=uuid.uuid4(),
        national_id="17856112345",
        national_id_kind="fnr",
        given_name="",
        family_name="",
        mobile_phone="",
        email="",
        date_of_birth=datetime.date(1961, 5, 17),
        municipality=blank_municipality,
        registered_by=blank_hospital,
        updated_at=timezone.now(),
    )
    definition = get_definition("national-2022")
    enrolment = Enrolment(
        public_id=uuid.uuid4(),
        patient=blank_patient,
        definition=PathwayDefinition(key=definition.key, version=definition.version, title={"nb": "", "en": ""}),
        diagnosis_date=datetime.date(2026, 5, 1),
        icd10_code="C50.9",
        icd10_name="",
        diagnosis_specific_pathway="",
        treatment_intent="curative",
        enrolling_organisation=blank_hospital,
        offer="accepted",
        created_at=timezone.now(),
    )
    blank_point = point(enrolment, blank_municipality, title={"nb": "", "en": ""}, place="", reason="")
    message = _message(enrolment, blank_municipality, blank_hospital, note="", acknowledged_at=timezone.now())
    message.acknowledged_by_name = ""
    relative = Relative(public_id=uuid.uuid4(), patient=blank_patient, name="", relation="child", phone="", email="")
    contact = ContactPoint(
        public_id=uuid.uuid4(),
        organisation=blank_municipality,
        name="",
        phone="",
        email="",
        note_for_patients="",
        opening_hours="",
        postal_address="",
    )
    entry = AuditEntry(
        pk=8,
        username="",
        organisation=blank_municipality,
        client="",
        role="",
        action="view",
        occurred_at=timezone.now(),
        patient_public_id=uuid.uuid4(),
        object_type="",
        detail="",
        emergency=True,
        reason="",
    )
    return {
        "Patient": lambda: people.patient(blank_patient),
        "RelatedPerson": lambda: people.related_person(relative),
        "Organization": lambda: organisations.organization(blank_hospital),
        "Organization (municipality)": lambda: organisations.organization(blank_municipality),
        "HealthcareService": lambda: organisations.healthcare_service(contact),
        "EpisodeOfCare": lambda: pathway.episode_of_care(enrolment),
        "CarePlan": lambda: pathway.care_plan(enrolment, [blank_point]),
        "Task": lambda: pathway.task(blank_point, today=TODAY),
        "Communication": lambda: handover.communication(message),
        "Communication (acknowledgement)": lambda: handover.acknowledgement(message),
        "AuditEvent": lambda: audit.audit_event(entry),
    }


@pytest.mark.parametrize("name", list(_blank_records()))
def test_empty_nested_strings_in_a_record_are_dropped_and_the_resource_still_maps(name):
    resource = _blank_records()[name]()
    dumped = resource.model_dump(mode="json", by_alias=True, exclude_none=True)
    assert _empties(dumped) == []
    # What is left says what it must: the ids and the references survive.
    assert dumped["id"]


def test_drop_empty_works_at_every_depth_and_up_the_tree():
    from fhir_api.mapping.common import drop_empty

    data = {
        "a": "",
        "b": {"c": {"d": ["", None, {}, [], {"e": " "}]}},
        "f": [{"g": "x", "h": ""}, {"coding": [{"display": ""}]}],
        "i": 0,
        "j": False,
    }
    assert drop_empty(data) == {"f": [{"g": "x"}], "i": 0, "j": False}
