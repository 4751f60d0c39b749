"""Outbox settings: Django settings first, then the environment, then defaults for the demo."""

from __future__ import annotations

import datetime as dt
import os

from django.conf import settings


def _number(name: str, default: float) -> float:
    value = getattr(settings, name, None)
    if value is None:
        return float(os.environ.get(name, default))
    return float(value)


def retry_window() -> dt.timedelta:
    """How long failures are retried before a message is ``dead`` (at least 24 hours)."""
    return dt.timedelta(hours=max(24.0, _number("MOTCUA_OUTBOX_RETRY_HOURS", 24)))


def lease() -> dt.timedelta:
    """How long a worker may take over one delivery before another may claim the row again.
    Handlers' own timeouts (HTTP) must be well below it."""
    return dt.timedelta(seconds=_number("MOTCUA_OUTBOX_LEASE_SECONDS", 300))


def backoff_base() -> float:
    return _number("MOTCUA_OUTBOX_BACKOFF_BASE_SECONDS", 30)


def backoff_cap() -> float:
    return _number("MOTCUA_OUTBOX_BACKOFF_MAX_SECONDS", 3600)


def task_on_commit() -> bool:
    """Whether each commit that wrote messages also enqueues a delivery task (one more INSERT
    after the commit, into the tasks table): delivery within a second. Off, the sweep alone
    delivers (within its --interval)."""
    value = getattr(settings, "MOTCUA_OUTBOX_TASK_ON_COMMIT", None)
    if value is None:
        value = os.environ.get("MOTCUA_OUTBOX_TASK_ON_COMMIT", "1")
    return str(value).strip().lower() in {"1", "true", "yes", "on"}
