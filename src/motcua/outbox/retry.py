"""When to try a failed delivery again (pure): exponential backoff with jitter.

The n-th failure waits ``min(cap, base * 2**(n-1))`` scaled by a factor in [0.5, 1): never more
than the cap, never less than half of it, and workers that failed together spread apart
("equal jitter"). With the defaults (30 s, capped at one hour) a provider down for a day gets
about thirty attempts, then one an hour.
"""

from __future__ import annotations

import datetime as dt


def retry_delay(attempt: int, *, base: float, cap: float, rand: float) -> dt.timedelta:
    """The wait after the ``attempt``-th failed attempt (1, 2, ...); ``rand`` in [0, 1)."""
    if attempt < 1:
        raise ValueError(f"attempt counts from 1: {attempt}")
    if not 0 <= rand < 1:
        raise ValueError(f"rand must be in [0, 1): {rand}")
    if base <= 0 or cap < base:
        raise ValueError(f"need 0 < base <= cap: base={base}, cap={cap}")
    # 2**(attempt-1) overflows floats for absurd attempt counts: cap the exponent first.
    ceiling = cap if attempt > 63 else min(cap, base * 2 ** (attempt - 1))
    return dt.timedelta(seconds=ceiling * (0.5 + rand / 2))
