"""lib.throttle: per-caller counts in fixed windows, shared through the database."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from lib import throttle
from lib.models import ThrottleWindow

HOUR = timedelta(hours=1)
AT = timezone.make_aware(datetime(2026, 12, 9, 10, 15))

pytestmark = pytest.mark.django_db


def test_allows_up_to_the_limit_then_refuses():
    answers = [throttle.hit("sign_in:address", "192.0.2.7", limit=3, window=HOUR, now=AT) for _ in range(5)]
    assert answers == [True, True, True, False, False]
    assert throttle.count("sign_in:address", "192.0.2.7", window=HOUR, now=AT) == 5


def test_keys_and_scopes_are_counted_apart():
    assert throttle.hit("a", "one", limit=1, window=HOUR, now=AT)
    assert not throttle.hit("a", "one", limit=1, window=HOUR, now=AT)
    assert throttle.hit("a", "two", limit=1, window=HOUR, now=AT)
    assert throttle.hit("b", "one", limit=1, window=HOUR, now=AT)


def test_a_new_window_starts_from_zero():
    for _ in range(3):
        throttle.hit("a", "one", limit=2, window=HOUR, now=AT)
    assert not throttle.hit("a", "one", limit=2, window=HOUR, now=AT + timedelta(minutes=44))
    assert throttle.hit("a", "one", limit=2, window=HOUR, now=AT + timedelta(minutes=45))
    assert throttle.retry_after(HOUR, now=AT) == 45 * 60


def test_the_key_is_not_stored():
    throttle.hit("sign_in:username", "kari.nordmann", limit=5, window=HOUR, now=AT)
    row = ThrottleWindow.objects.get()
    assert "kari" not in row.digest and len(row.digest) == 64
    assert row.scope == "sign_in:username"


def test_prune_removes_ended_windows_only():
    throttle.hit("a", "old", limit=5, window=HOUR, now=AT - timedelta(hours=3))
    throttle.hit("a", "new", limit=5, window=HOUR, now=AT)
    assert throttle.prune(AT) == 1
    assert throttle.count("a", "new", window=HOUR, now=AT) == 1
