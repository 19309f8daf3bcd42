"""One winner in every race, through the API: two record systems' requests at once, each on its
own database connection (see handover/tests/test_pathway_races.py). The loser gets 409 Conflict with an
OperationOutcome that says why; a conditional create that loses gets the winner's resource."""

import datetime
import logging
import threading
from collections import Counter

import pytest
from django.db import connection
from django.test import Client

from conftest import synthetic_id
from fhir_api.mapping.common import FNR
from fhir_api.resources.pathway import enrolment_writes  # (the writes are imported through the resources)
from fhir_api.tests.conftest import FhirClient, token_for
from fhir_api.tests.test_enrolment import contained_patient, episode
from handover.models import HandoverMessage
from pathway.models import CollaborationPoint, Enrolment, PathwayEvent
from patients.models import Patient
from testsupport.races import race

pytest_plugins = ["testsupport.browser"]  # national_directory: the directory around the flush
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("national_directory")]

Event = PathwayEvent.Kind


@pytest.fixture
def two_hospital_systems(systems):
    """Two connections of the hospital's record system, each with its own HTTP client."""
    return [FhirClient(Client(), token_for(systems["hospital"])) for _ in range(2)]


def test_two_completions_of_one_task_complete_it_once_and_the_other_is_409(two_hospital_systems, enrolment, orgs):
    sp1 = enrolment.points.get(key="sp1")
    completed = [{"op": "replace", "path": "/status", "value": "completed"}]

    answers = race(*(lambda api=api: api.patch(f"Task/{sp1.public_id}", completed) for api in two_hospital_systems))

    assert sorted(a.status_code for a in answers) == [200, 409], [a.json for a in answers]
    refused = next(a for a in answers if a.status_code == 409)
    assert refused.json["resourceType"] == "OperationOutcome"
    assert refused.json["issue"][0]["code"] == "conflict"
    assert refused.diagnostics == "This collaboration point is already closed: completed."
    assert CollaborationPoint.objects.get(pk=sp1.pk).outcome == CollaborationPoint.Outcome.COMPLETED
    assert PathwayEvent.objects.filter(kind=Event.POINT_COMPLETED).count() == 1
    received = Counter(HandoverMessage.objects.filter(point=sp1).values_list("recipient__name", flat=True))
    assert received == {orgs["askoy"].name: 1, orgs["gp_office"].name: 1}


@pytest.fixture
def both_looked_before_registering(monkeypatch):
    """On PostgreSQL, hold each request after it found no such patient until the other has looked
    too, so that both try to register the person (the clash the unique national id settles). On
    SQLite the second request cannot look before the first commits (IMMEDIATE transactions)."""
    if connection.vendor != "postgresql":
        return
    looked = threading.Barrier(2)
    register = enrolment_writes._register

    def after_both_looked(context, contained, parsed):
        looked.wait(30)
        return register(context, contained, parsed)

    monkeypatch.setattr(enrolment_writes, "_register", after_both_looked)


def test_two_identical_conditional_creates_enrol_once_and_both_get_the_enrolment(
    two_hospital_systems, both_looked_before_registering, orgs, caplog
):
    number = synthetic_id(datetime.date(1970, 3, 4))
    contained = contained_patient(number, "Siri", "Samtidig")
    body = episode({"reference": "#p"}, contained=[contained])
    diagnosed = body["contained"][0]["onsetDateTime"]
    criteria = f"patient.identifier={FNR}|{number}&diagnosis-code=C50.9&diagnosis-date={diagnosed}"

    with caplog.at_level(logging.INFO):
        answers = race(
            *(
                lambda api=api: api.post("EpisodeOfCare", body, HTTP_IF_NONE_EXIST=criteria)
                for api in two_hospital_systems
            )
        )

    assert sorted(a.status_code for a in answers) == [200, 201], [a.json for a in answers]
    assert answers[0].json["id"] == answers[1].json["id"]
    assert Patient.objects.filter(national_id=number).count() == 1
    assert Enrolment.objects.count() == 1
    assert PathwayEvent.objects.filter(kind=Event.ENROLLED).count() == 1
    logged = " ".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert number not in logged and "Samtidig" not in logged and "DETAIL" not in logged
