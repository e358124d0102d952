"""The shared cache (Redis in production) as an accelerator, never a dependency.

Every use of the cache goes through ``cache_call``, the one place that catches redis-py's
errors. When the cache does not answer (refused, reset, or silent past the connect and read
timeouts of ``CACHES``), the caller gets the fallback it gave (a miss, a skipped write, a
limit not applied) and the cache is left alone for ``CACHE_RETRY_SECONDS``: a Redis that
hangs costs one request one timeout now and then, not every request several.

The outage is logged as one warning when it starts and at most one more every
``CACHE_WARNING_SECONDS`` while it lasts, not once a request; its end is logged too. The
state is per process and per cache location, so a test's own Redis starts afresh.

What is kept in the cache must be safe to find again after an outage: a write the cache
missed (a comment, a moderation, a settings change) must change the key its readers look
up, never rely on deleting the old entry. See ``comments.caching``.
"""

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


@dataclass
class _Outage:
    started_at: float | None = None  # None while the cache answers
    failed_at: float = 0.0
    warned_at: float = 0.0


_outages: dict[str, _Outage] = {}
_lock = threading.Lock()


def cache_call[T](operation: Callable[[], T], *, fallback: T, what: str) -> T:
    """``operation()``, which uses the shared cache, or ``fallback`` when the cache does not
    answer or is known not to have answered in the last ``CACHE_RETRY_SECONDS``. ``what``
    names the use for the log ("a read of comments:thread:…")."""
    outage = _outage()
    now = time.monotonic()
    if outage.started_at is not None and now < outage.failed_at + settings.CACHE_RETRY_SECONDS:
        return fallback
    try:
        result = operation()
    except RedisError as error:
        _failed(outage, now, what, error)
        return fallback
    if outage.started_at is not None:
        _recovered(outage, now)
    return result


def cache_answers() -> bool:
    """False while the cache is being left alone after failing to answer: work that only
    pays off if something is kept (compressing a page to store it) can be skipped."""
    outage = _outage()
    return outage.started_at is None or (
        time.monotonic() >= outage.failed_at + settings.CACHE_RETRY_SECONDS
    )


def cache_get(key: str) -> Any | None:
    """The cached value of ``key``; None when there is none or the cache does not answer."""
    return cache_call(lambda: cache.get(key), fallback=None, what=f"a read of {key}")


def cache_set(key: str, value: Any, timeout: int | None) -> None:
    """Keep ``value`` under ``key``; nothing is kept when the cache does not answer."""
    cache_call(lambda: cache.set(key, value, timeout), fallback=None, what=f"a write of {key}")


def _outage() -> _Outage:
    location = str(settings.CACHES["default"].get("LOCATION", ""))
    with _lock:
        return _outages.setdefault(location, _Outage())


def _failed(outage: _Outage, now: float, what: str, error: RedisError) -> None:
    with _lock:
        first = outage.started_at is None
        if first:
            outage.started_at = now
        outage.failed_at = now
        warn = first or now - outage.warned_at >= settings.CACHE_WARNING_SECONDS
        if warn:
            outage.warned_at = now
    if not warn:
        return
    if first:
        logger.warning(
            "The cache did not answer (%s: %s). Going on without it; trying again every %s s.",
            what,
            error,
            settings.CACHE_RETRY_SECONDS,
        )
    else:
        logger.warning(
            "The cache has not answered for %d s (%s: %s); still going on without it.",
            now - outage.started_at,
            what,
            error,
        )


def _recovered(outage: _Outage, now: float) -> None:
    with _lock:
        started_at, outage.started_at = outage.started_at, None
    if started_at is not None:
        logger.warning("The cache answers again, after %d s without it.", now - started_at)
