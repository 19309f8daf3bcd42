"""The demo's properties hold whatever day it is built for: a sample of days around a whole year
(loading the demo takes seconds, so not all 366): every weekday, weekends, public holidays
(Easter, 17 May, Christmas), the days around them and month and year ends, and a leap day.
Each load takes several seconds (more on PostgreSQL), so the sample is kept to eleven days; the
pure rules are tested on every day of the year (test_*_every_day.py)."""

import datetime

import pytest
from django.utils import timezone

from synthetic.tests import demo_properties as properties
from testsupport import clock

SAMPLE_DAYS = [
    datetime.date(2026, 12, 6),  # Sunday (the day the suite first failed)
    datetime.date(2026, 12, 24),  # Christmas Eve, Thursday
    datetime.date(2026, 12, 31),  # New Year's Eve, Thursday
    datetime.date(2027, 1, 1),  # New Year's Day, Friday
    datetime.date(2027, 3, 28),  # Easter Sunday
    datetime.date(2027, 3, 29),  # Easter Monday
    datetime.date(2027, 5, 17),  # Constitution Day, Monday
    datetime.date(2027, 6, 30),  # Wednesday, half-year end
    datetime.date(2027, 7, 13),  # Tuesday, summer
    datetime.date(2027, 12, 25),  # Christmas Day, Saturday
    datetime.date(2028, 2, 29),  # leap day, Tuesday
]


def test_the_sample_has_every_weekday():
    assert {day.weekday() for day in SAMPLE_DAYS} == set(range(7))


@pytest.mark.parametrize("day", SAMPLE_DAYS, ids=str)
def test_the_demo_built_for_any_day_has_its_properties(day, db, pinned_clock, client):
    pinned_clock.move_to(clock.moment(day))
    properties.quietly("load_demo", "--today", day.isoformat())
    properties.regions_roles_and_relatives()
    properties.contact_persons_and_a_move()
    properties.every_clinical_login_sees_its_patients()
    properties.answers_from_home_and_completed_assessments()
    properties.every_number_synthetic()
    properties.handover_messages_in_every_state(day, timezone.now())
    properties.the_analyst_has_a_report_with_real_volumes(client)
    properties.built_around(day)
    properties.example_pathways_on_the_worklists(client, day)
    properties.built_through_the_products_rules()
