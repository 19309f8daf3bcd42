"""Every indicator against the hand-counted data set in conftest.world. The period is
1 January – 30 June 2025 and today is 1 March 2026.

Enrolments (municipality, hospital, diagnosed, offer):
  E1–E3 Askøy/Haukeland Jan 10, 12, 15 accepted · E4 Jan 20 declined · E5, E6 Feb 3, 10 accepted
  E7 Feb 14 not asked · E0 Askøy 20 Dec 2024 (before the period) · V1 Voss/Haukeland Mar 1
  O1 Oslo, enrolled by a hospital outside Helse Bergen, Mar 5.
"""

import pytest

from reports import indicators
from reports import scope as scopes
from reports.tests.conftest import END, START, TODAY

pytestmark = pytest.mark.django_db


def org(world, name):
    return scopes.organisation_scope(world[name])


def community(world):
    return scopes.community_scope(world["helse_bergen"])


def months(data):
    return {month.month: counts for month, counts in data.items()}


def test_patients_diagnosed_and_enrolled_by_month_and_offer(world):
    askoy = months(indicators.enrolments_by_month(org(world, "askoy"), START, END))
    assert askoy == {
        1: {"accepted": 3, "declined": 1, "not_asked": 0},
        2: {"accepted": 2, "declined": 0, "not_asked": 1},
    }
    # Haukeland enrolled the Voss patient too; the health community has the same patients.
    march = {"accepted": 1, "declined": 0, "not_asked": 0}
    assert months(indicators.enrolments_by_month(org(world, "haukeland"), START, END)) == {**askoy, 3: march}
    assert months(indicators.enrolments_by_month(community(world), START, END)) == {**askoy, 3: march}
    # All of Norway adds the Oslo patient.
    norway = months(indicators.enrolments_by_month(scopes.norway_scope(), START, END))
    assert norway[3] == {"accepted": 2, "declined": 0, "not_asked": 0}
    assert months(indicators.enrolments_by_month(org(world, "voss"), START, END)) == {3: march}


def test_points_by_outcome_and_month_the_window_closed(world):
    data = indicators.points_by_key_and_month(org(world, "haukeland"), START, END, TODAY)
    empty = dict.fromkeys(indicators.POINT_CATEGORIES, 0)
    assert set(data) == {"sp1"}
    assert months(data["sp1"]) == {
        1: {**empty, "in_window": 1},  # E0: diagnosed before the period, window closed 17 Jan
        2: {**empty, "in_window": 2, "late": 1, "not_wanted": 1},  # E1, E4 in; E2 late; E3
        3: {**empty, "in_window": 2, "cancelled": 1, "overdue": 1},  # E7, V1 in; E6; E5 open
    }
    # Askøy's municipal points: E4 declined and E7 not asked do not count; V1's closes in July.
    askoy = indicators.points_by_key_and_month(org(world, "askoy"), START, END, TODAY)
    assert months(askoy["sp2"]) == {
        5: {**empty, "in_window": 1, "late": 1, "not_wanted": 1},  # E1, E2, E3
        6: {**empty, "overdue": 1, "cancelled": 1},  # E5, E6
    }
    assert set(askoy) == {"sp2"}


def test_points_whose_window_closes_today_or_later_are_not_judged_yet(world):
    data = indicators.points_by_key_and_month(org(world, "haukeland"), START, END, today=START.replace(month=3, day=3))
    # Today 3 March: E5's window closes today, so it is not yet overdue; only Jan and Feb count.
    assert set(months(data["sp1"])) == {1, 2}


def test_days_from_diagnosis_to_the_first_point(world):
    askoy = months(indicators.days_to_first_point(org(world, "askoy"), START, END))
    assert askoy == {1: {10: 1, 39: 1, 5: 1}, 2: {0: 1}}  # E1, E2, E4; E7. E0 was diagnosed in 2024.
    haukeland = months(indicators.days_to_first_point(org(world, "haukeland"), START, END))
    assert haukeland == {**askoy, 3: {4: 1}}
    norway = months(indicators.days_to_first_point(scopes.norway_scope(), START, END))
    assert norway[3] == {4: 1, 1: 1}


def test_distress_scores_at_each_point(world):
    assert indicators.distress_by_point(org(world, "haukeland"), START, END) == {
        "sp1": {"low": 1, "middle": 2, "high": 1, "missing": 1}  # E1 2; E2 5, V1 4; E4 8; E7 none
    }
    assert indicators.distress_by_point(org(world, "askoy"), START, END) == {
        "sp2": {"low": 1, "middle": 0, "high": 1, "missing": 0}  # E1 3; E2 7
    }
    norway = indicators.distress_by_point(scopes.norway_scope(), START, END)
    assert norway["sp1"]["low"] == 2  # + O1's 1


def test_areas_patients_want_help_with(world):
    assert indicators.help_areas_by_point(org(world, "haukeland"), START, END) == {
        "topic-work": {"sp1": 3},
        "topic-finances": {"sp1": 1},
        "topic-family": {"sp1": 1},
    }
    assert indicators.help_areas_by_point(community(world), START, END) == {
        "topic-work": {"sp1": 3, "sp2": 1},
        "topic-finances": {"sp1": 1, "sp2": 1},
        "topic-family": {"sp1": 1},
    }


def test_handover_messages_acknowledged_in_time(world):
    zero = dict.fromkeys(indicators.HANDOVER_CATEGORIES, 0)
    askoy = indicators.handover_acknowledgement(org(world, "askoy"), START, END, TODAY)
    assert askoy == {
        "received": {**zero, "in_time": 1, "late": 1, "overdue": 1},
        "sent": {**zero, "waiting": 1},
    }
    haukeland = indicators.handover_acknowledgement(org(world, "haukeland"), START, END, TODAY)
    assert haukeland == {"received": {**zero, "waiting": 1}, "sent": {**zero, "in_time": 1, "late": 1, "overdue": 1}}
    norway = indicators.handover_acknowledgement(scopes.norway_scope(), START, END, TODAY)
    assert norway == {"received": {"in_time": 2, "late": 1, "overdue": 1, "waiting": 1}}


def test_bereavement_follow_ups_offered(world):
    expected = {"contacted": 1, "not_contacted": 1}
    assert indicators.bereavement_follow_ups(org(world, "askoy"), START, END) == expected
    assert indicators.bereavement_follow_ups(org(world, "haukeland"), START, END) == expected
    assert indicators.bereavement_follow_ups(org(world, "voss"), START, END) == {"contacted": 0, "not_contacted": 0}


def test_municipalities_of_the_health_community(world):
    ids = {world["askoy"].pk, world["voss"].pk}
    assert indicators.enrolments_by_municipality(ids, START, END) == {
        world["askoy"].pk: {"enrolled": 7, "accepted": 5},
        world["voss"].pk: {"enrolled": 1, "accepted": 1},
    }
    assert indicators.municipal_points_by_municipality(ids, START, END, TODAY) == {
        world["askoy"].pk: {"judged": 5, "in_window": 1}
    }
