"""Dates are sane: a diagnosis after birth and not before the pathway began, a relapse after the
diagnosis it follows, an event recorded once and not before the diagnosis. Each refusal names the
dates (dd.mm.yyyy) and the form field it concerns; through the service, the enrolment page and the
FHIR API (fhir_api/tests/test_enrolment.py). The date of death: pathway/tests/test_date_of_death.py."""

import dataclasses
import datetime

import pytest
from django.utils import timezone

from conftest import synthetic_id
from lib import nin
from pathway import services
from pathway.definitions import get_definition
from pathway.models import CollaborationPoint, Enrolment, PathwayEvent
from pathway.services import PathwayRuleError
from patients.models import Patient
from testsupport.enrolling import enable_definition

TODAY = datetime.date(2026, 11, 23)
BORN = datetime.date(1970, 3, 14)


@pytest.fixture
def born_1970(orgs):
    return Patient.objects.create(
        national_id=synthetic_id(BORN),
        national_id_kind=nin.FODSELSNUMMER,
        date_of_birth=BORN,
        given_name="Kari",
        family_name="Dato",
        municipality=orgs["askoy"],
        registered_by=orgs["haukeland"],
    )


@pytest.fixture
def nurse(actor_of, personas):
    return actor_of(personas["nurse"])


def enrol(actor, patient, diagnosis_date, **kwargs):
    return services.enrol(
        actor,
        patient,
        diagnosis_date=diagnosis_date,
        icd10_code="C50.9",
        treatment_intent="curative",
        today=TODAY,
        **kwargs,
    )


def refused(call, *args, **kwargs):
    with pytest.raises(PathwayRuleError) as caught:
        call(*args, **kwargs)
    return caught.value


# The diagnosis ------------------------------------------------------------------------------------


def test_a_diagnosis_before_the_patients_birth_is_refused(nurse, born_1970):
    error = refused(enrol, nurse, born_1970, datetime.date(1960, 6, 1))
    assert error.field == "diagnosis_date"
    assert error.messages == ["The date of diagnosis, 01.06.1960, is before the patient was born (14.03.1970)."]
    assert not Enrolment.objects.exists()


def test_without_a_start_date_of_its_own_an_organisation_starts_with_the_national_pathway(nurse, born_1970, orgs):
    assert orgs["haukeland"].pathway_start_date is None
    error = refused(enrol, nurse, born_1970, datetime.date(2021, 12, 31))
    assert error.field == "diagnosis_date"
    assert error.messages == [
        "The date of diagnosis, 31.12.2021, is before the pathway began on 01.01.2022. The pathway is not "
        "retroactive: patients diagnosed before then are not enrolled."
    ]
    assert not Enrolment.objects.exists()
    assert enrol(nurse, born_1970, datetime.date(2022, 1, 1)).diagnosis_date == datetime.date(2022, 1, 1)


def test_an_organisations_start_date_says_otherwise_either_way(actor_of, personas, born_1970, orgs):
    orgs["haukeland"].pathway_start_date = datetime.date(2021, 10, 1)  # a pilot before the national start
    orgs["haukeland"].save()
    assert enrol(actor_of(personas["nurse"]), born_1970, datetime.date(2021, 10, 1)).is_open

    orgs["haukeland"].pathway_start_date = datetime.date(2026, 3, 1)
    orgs["haukeland"].save()
    error = refused(enrol, actor_of(personas["nurse"]), born_1970, datetime.date(2026, 2, 28), is_relapse=True)
    assert error.field == "diagnosis_date"
    assert error.messages == [
        "The date of diagnosis, 28.02.2026, is before Haukeland universitetssjukehus started the pathway on "
        "01.03.2026. The pathway is not retroactive: patients diagnosed before then are not enrolled."
    ]


def test_a_definitions_start_date_says_otherwise(nurse, born_1970, monkeypatch):
    hearing = dataclasses.replace(get_definition("hearing-draft-2021"), start_date="2021-09-01")
    real = services.get_definition
    monkeypatch.setattr(services, "get_definition", lambda key: hearing if key == hearing.key else real(key))
    enable_definition(nurse.organisation, hearing.key)
    error = refused(enrol, nurse, born_1970, datetime.date(2021, 8, 31), definition_key=hearing.key)
    assert "before the pathway began on 01.09.2021" in error.messages[0]
    assert enrol(nurse, born_1970, datetime.date(2021, 9, 1), definition_key=hearing.key).is_open
    # The national definition keeps the national start.
    assert (
        "began on 01.01.2022"
        in refused(enrol, nurse, born_1970, datetime.date(2021, 9, 1), is_relapse=True).messages[0]
    )


# A relapse ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("relapse_on", [datetime.date(2026, 1, 30), datetime.date(2026, 1, 31)])
def test_a_relapse_is_dated_after_the_open_pathways_diagnosis(nurse, born_1970, relapse_on):
    first = enrol(nurse, born_1970, datetime.date(2026, 1, 31))
    error = refused(enrol, nurse, born_1970, relapse_on, is_relapse=True)
    assert error.field == "diagnosis_date"
    assert error.messages == [
        "A relapse is dated after the diagnosis of the pathway it starts again: the open pathway's diagnosis is "
        f"dated 31.01.2026, the relapse {relapse_on:%d.%m.%Y}."
    ]
    first.refresh_from_db()
    assert first.is_open and not first.points.exclude(outcome="").exists()
    assert Enrolment.objects.count() == 1
    relapse = enrol(nurse, born_1970, datetime.date(2026, 2, 1), is_relapse=True)
    assert relapse.previous == first


# Events -------------------------------------------------------------------------------------------


def test_a_second_treatment_start_is_refused_with_the_date_already_recorded(nurse, born_1970):
    enable_definition(nurse.organisation, "hearing-draft-2021")
    enrolment = enrol(nurse, born_1970, datetime.date(2026, 9, 1), definition_key="hearing-draft-2021")
    services.record_event(nurse, enrolment, "treatment_started", datetime.date(2026, 9, 15), today=TODAY)
    hp3_window = CollaborationPoint.objects.values_list("window_opens", "window_closes").get(key="hp3")
    error = refused(
        services.record_event, nurse, enrolment, "treatment_started", datetime.date(2026, 9, 20), today=TODAY
    )
    assert error.field == "event"
    assert error.messages == [
        "“Primary cancer treatment started” is already recorded on this pathway, dated 15.09.2026; it is recorded "
        "once. If that date is wrong, record a correction on the timeline."
    ]
    assert enrolment.events.filter(kind=PathwayEvent.Kind.EVENT_RECORDED).count() == 1
    assert CollaborationPoint.objects.values_list("window_opens", "window_closes").get(key="hp3") == hp3_window


def test_an_event_before_the_diagnosis_is_refused(nurse, born_1970):
    enable_definition(nurse.organisation, "hearing-draft-2021")
    enrolment = enrol(nurse, born_1970, datetime.date(2026, 9, 1), definition_key="hearing-draft-2021")
    error = refused(
        services.record_event, nurse, enrolment, "treatment_started", datetime.date(2026, 8, 31), today=TODAY
    )
    assert error.field == "on_date"
    assert error.messages == ["The date, 31.08.2026, is before the diagnosis (01.09.2026)."]
    assert not enrolment.events.filter(kind=PathwayEvent.Kind.EVENT_RECORDED).exists()


# Through the page and the API ---------------------------------------------------------------------


def test_the_enrolment_page_shows_the_refusal_at_the_date_of_diagnosis(client_for, personas, born_1970):
    response = client_for(personas["nurse"]).post(
        f"/pathway/patients/{born_1970.public_id}/enrol/",
        {"diagnosis_date": "1960-06-01", "icd10_code": "C50.9", "treatment_intent": "curative", "offer": "accepted"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        "diagnosis_date": ["The date of diagnosis, 01.06.1960, is before the patient was born (14.03.1970)."]
    }
    assert "is before the patient was born (14.03.1970)" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_the_event_form_reports_a_second_treatment_start(client_for, actor_of, personas, born_1970):
    today = timezone.localdate()  # the page reads the clock
    diagnosed = today - datetime.timedelta(days=60)
    nurse = actor_of(personas["nurse"])
    enable_definition(nurse.organisation, "hearing-draft-2021")
    enrolment = services.enrol(
        nurse,
        born_1970,
        diagnosis_date=diagnosed,
        icd10_code="C50.9",
        treatment_intent="curative",
        definition_key="hearing-draft-2021",
        today=today,
    )
    first = diagnosed + datetime.timedelta(days=10)
    services.record_event(nurse, enrolment, "treatment_started", first, today=today)
    response = client_for(personas["nurse"]).post(
        f"/pathway/enrolments/{enrolment.public_id}/event/",
        {"event": "treatment_started", "on_date": (first + datetime.timedelta(days=5)).isoformat()},
        follow=True,
    )
    assert f"is already recorded on this pathway, dated {first:%d.%m.%Y}" in response.content.decode()
    assert enrolment.events.filter(kind=PathwayEvent.Kind.EVENT_RECORDED).count() == 1
