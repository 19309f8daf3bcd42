"""The secrets of an invitation and how wrong codes are slowed, then locked (pure)."""

import datetime

from portal import tokens

NOW = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=datetime.UTC)
LIMITS = {"free_attempts": 3, "max_attempts": 6}


def test_tokens_are_long_random_and_stored_as_their_hash():
    a, b = tokens.new_token(), tokens.new_token()
    assert a != b and len(a) >= 43
    assert tokens.hash_token(a) != a and len(tokens.hash_token(a)) == 64
    assert tokens.hash_token(a) == tokens.hash_token(a)


def test_codes_are_six_digits_and_their_hash_depends_on_key_and_salt():
    code = tokens.new_code()
    assert len(code) == 6 and code.isdigit()
    one = tokens.hash_code("123456", key="k", salt="a")
    assert one == tokens.hash_code("123456", key="k", salt="a")
    assert one != tokens.hash_code("123456", key="k", salt="b")
    assert one != tokens.hash_code("123456", key="other", salt="a")


def test_the_first_wrong_codes_are_free():
    for failed in range(3):
        assert tokens.throttle(failed, NOW, NOW, **LIMITS).allowed


def test_after_the_free_tries_each_try_waits_longer():
    assert tokens.throttle(3, NOW, NOW, **LIMITS).wait_seconds == 30
    assert tokens.throttle(4, NOW, NOW, **LIMITS).wait_seconds == 60
    assert tokens.throttle(5, NOW, NOW, **LIMITS).wait_seconds == 120
    later = NOW + datetime.timedelta(seconds=31)
    assert tokens.throttle(3, NOW, later, **LIMITS).allowed
    assert tokens.throttle(4, NOW, later, **LIMITS).wait_seconds == 29


def test_too_many_wrong_codes_lock():
    assert tokens.throttle(6, NOW, NOW + datetime.timedelta(days=1), **LIMITS).locked
    assert not tokens.throttle(6, NOW, NOW, **LIMITS).allowed
