"""One winner in every race, on the assessment page: two coordinators complete the same assessment
at once, each on its own database connection (see handover/tests/test_pathway_races.py). One
completes it; the other is sent back to the page, which shows the assessment completed and says
why. Completing writes handover messages, so the test lives with the handover app's."""

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import Role
from assessment import services
from assessment.models import Assessment
from assessment.tests import factories
from assessment.tests.test_pages import page_url, posted_answers
from conftest import make_user
from handover.models import HandoverMessage
from pathway.models import PathwayEvent
from testsupport.confirming import token_of
from testsupport.races import race

pytest_plugins = ["testsupport.browser"]  # national_directory: the directory around the flush
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("national_directory")]

REFUSED = (
    "The assessment is completed and can no longer be changed.",  # the loser's draft save came second
    "The assessment is already completed.",  # the loser's completion came second
)


@pytest.fixture
def sp2(actor_of, personas, patient):
    """The first municipal point (Askøy is responsible) of the patient the hospital nurse enrolled
    about 100 days after the diagnosis, offer accepted (as assessment/tests/conftest.py makes it;
    this directory's `enrolment` is another)."""
    return factories.enrol(actor_of(personas["nurse"]), patient).points.get(key="sp2")


def test_two_coordinators_completing_one_assessment_complete_it_once(actor_of, personas, orgs, sp2):
    coordinator = actor_of(personas["coordinator"])
    record = services.start_assessment(coordinator, sp2)
    clients = []
    for name in ("coordinator-a", "coordinator-b"):
        client = Client()
        client.force_login(make_user(name, orgs["askoy"], Role.MUNICIPAL_COORDINATOR))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        clients.append(client)
    data = {**posted_answers(Assessment.objects.get(pk=record.pk), summary="Talked about work."), "step": "complete"}

    # Both see what will happen (the first POST), then both confirm at once (the second).
    tokens = [token_of(c.post(page_url(sp2), data)) for c in clients]
    assert all(tokens)
    answers = race(
        *(
            lambda c=c, t=t: c.post(page_url(sp2), {**data, "confirmation": t})
            for c, t in zip(clients, tokens, strict=True)
        )
    )

    assert [a.status_code for a in answers] == [302, 302]
    pages = [c.get(page_url(sp2)).content.decode() for c in clients]
    assert sorted("The assessment is completed, and so is the collaboration point." in p for p in pages) == [
        False,
        True,
    ]
    assert sorted(any(message in p for message in REFUSED) for p in pages) == [False, True]
    assert PathwayEvent.objects.filter(kind=PathwayEvent.Kind.POINT_COMPLETED).count() == 1
    assert PathwayEvent.objects.filter(kind=PathwayEvent.Kind.HANDOVER_SENT).count() == 1
    recipients = list(HandoverMessage.objects.filter(point=sp2).values_list("recipient_id", flat=True))
    assert recipients and len(recipients) == len(set(recipients)), "a receiver got the handover twice"


def test_two_starts_of_one_assessment_make_one_record(actor_of, personas, sp2):
    """Two coordinators open the assessment of a point at once: one record, which both get (on
    PostgreSQL the second used to hit the one-assessment-per-point constraint: a 500)."""
    coordinator = actor_of(personas["coordinator"])

    first, second = race(*(lambda: services.start_assessment(coordinator, sp2) for _ in range(2)))

    assert not isinstance(first, Exception) and not isinstance(second, Exception), (first, second)
    assert first.pk == second.pk
    assert Assessment.objects.filter(point=sp2).count() == 1
