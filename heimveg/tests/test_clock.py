"""The test clock: pinned to 11:00 Europe/Oslo on settings.TEST_TODAY and standing still, unless a
test is marked `running_clock` (browser and live-server tests are marked automatically)."""

import datetime
import time

import pytest
from django.utils import timezone

import conftest


def test_every_test_runs_at_eleven_on_the_pinned_day(settings, today):
    assert today == settings.TEST_TODAY
    assert datetime.date.today() == timezone.localdate() == today
    local = timezone.localtime()
    assert (local.hour, local.minute, str(local.tzinfo)) == (11, 0, "Europe/Oslo")
    first = timezone.now()
    time.sleep(0.01)
    assert timezone.now() == first  # standing still


def test_a_test_can_move_the_pinned_clock(pinned_clock, today):
    pinned_clock.shift(datetime.timedelta(days=1))
    assert timezone.localdate() == today + datetime.timedelta(days=1)


@pytest.mark.running_clock
def test_a_running_clock_test_sees_the_clock_go(pinned_clock):
    assert pinned_clock is None
    first = time.time()
    time.sleep(0.01)
    assert time.time() > first


class _Item:
    def __init__(self, markers, fixturenames=()):
        self.markers, self.fixturenames = set(markers), fixturenames

    def get_closest_marker(self, name):
        return name if name in self.markers else None

    def add_marker(self, mark):
        self.markers.add(mark.name)


def test_browser_and_live_server_tests_get_the_running_clock():
    browser, live, plain = _Item({"browser"}), _Item(set(), ("live_server",)), _Item(set(), ("db",))
    conftest.pytest_collection_modifyitems([browser, live, plain])
    assert "running_clock" in browser.markers and "running_clock" in live.markers
    assert "running_clock" not in plain.markers
