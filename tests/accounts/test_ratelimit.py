"""The one rate limit: attempts counted per person in the shared cache, failing open."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from accounts.ratelimit import rate_limit


def attempts(n: int, who: str = "jane@example.org", **kwargs) -> list[int]:
    kwargs = {"limit": 3, "seconds": 60, **kwargs}
    return [rate_limit("test", who, **kwargs) for _ in range(n)]


def test_attempts_within_the_limit_go_ahead_and_the_next_is_told_how_long_to_wait():
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert attempts(3) == [0, 0, 0]
        clock.shift(timedelta(seconds=20))
        assert attempts(2) == [40, 40]


def test_a_new_window_opens_when_the_last_one_ends():
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert attempts(4)[-1] > 0
        clock.shift(timedelta(seconds=61))
        assert attempts(4) == [0, 0, 0, 60]


def test_each_person_and_each_scope_is_counted_apart():
    assert attempts(4)[-1] > 0
    assert attempts(3, who="john@example.org") == [0, 0, 0]
    assert rate_limit("other", "jane@example.org", limit=3, seconds=60) == 0


def test_a_limit_of_zero_is_no_limit():
    assert attempts(50, limit=0) == [0] * 50


def test_redis_counts_without_storing_who_and_a_stopped_redis_lets_attempts_through(
    redis_server, caplog
):
    assert attempts(4)[:3] == [0, 0, 0]
    assert 0 < attempts(1)[0] <= 60
    keys = redis_server.client.keys("*")
    assert keys
    assert not [key for key in keys if b"jane" in key]

    redis_server.stop()
    assert attempts(5) == [0] * 5
    assert "The cache did not answer (the rate limit test, not applied: " in caplog.text
