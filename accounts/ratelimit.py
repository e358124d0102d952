"""One rate limit for everything a person may do only so often: e-mails to one address,
comments from one network.

Each limit counts attempts in a window of fixed length that starts with the first attempt,
kept in the shared cache so every app instance counts together. Who is counted (an
address, a hashed IP, an account) is hashed with the secret key before it becomes part of
a cache key, so no address or IP is written to the cache.

The cache is an accelerator, never a dependency: if it does not answer, the limit is not
applied (the attempt goes ahead) and the outage is logged.
"""

import functools
import ipaddress
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from core.cache import cache_call


def client_ip(request: HttpRequest) -> str:
    """The address a request came from: what flood control, reports and django-axes count.

    Without trusted proxies (``settings.TRUSTED_PROXIES``, the default) it is the
    connection's peer, ``REMOTE_ADDR``, and X-Forwarded-For is ignored: anyone can write
    that header. Behind proxies, the chain of hops is read from the right (the peer first,
    then X-Forwarded-For from its last entry): while a hop is a trusted proxy, the address
    it says it forwarded for is believed. With a count N, the N nearest hops are trusted;
    with a list, a hop is trusted when its address is in it (a peer on a Unix socket, which
    only a process on this machine can reach, counts as trusted). An entry that is no
    address stops the walk, so a forged or garbled header never gets further than the last
    hop that could be trusted. Returns "" only when the peer itself has no address.
    """
    proxies = settings.TRUSTED_PROXIES
    peer = request.META.get("REMOTE_ADDR", "")
    client = _address(peer)
    if not proxies:
        return client or ""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",")][::-1] if forwarded.strip() else []
    trusted = _is_trusted(0, client, proxies)
    for position, written in enumerate(hops, start=1):
        if not trusted:
            break
        hop = _address(written)
        if hop is None:
            break
        client = hop
        trusted = _is_trusted(position, hop, proxies)
    return client or ""


def _address(text: str) -> str | None:
    """``text`` as a normalised IP address (an IPv4 address mapped into IPv6 as IPv4,
    without a port), or None when it is not one."""
    text = text.strip()
    if text.startswith("["):  # [2001:db8::1]:443
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:  # 203.0.113.9:443
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address)


def _is_trusted(position: int, address: str | None, proxies: int | list[str]) -> bool:
    """Whether the hop ``position`` steps from the app (0: the peer) is a trusted proxy;
    ``address`` is None only for a peer without an IP address."""
    if isinstance(proxies, int):
        return position < proxies
    if address is None:  # only the peer may have none: a proxy on a Unix socket
        return position == 0
    return any(ipaddress.ip_address(address) in network for network in _networks(tuple(proxies)))


@functools.lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(proxy, strict=False) for proxy in proxies]


def rate_limit(scope: str, who: str, *, limit: int, seconds: int) -> int:
    """Count one attempt by ``who`` at ``scope`` (a name such as ``"comments:ip"``).

    Returns 0 when it is within ``limit`` attempts in ``seconds``, so it may go ahead;
    otherwise how many seconds are left until the window refusing it ends. Refused
    attempts count too, so asking again and again does not get through sooner. A
    ``limit`` of 0 turns the limit off. When the cache does not answer, returns 0
    (``core.cache.cache_call`` logs it).
    """
    if limit <= 0:
        return 0
    digest = salted_hmac("accounts.ratelimit", who, algorithm="sha256").hexdigest()
    return cache_call(
        lambda: _count(f"ratelimit:{scope}:{digest}", limit=limit, seconds=seconds),
        fallback=0,
        what=f"the rate limit {scope}, not applied",
    )


def _count(key: str, *, limit: int, seconds: int) -> int:
    started_key = f"{key}:started"
    now = time.time()
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
    return max(1, math.ceil(started + seconds - now))
