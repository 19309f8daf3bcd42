"""Two corrections of one completion at once, on two database connections (two tabs, a double
click): one wins, the other is told the completion was corrected just now, and each receiver has
one replacement (see testsupport/races.py)."""

from collections import Counter

import pytest

from handover import corrections
from handover.models import HandoverMessage
from pathway.models import CollaborationPoint, PathwayEvent
from pathway.services import PathwayConflict
from testsupport.races import race, winner_and_loser

pytest_plugins = ["testsupport.browser"]  # national_directory: the directory around the flush
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("national_directory")]


def test_two_corrections_at_once_give_one_winner_and_a_clear_answer(
    sp1_assessment, complete, actor_of, personas, orgs, today
):
    complete(sp1_assessment)
    nurse = actor_of(personas["nurse"])
    copies = [
        CollaborationPoint.objects.select_related("enrolment__patient").get(pk=sp1_assessment.point_id) for _ in "ab"
    ]
    seen = corrections.corrections_made(copies[0])

    def correct(point, place):
        return corrections.correct_completion(nurse, point, on_date=today, place=place, reason="Wrong room.", seen=seen)

    won, lost = winner_and_loser(race(lambda: correct(copies[0], "Room 4"), lambda: correct(copies[1], "Room 5")))

    assert isinstance(lost, PathwayConflict)
    assert lost.messages[0].startswith("The completion was corrected just now")
    point = CollaborationPoint.objects.get(pk=sp1_assessment.point_id)
    assert point.place == won[0].content["point"]["place"]
    assert PathwayEvent.objects.filter(kind=PathwayEvent.Kind.CORRECTION, point=point).count() == 1
    standing = HandoverMessage.objects.filter(point=point, entered_in_error_at__isnull=True)
    assert Counter(standing.values_list("recipient__name", flat=True)) == {
        orgs["askoy"].name: 1,
        orgs["gp_office"].name: 1,
    }
    assert HandoverMessage.objects.filter(point=point, entered_in_error_at__isnull=False).count() == 2
