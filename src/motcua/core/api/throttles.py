"""A fixed-window throttle for the API, sharing pages' limits (``core.ratelimit``).

DRF's own scoped throttle keeps and rewrites the list of every request time per client on each
call, which costs more the higher the rate; one counter per client and window costs one cache
round trip, and the pages and the API then count the same way.
"""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from motcua.core import ratelimit


class WindowThrottle(BaseThrottle):
    """Limits a view by its ``throttle_scope`` per client, with the rate of that scope."""

    def allow_request(self, request: Request, view: Any) -> bool:
        self.scope = getattr(view, "throttle_scope", "anon")
        return ratelimit.allow(request._request, self.scope)

    def wait(self) -> float | None:
        return float(ratelimit.seconds_to_next_window(self.scope))


class FailureThrottle(BaseThrottle):
    """Refuses a client once it has spent its budget of *failures* for the view's
    ``throttle_scope`` (the view records each failure with ``ratelimit.record``): a login with a
    wrong password counts, a successful one does not, so a client that logs in as several
    accounts is not locked out while password guessing still is."""

    def allow_request(self, request: Request, view: Any) -> bool:
        self.scope = getattr(view, "throttle_scope", "anon")
        return not ratelimit.spent(request._request, self.scope)

    def wait(self) -> float | None:
        return float(ratelimit.seconds_to_next_window(self.scope))
