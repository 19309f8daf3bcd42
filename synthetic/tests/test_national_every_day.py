"""The national generator's choices for a period ending on every day of a whole year (and a leap
day): the last month is cut at the end date, nothing happens after it, diagnoses fall on weekdays
and every acknowledgement deadline is a working day."""

import datetime

import pytest

from handover import rules
from synthetic.national import reference, rows, writer
from testsupport.calendar_year import EVERY_DAY

SEED = 7
SCALE = 0.002  # a handful of patients a month


def _column(table, name):
    return rows.COLUMNS[table].index(name)


def _day(value):
    return datetime.date.fromisoformat(value[:10])


def test_a_month_ends_on_the_end_date_or_its_last_day():
    for end in EVERY_DAY:
        assert rows.month_days(end.year, end.month, end) == (end.replace(day=1), end)
        before = end.replace(day=1) - datetime.timedelta(days=1)
        assert rows.month_days(before.year, before.month, end) == (before.replace(day=1), before)


@pytest.mark.django_db
def test_the_last_month_for_every_end_date_stops_at_it():
    ctx = reference.prepare(SEED)
    ids, used = writer.id_blocks(), set()
    diagnosis = _column("enrolment", "diagnosis_date")
    created = _column("message", "created_at")
    delivered = _column("message", "delivered_at")
    acknowledged = _column("message", "acknowledged_at")
    acknowledge_by = _column("message", "acknowledge_by")
    patients = messages = 0
    for end in EVERY_DAY:
        built = rows.build_month(ctx, SEED, end.year, end.month, end, SCALE, ids, used)
        first = end.replace(day=1)
        any_weekday = any((first + datetime.timedelta(days=n)).weekday() < 5 for n in range(end.day))
        for row in built.tables["enrolment"]:
            day = _day(row[diagnosis])
            assert first <= day <= end, (end, day)
            assert day.weekday() < 5 or not any_weekday, (end, day)
        for row in built.tables["message"]:
            for index in (created, delivered, acknowledged):
                assert row[index] is None or _day(row[index]) <= end, (end, row[index])
            if row[acknowledge_by]:
                assert rules.is_working_day(_day(row[acknowledge_by])), (end, row[acknowledge_by])
        patients += len(built.tables["enrolment"])
        messages += len(built.tables["message"])
    assert patients > 366 and messages > 100
