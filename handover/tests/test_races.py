"""One winner in every race, for the handover: two acknowledgements of one message, and two
completions of one assessment, at once on two database connections (see handover/tests/test_pathway_races.py)."""

from collections import Counter

import pytest

from assessment import services as assessment
from assessment.models import Assessment
from handover import outbox, services
from handover.models import HandoverMessage
from pathway.models import CollaborationPoint, PathwayEvent
from pathway.services import HandoverChoice, PathwayConflict
from testsupport.races import race, winner_and_loser

pytest_plugins = ["testsupport.browser"]  # national_directory: the directory around the flush
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("national_directory")]

Event = PathwayEvent.Kind


def read_message(message):
    """A message as a request reads it (its own copy)."""
    return HandoverMessage.objects.select_related("enrolment__patient", "point", "sender", "recipient").get(
        pk=message.pk
    )


def test_two_acknowledgements_of_one_message_acknowledge_it_once(sp1_assessment, complete, actor_of, personas):
    complete(sp1_assessment)
    outbox.deliver_due()
    delivered = HandoverMessage.objects.get(reason="municipality")
    coordinator = actor_of(personas["coordinator"])
    first, second = read_message(delivered), read_message(delivered)

    won, lost = winner_and_loser(
        race(lambda: services.acknowledge(coordinator, first), lambda: services.acknowledge(coordinator, second))
    )

    assert isinstance(lost, PathwayConflict)
    assert lost.messages[0].startswith(f"This message was already acknowledged by {personas['coordinator'].first_name}")
    assert HandoverMessage.objects.get(pk=delivered.pk).acknowledged_by == personas["coordinator"]
    assert PathwayEvent.objects.filter(kind=Event.HANDOVER_ACKNOWLEDGED).count() == 1


def test_two_completions_of_one_assessment_hand_over_once(sp1_assessment, actor_of, personas, orgs):
    nurse = actor_of(personas["nurse"])
    copies = [Assessment.objects.select_related("point__enrolment__patient").get(pk=sp1_assessment.pk) for _ in "ab"]

    won, lost = winner_and_loser(
        race(*(lambda a=a: assessment.complete_assessment(nurse, a, handover=HandoverChoice()) for a in copies))
    )

    assert isinstance(lost, PathwayConflict)
    assert lost.messages == ["The assessment is already completed."]
    point = CollaborationPoint.objects.get(pk=sp1_assessment.point_id)
    assert point.outcome == CollaborationPoint.Outcome.COMPLETED
    assert PathwayEvent.objects.filter(kind=Event.POINT_COMPLETED).count() == 1
    received = Counter(HandoverMessage.objects.filter(point=point).values_list("recipient__name", flat=True))
    assert received == {orgs["askoy"].name: 1, orgs["gp_office"].name: 1}
