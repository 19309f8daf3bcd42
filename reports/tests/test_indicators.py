"""Every indicator against the hand-counted data set in conftest.world, through the monthly
figures (computed as of 1 March 2026) read back for a scope. The period is January – June 2025.

Enrolments (municipality, hospital, diagnosed, offer):
  E1–E3 Askøy/Haukeland Jan 10, 12, 15 accepted · E4 Jan 20 declined · E5, E6 Feb 3, 10 accepted
  E7 Feb 14 not asked · E0 Askøy 20 Dec 2024 (before the period) · V1 Voss/Haukeland Mar 1
  O1 Oslo, enrolled by a hospital outside Helse Bergen, Mar 5.
"""

import pytest

from reports import figures, indicators
from reports import scope as scopes
from reports.tests.conftest import END, START

pytestmark = pytest.mark.django_db


def org(world, name):
    return scopes.organisation_scope(world[name])


def community(world):
    return scopes.community_scope(world["helse_bergen"])


def months(data):
    return {month.month: counts for month, counts in data.items()}


def test_patients_diagnosed_and_enrolled_by_month_and_offer(world):
    askoy = months(indicators.load(org(world, "askoy"), START, END).enrolments_by_month())
    assert askoy == {
        1: {"accepted": 3, "declined": 1, "not_asked": 0},
        2: {"accepted": 2, "declined": 0, "not_asked": 1},
    }
    # Haukeland enrolled the Voss patient too; the health community has the same patients.
    march = {"accepted": 1, "declined": 0, "not_asked": 0}
    assert months(indicators.load(org(world, "haukeland"), START, END).enrolments_by_month()) == {**askoy, 3: march}
    assert months(indicators.load(community(world), START, END).enrolments_by_month()) == {**askoy, 3: march}
    # All of Norway adds the Oslo patient.
    norway = months(indicators.load(scopes.norway_scope(), START, END).enrolments_by_month())
    assert norway[3] == {"accepted": 2, "declined": 0, "not_asked": 0}
    assert months(indicators.load(org(world, "voss"), START, END).enrolments_by_month()) == {3: march}


def test_points_by_outcome_and_month_the_window_closed(world):
    data = indicators.load(org(world, "haukeland"), START, END).points_by_key_and_month()
    empty = dict.fromkeys(indicators.POINT_CATEGORIES, 0)
    assert set(data) == {"sp1"}
    assert months(data["sp1"]) == {
        1: {**empty, "in_window": 1},  # E0: diagnosed before the period, window closed 17 Jan
        2: {**empty, "in_window": 2, "late": 1, "not_wanted": 1},  # E1, E4 in; E2 late; E3
        3: {**empty, "in_window": 2, "cancelled": 1, "overdue": 1},  # E7, V1 in; E6; E5 open
    }
    # Askøy's municipal points: E4 declined and E7 not asked do not count; V1's closes in July.
    askoy = indicators.load(org(world, "askoy"), START, END).points_by_key_and_month()
    assert months(askoy["sp2"]) == {
        5: {**empty, "in_window": 1, "late": 1, "not_wanted": 1},  # E1, E2, E3
        6: {**empty, "overdue": 1, "cancelled": 1},  # E5, E6
    }
    assert set(askoy) == {"sp2"}


def test_points_whose_window_closes_today_or_later_are_not_judged_yet(world):
    figures.refresh(START.replace(month=3, day=3))
    data = indicators.load(org(world, "haukeland"), START, END).points_by_key_and_month()
    # Today 3 March: E5's window closes today, so it is not yet overdue; only Jan and Feb count.
    assert set(months(data["sp1"])) == {1, 2}


def test_days_from_diagnosis_to_the_first_point(world):
    askoy = months(indicators.load(org(world, "askoy"), START, END).days_to_first_point())
    assert askoy == {1: {10: 1, 39: 1, 5: 1}, 2: {0: 1}}  # E1, E2, E4; E7. E0 was diagnosed in 2024.
    haukeland = months(indicators.load(org(world, "haukeland"), START, END).days_to_first_point())
    assert haukeland == {**askoy, 3: {4: 1}}
    norway = months(indicators.load(scopes.norway_scope(), START, END).days_to_first_point())
    assert norway[3] == {4: 1, 1: 1}


def test_distress_scores_at_each_point(world):
    assert indicators.load(org(world, "haukeland"), START, END).distress_by_point() == {
        "sp1": {"low": 1, "middle": 2, "high": 1, "missing": 1}  # E1 2; E2 5, V1 4; E4 8; E7 none
    }
    assert indicators.load(org(world, "askoy"), START, END).distress_by_point() == {
        "sp2": {"low": 1, "middle": 0, "high": 1, "missing": 0}  # E1 3; E2 7
    }
    norway = indicators.load(scopes.norway_scope(), START, END).distress_by_point()
    assert norway["sp1"]["low"] == 2  # + O1's 1


def test_areas_patients_want_help_with(world):
    assert indicators.load(org(world, "haukeland"), START, END).help_areas_by_point() == {
        "topic-work": {"sp1": 3},
        "topic-finances": {"sp1": 1},
        "topic-family": {"sp1": 1},
    }
    assert indicators.load(community(world), START, END).help_areas_by_point() == {
        "topic-work": {"sp1": 3, "sp2": 1},
        "topic-finances": {"sp1": 1, "sp2": 1},
        "topic-family": {"sp1": 1},
    }


def test_handover_messages_acknowledged_in_time(world):
    zero = dict.fromkeys(indicators.HANDOVER_CATEGORIES, 0)
    askoy = indicators.load(org(world, "askoy"), START, END).handover_acknowledgement()
    assert askoy == {
        "received": {**zero, "in_time": 1, "late": 1, "overdue": 1},
        "sent": {**zero, "waiting": 1},
    }
    haukeland = indicators.load(org(world, "haukeland"), START, END).handover_acknowledgement()
    assert haukeland == {"received": {**zero, "waiting": 1}, "sent": {**zero, "in_time": 1, "late": 1, "overdue": 1}}
    norway = indicators.load(scopes.norway_scope(), START, END).handover_acknowledgement()
    assert norway == {"received": {"in_time": 2, "late": 1, "overdue": 1, "waiting": 1}}


def test_bereavement_follow_ups_offered(world):
    expected = {"contacted": 1, "not_contacted": 1}
    assert indicators.load(org(world, "askoy"), START, END).bereavement_follow_ups() == expected
    assert indicators.load(org(world, "haukeland"), START, END).bereavement_follow_ups() == expected
    assert indicators.load(org(world, "voss"), START, END).bereavement_follow_ups() == {
        "contacted": 0,
        "not_contacted": 0,
    }


def test_municipalities_of_the_health_community(world):
    patients, points = indicators.municipalities({world["askoy"].pk, world["voss"].pk}, START, END)
    assert patients == {
        world["askoy"].pk: {"enrolled": 7, "accepted": 5},
        world["voss"].pk: {"enrolled": 1, "accepted": 1},
    }
    assert points == {world["askoy"].pk: {"judged": 5, "in_window": 1}}


def test_the_figures_hold_counts_per_organisation_and_month_only(world):
    from reports.models import MonthlyFigure

    assert set(MonthlyFigure.objects.values_list("measure", flat=True)) == {
        "enrolment", "point", "first_point", "distress", "help_area", "handover", "bereavement"
    }  # fmt: skip
    fields = {f.name for f in MonthlyFigure._meta.get_fields()}
    assert fields == {"id", "month", "measure", "key", "category", "organisation", "other_organisation", "count"}
