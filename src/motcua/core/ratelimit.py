"""Per-client rate limits for server-rendered pages, sharing the API's rates and cache.

The API uses DRF throttles; pages that must not be enumerated (public tracking) use this, with
the same ``DEFAULT_THROTTLE_RATES`` scope names, so one setting governs both.
"""

from __future__ import annotations

import functools
import time
from typing import Any, cast

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"60/minute"`` → ``(60, 60)``: requests allowed and the window in seconds."""
    count, _, period = rate.partition("/")
    return int(count), _PERIODS[period[:1]]


def client_ip(request: HttpRequest) -> str:
    """The client's address. ``X-Forwarded-For`` is believed only as far as the number of our
    own proxies in front (``MOTCUA_NUM_PROXIES``): a client cannot pick its identity by sending
    the header itself."""
    proxies = int(cast(int, settings.REST_FRAMEWORK.get("NUM_PROXIES")) or 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return str(request.META.get("REMOTE_ADDR", ""))


def seconds_to_next_window(scope: str) -> int:
    rates = cast(dict[str, str], settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])
    _, window = parse_rate(rates.get(scope) or "1/s")
    return max(1, int(window - time.time() % window))


def _budget(request: HttpRequest, scope: str) -> tuple[int, int, str] | None:
    """(limit, window, counter key) of the client's current window, None if ``scope`` is free."""
    rates = cast(dict[str, str], settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])
    rate = rates.get(scope)
    if not rate:
        return None
    limit, window = parse_rate(rate)
    bucket = int(time.time() // window)
    return limit, window, f"ratelimit:{scope}:{client_ip(request)}:{bucket}"


def _count(key: str, window: int) -> int:
    redis_url = getattr(settings, "REDIS_URL", "")
    return _count_in_redis(redis_url, key, window) if redis_url else _count_in_cache(key, window)


def allow(request: HttpRequest, scope: str) -> bool:
    """Count this request against the client's budget for ``scope``; False once it is spent."""
    budget = _budget(request, scope)
    if budget is None:
        return True
    limit, window, key = budget
    return _count(key, window) <= limit


def spent(request: HttpRequest, scope: str) -> bool:
    """True once the client has used up its budget for ``scope`` in this window; counts nothing.

    With ``record``, for limits on failures only (wrong passwords), where a success is free."""
    budget = _budget(request, scope)
    if budget is None:
        return False
    limit, _, key = budget
    redis_url = getattr(settings, "REDIS_URL", "")
    used = _redis_client(redis_url).get(f"motcua:{key}") if redis_url else cache.get(key)
    return int(used or 0) >= limit


def record(request: HttpRequest, scope: str) -> None:
    """Count one event (a failure) against the client's budget for ``scope``."""
    budget = _budget(request, scope)
    if budget is not None:
        _, window, key = budget
        _count(key, window)


def _count_in_cache(key: str, window: int) -> int:
    # One cache operation in the common case (the client's counter for this window exists).
    try:
        return int(cache.incr(key))
    except ValueError:  # first request of the window, or the counter just expired
        if cache.add(key, 1, timeout=window):
            return 1
        return int(cache.incr(key))  # another request created it in between


def _count_in_redis(url: str, key: str, window: int) -> int:
    """Create-if-missing with its expiry, then increment: one round trip, atomic per command.

    Django's cache builds a new Redis client for every operation; throttling runs on every
    public lookup, so it keeps one client (and its connection pool) per process instead."""
    pipe = _redis_client(url).pipeline(transaction=False)
    pipe.set(f"motcua:{key}", 0, ex=window, nx=True)
    pipe.incr(f"motcua:{key}")
    return int(pipe.execute()[1])


@functools.cache
def _redis_client(url: str) -> Any:
    import redis  # the production cache's client library

    return redis.Redis.from_url(url)
