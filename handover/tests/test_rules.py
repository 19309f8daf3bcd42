"""Working days, back-off and who receives a hand-over: pure rules, no database."""

import datetime

import pytest

from handover import rules
from handover.rules import Recipient


@pytest.mark.parametrize(
    "start, days, expected",
    [
        (datetime.date(2026, 11, 23), 3, datetime.date(2026, 11, 26)),  # Monday → Thursday
        (datetime.date(2026, 11, 26), 3, datetime.date(2026, 12, 1)),  # Thursday → over the weekend
        (datetime.date(2026, 12, 23), 3, datetime.date(2026, 12, 29)),  # 24th works; Christmas Day does not
        (datetime.date(2026, 4, 1), 1, datetime.date(2026, 4, 7)),  # Maundy Thursday to Easter Monday
        (datetime.date(2026, 5, 15), 1, datetime.date(2026, 5, 18)),  # 17 May is a Sunday that year
        (datetime.date(2027, 5, 14), 1, datetime.date(2027, 5, 18)),  # 17 May 2027 is a Monday
    ],
)
def test_working_days_skip_weekends_and_norwegian_public_holidays(start, days, expected):
    assert rules.add_working_days(start, days) == expected


def test_the_retry_delay_doubles_and_is_capped():
    delays = [rules.retry_delay(n, base_seconds=60, max_seconds=600).total_seconds() for n in range(1, 7)]
    assert delays == [60, 120, 240, 480, 600, 600]


def recipients(**kwargs):
    values = {
        "care_level": "hospital",
        "municipality_id": 1,
        "gp_office_id": 2,
        "extra_ids": [],
        "sharing_declined": False,
        "sender_ids": {10},
    }
    return rules.point_recipients(**{**values, **kwargs})


def test_the_hospitals_point_goes_to_the_municipality_and_the_gp():
    assert recipients() == [Recipient(1, "municipality"), Recipient(2, "gp")]


def test_a_municipal_point_goes_to_the_gp_and_those_chosen():
    assert recipients(care_level="municipality", sender_ids={1}, extra_ids=[10]) == [
        Recipient(2, "gp"),
        Recipient(10, "chosen"),
    ]


def test_nobody_gets_it_twice_and_the_sender_never():
    assert recipients(extra_ids=[1, 2, 10, 11, 11]) == [
        Recipient(1, "municipality"),
        Recipient(2, "gp"),
        Recipient(11, "chosen"),
    ]


def test_a_patient_without_a_gp_gets_no_gp_message():
    assert recipients(gp_office_id=None) == [Recipient(1, "municipality")]


def test_declined_sharing_leaves_only_the_municipality_after_the_hospitals_point():
    assert recipients(sharing_declined=True, extra_ids=[11]) == [Recipient(1, "municipality")]
    assert recipients(care_level="municipality", sender_ids={1}, sharing_declined=True) == []
