"""No definition leaves a pathway waiting for ever: every path through both shipped definitions.

A path closes the points in their order, each as completed, not wanted or cancelled (every
sequence of outcomes), with the definition's events recorded before any point, part-way or never.
After every step, every open point has a window, or waits for an event not recorded yet, or waits
for a point that is itself still open; once every point is closed the pathway has ended.

The schedule-level walk covers every position of the events without a database; the service-level
walk goes through pathway.services (closing each branch in a savepoint that is rolled back, so the
whole tree of outcomes costs one close per node).
"""

import datetime
import itertools

import pytest
from django.db import transaction

from pathway import services
from pathway.definitions import all_definitions, get_definition
from pathway.models import CollaborationPoint, Enrolment, PathwayEvent
from pathway.schedule import ANCHOR_EVENT, ANCHOR_POINT, OUTCOMES, anchor_dates, schedule
from testsupport.enrolling import enable_definition

DIAGNOSIS = datetime.date(2024, 1, 31)
TODAY = datetime.date(2026, 11, 23)
DEFINITION_KEYS = sorted(all_definitions())


def step_date(step):
    """The date of the n-th step of a path: a few weeks apart, all after the diagnosis."""
    return DIAGNOSIS + datetime.timedelta(days=17 * (step + 1))


def stranded(definition, windows, outcomes, events):
    """Open points with no window whose anchor has already happened: they would wait for ever."""
    found = []
    for point in definition.points:
        if point.key in outcomes or windows.get(point.key):
            continue
        anchor = point.anchor
        if anchor.kind == ANCHOR_EVENT and anchor.ref not in events:
            continue  # waits for an event that may still be recorded
        if anchor.kind == ANCHOR_POINT and anchor.ref not in outcomes:
            continue  # waits for a point that is still open
        found.append(point.key)
    return found


def event_positions(definition):
    """Record every event before the first close, after each close, or never (None)."""
    if not definition.events:
        return [None]
    return [*range(len(definition.points) + 1), None]


def test_both_shipped_definitions_are_walked():
    assert {"national-2022", "hearing-draft-2021"} <= set(DEFINITION_KEYS)


def test_the_old_rule_strands_the_hearing_drafts_points_4_and_5():
    """The check below can fail: counted from completions only, a point 3 not wanted strands 4 and 5."""
    hearing = get_definition("hearing-draft-2021")
    events = {"treatment_started": step_date(0)}
    outcomes = {"hp1": ("completed", step_date(1)), "hp2": ("completed", step_date(2))}
    outcomes["hp3"] = ("not_wanted", step_date(3))
    only_completed = {key: day for key, (outcome, day) in outcomes.items() if outcome == "completed"}
    windows = schedule(hearing, DIAGNOSIS, events, only_completed)
    assert stranded(hearing, windows, outcomes, events) == ["hp4", "hp5"]
    windows = schedule(hearing, DIAGNOSIS, events, anchor_dates(outcomes))
    assert stranded(hearing, windows, outcomes, events) == []
    assert windows["hp4"] == (datetime.date(2024, 6, 8), datetime.date(2024, 8, 8))  # from 8 April, not wanted


@pytest.mark.parametrize("key", DEFINITION_KEYS)
def test_every_path_through_the_schedule_leaves_no_point_stranded(key):
    definition = get_definition(key)
    walked = 0
    for events_at in event_positions(definition):
        for path in itertools.product(OUTCOMES, repeat=len(definition.points)):
            windows, outcomes, events = {}, {}, {}
            steps = [("close", point.key, outcome) for point, outcome in zip(definition.points, path, strict=True)]
            if events_at is not None:
                steps[events_at:events_at] = [("event", event.key, None) for event in definition.events]
            for number, (kind, name, outcome) in enumerate(steps):
                if kind == "event":
                    events[name] = step_date(number)
                else:
                    outcomes[name] = (outcome, step_date(number))
                # As the services do: a waiting, open point gets its window once its anchor is known.
                for point_key, window in schedule(definition, DIAGNOSIS, events, anchor_dates(outcomes)).items():
                    if window and point_key not in windows and point_key not in outcomes:
                        windows[point_key] = window
                assert stranded(definition, windows, outcomes, events) == [], (key, steps[: number + 1])
            walked += 1
    assert walked == len(event_positions(definition)) * 3 ** len(definition.points)


# Through the services ------------------------------------------------------------------------


class _Undo(Exception):
    """Rolls a branch's savepoint back."""


def _assert_nothing_stranded(enrolment_pk, definition, path):
    enrolment = Enrolment.objects.get(pk=enrolment_pk)
    points = {p.key: p for p in enrolment.points.all()}
    recorded = PathwayEvent.objects.filter(enrolment=enrolment, kind=PathwayEvent.Kind.EVENT_RECORDED)
    events = {e.data["event"]: e.on_date for e in recorded}
    outcomes = {key: (p.outcome, p.outcome_on) for key, p in points.items() if p.outcome}
    windows = {key: (p.window_opens, p.window_closes) for key, p in points.items() if p.window_opens}
    assert stranded(definition, windows, outcomes, events) == [], path
    for point_def in definition.points:  # a point counted from another is counted from its outcome date
        point = points[point_def.key]
        if point_def.anchor.kind == ANCHOR_POINT and point_def.anchor.ref in outcomes and point.window_opens:
            expected = schedule(definition, DIAGNOSIS, events, anchor_dates(outcomes))[point_def.key]
            assert (point.window_opens, point.window_closes) == expected, path
    if outcomes.keys() == points.keys():
        assert enrolment.end_reason == Enrolment.EndReason.COMPLETED and not enrolment.is_open, path
        assert enrolment.events.filter(kind=PathwayEvent.Kind.COMPLETED).count() == 1, path
    else:
        assert enrolment.is_open, path


@pytest.mark.parametrize("key", DEFINITION_KEYS)
def test_every_path_through_the_services_leaves_no_point_waiting_for_ever(key, actor_of, personas, patient):
    definition = get_definition(key)
    nurse, coordinator = actor_of(personas["nurse"]), actor_of(personas["coordinator"])
    # The patient's municipality holds its home services' and nursing home's points where the
    # directory lists neither.
    actors = {"hospital": nurse, "municipality": coordinator, "home_services": coordinator, "nursing_home": coordinator}
    enable_definition(nurse.organisation, key)
    enrolment = services.enrol(
        nurse,
        patient,
        diagnosis_date=DIAGNOSIS,
        icd10_code="C50.9",
        treatment_intent="curative",
        definition_key=key,
        today=TODAY,
    )
    leaves = []

    def walk(depth, events_at, path):
        if depth == events_at:
            for event in definition.events:
                services.record_event(
                    nurse, Enrolment.objects.get(pk=enrolment.pk), event.key, step_date(depth), today=TODAY
                )
            path = (*path, "events")
        _assert_nothing_stranded(enrolment.pk, definition, path)
        if depth == len(definition.points):
            leaves.append(path)
            return
        point_def = definition.points[depth]
        for outcome in OUTCOMES:
            try:
                with transaction.atomic():
                    point = CollaborationPoint.objects.get(enrolment_id=enrolment.pk, key=point_def.key)
                    services.close_point(
                        actors[point_def.care_level],
                        point,
                        outcome,
                        on_date=step_date(depth),
                        # a cancellation states why, and so does a completion before the answer to the offer
                        reason="Changed plans" if outcome in ("cancelled", "completed") else "",
                        today=TODAY,
                    )
                    walk(depth + 1, events_at, (*path, f"{point_def.key}:{outcome}"))
                    raise _Undo
            except _Undo:
                pass

    # Events before any point, or never (the hearing draft's treatment may never start: its points
    # 2 and 3 are then closed while they wait). Every other position is walked by the schedule test.
    positions = [0, None] if definition.events else [None]
    for events_at in positions:
        try:
            with transaction.atomic():
                walk(0, events_at, ())
                raise _Undo
        except _Undo:
            pass
    assert len(leaves) == len(positions) * 3 ** len(definition.points)


def test_the_migration_releases_points_stranded_by_the_old_rule(actor_of, personas, patient):
    """An open hearing-draft pathway whose point 3 was not wanted before the rule changed: points 4
    and 5 had no window. The data migration gives them the windows the services now give."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("pathway.migrations.0007_release_stranded_points")
    nurse, coordinator = actor_of(personas["nurse"]), actor_of(personas["coordinator"])
    enable_definition(nurse.organisation, "hearing-draft-2021")
    enrolment = services.enrol(
        nurse,
        patient,
        diagnosis_date=DIAGNOSIS,
        icd10_code="C50.9",
        treatment_intent="curative",
        definition_key="hearing-draft-2021",
        today=TODAY,
    )
    services.record_event(nurse, enrolment, "treatment_started", step_date(0), today=TODAY)
    hp3 = enrolment.points.get(key="hp3")
    services.close_point(coordinator, hp3, "not_wanted", on_date=step_date(3), today=TODAY)
    released = {p.key: (p.window_opens, p.window_closes) for p in enrolment.points.filter(key__in=["hp4", "hp5"])}
    # As it was before: stranded, with no timeline entry.
    enrolment.points.filter(key__in=["hp4", "hp5"]).update(window_opens=None, window_closes=None)
    scheduled = enrolment.events.filter(kind=PathwayEvent.Kind.POINT_SCHEDULED, point__key__in=["hp4", "hp5"])
    scheduled.delete()

    migration.release_stranded_points(apps, None)
    assert {
        p.key: (p.window_opens, p.window_closes) for p in enrolment.points.filter(key__in=["hp4", "hp5"])
    } == released
    assert released["hp4"][0] == datetime.date(2024, 6, 8)  # two months after 8 April, the day it was not wanted
    assert scheduled.count() == 2
    migration.release_stranded_points(apps, None)  # again: nothing more to do
    assert scheduled.count() == 2
