"""Requests for the pathway at once, each on its own database connection: two identical requests
from one person (a double submit, two tabs) store one and tell the other it is already asked
(the partial unique constraint); two answers to one request (two coordinators) store one and
refuse the other (the row lock and the re-check of the status)."""

import datetime

import pytest

from conftest import synthetic_id
from portal import pathway_requests
from portal.models import PathwayRequest
from portal.persons import lookup
from testsupport.races import race, winner_and_loser

pytest_plugins = ["testsupport.browser"]  # national_directory
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("national_directory")]

PERSON = synthetic_id(datetime.date(1971, 4, 5))


def ask(orgs):
    return pathway_requests.create(
        lookup(PERSON),
        municipality=orgs["askoy"],
        name="Per Spør",
        message="Hei",
        phone="91234567",
        email="",
        language="nb",
    )


def test_two_identical_requests_at_once_store_one(orgs):
    won, lost = winner_and_loser(race(lambda: ask(orgs), lambda: ask(orgs)))

    assert isinstance(won, PathwayRequest)
    assert isinstance(lost, pathway_requests.RequestRefused)
    assert "Askøy" in " ".join(lost.messages)
    assert PathwayRequest.objects.filter(national_id=PERSON).count() == 1


def test_two_answers_at_once_store_one(orgs, personas, actor_of):
    row = ask(orgs)
    first, second = actor_of(personas["coordinator"]), actor_of(personas["admin"])

    won, lost = winner_and_loser(
        race(
            lambda: pathway_requests.answer(first, row.public_id, status="enrolled", note="Velkommen."),
            lambda: pathway_requests.answer(second, row.public_id, status="declined", note="Nei."),
        )
    )

    assert isinstance(lost, pathway_requests.RequestRefused)
    row.refresh_from_db()
    assert (row.status, row.answer_note) == (won.status, won.answer_note)
