"""One rate limit for everything a person may do only so often: e-mails to one address,
comments from one network.

Each limit counts attempts in a window of fixed length that starts with the first attempt,
kept in the shared cache so every app instance counts together. Who is counted (an
address, a hashed IP, an account) is hashed with the secret key before it becomes part of
a cache key, so no address or IP is written to the cache.

The cache is an accelerator, never a dependency: if it does not answer, the limit is not
applied (the attempt goes ahead) and a warning is logged.
"""

import logging
import math
import time

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def client_ip(request: HttpRequest) -> str:
    """The address a request came from, as limits count it. Behind a proxy, the deployment
    sets ``REMOTE_ADDR`` from the header the proxy is trusted to write."""
    return request.META.get("REMOTE_ADDR", "")


def rate_limit(scope: str, who: str, *, limit: int, seconds: int) -> int:
    """Count one attempt by ``who`` at ``scope`` (a name such as ``"comments:ip"``).

    Returns 0 when it is within ``limit`` attempts in ``seconds``, so it may go ahead;
    otherwise how many seconds are left until the window refusing it ends. Refused
    attempts count too, so asking again and again does not get through sooner. A
    ``limit`` of 0 turns the limit off. Never raises for an unreachable cache: then it
    logs a warning and returns 0.
    """
    if limit <= 0:
        return 0
    digest = salted_hmac("accounts.ratelimit", who, algorithm="sha256").hexdigest()
    key = f"ratelimit:{scope}:{digest}"
    started_key = f"{key}:started"
    now = time.time()
    try:
        if cache.add(key, 1, seconds):
            cache.set(started_key, now, seconds)
            return 0
        try:
            count = cache.incr(key)
        except ValueError:  # the window ended between the two calls: this one opens the next
            cache.set(key, 1, seconds)
            cache.set(started_key, now, seconds)
            return 0
        if count <= limit:
            return 0
        started = cache.get(started_key, now)
    except RedisError:
        logger.warning("Rate limit %s not applied: the cache did not answer.", scope, exc_info=True)
        return 0
    return max(1, math.ceil(started + seconds - now))
