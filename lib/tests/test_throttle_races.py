"""Two requests counted at the same moment, on two real connections, both count: the first
window row's insert that loses to the unique constraint falls back to the update."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from lib import throttle
from testsupport.races import race

pytestmark = pytest.mark.django_db(transaction=True)

AT = timezone.make_aware(datetime(2026, 12, 9, 10, 15))


@pytest.mark.parametrize("earlier", [0, 1])
def test_concurrent_hits_are_all_counted(earlier):
    for _ in range(earlier):  # with and without the window's row already there
        throttle.hit("race", "k", limit=10, window=timedelta(hours=1), now=AT)

    def attempt():
        return throttle.hit("race", "k", limit=earlier + 1, window=timedelta(hours=1), now=AT)

    answers = race(attempt, attempt)
    assert sorted(answers) == [False, True]
    assert throttle.count("race", "k", window=timedelta(hours=1), now=AT) == earlier + 2
