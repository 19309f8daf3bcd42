"""The test clock: every test runs at 11:00 Europe/Oslo on one pinned day (settings.TEST_TODAY,
from HEIMVEG_TEST_TODAY), with the clock standing still, unless it is marked `running_clock`.

Rule code takes the date as an argument; the pin is for the code that reads the clock itself
(views, services stamping `created_at`, auto_now fields). The pin does not reach the database: the
audit log's times (AuditEntry.occurred_at, AuditCheckpoint.created_at) are the database's own
clock (audit/chain.py), the real day, so a test must not compare them with the pinned day.
"""

import datetime
import zoneinfo
from contextlib import contextmanager

import time_machine
from django.conf import settings

HOUR = 11


def test_today() -> datetime.date:
    # Set by heimveg.settings_test only; the type checker reads heimveg.settings.
    return settings.TEST_TODAY  # type: ignore[misc]


def moment(day: datetime.date, hour: int = HOUR) -> datetime.datetime:
    """`hour` o'clock local time (Europe/Oslo) on `day`, as an aware datetime."""
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


@contextmanager
def pinned(day: datetime.date | None = None, hour: int = HOUR):
    """The clock stands at `hour` o'clock on `day` (default: the pinned test day); yields the
    time-machine traveller, so a test can move it on (`.shift(...)`, `.move_to(...)`)."""
    with time_machine.travel(moment(day or test_today(), hour), tick=False) as traveller:
        yield traveller
