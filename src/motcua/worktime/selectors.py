"""Reads of working calendars: which pure ``Calendar`` applies to an agency.

Calendars are public data; no viewer restriction applies.

``calendar_for_agency`` runs on every dossier action, so each process keeps every stored calendar
already built (a few queries load them all) and, per call, reads only the one-row
``CalendarRevision`` to check that they are current. Services give that row a new random token
in the same transaction as any change, so a committed change is seen by the very next call in
every process: the cache is never stale, and it costs one primary-key query.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from django.db.models import QuerySet

from motcua.catalog.models import Agency
from motcua.core.compiled import CompiledQuery

from .calendar import VIETNAM_HOLIDAYS, Calendar, builtin_calendar, weekly_sessions
from .constants import REVISION_PK, OverrideKind
from .models import CalendarOverride, CalendarRevision, WorkCalendar, WorkSession


def build_calendar(
    calendar: WorkCalendar,
    sessions: Iterable[tuple[int, time, time]],
    overrides: Iterable[tuple[date, str]],
) -> Calendar:
    """The pure calendar for a stored one, given its ``(weekday, start, end)`` sessions and
    ``(date, kind)`` overrides."""
    days_off: set[date] = set()
    working_days: set[date] = set()
    for day, kind in overrides:
        (days_off if kind == OverrideKind.DAY_OFF else working_days).add(day)
    return Calendar(
        weekly_sessions=weekly_sessions(sessions),
        extra_days_off=frozenset(days_off),
        extra_working_days=frozenset(working_days),
        holidays=VIETNAM_HOLIDAYS if calendar.use_national_holidays else None,
        name=calendar.name,
    )


def work_calendar_as_calendar(calendar: WorkCalendar) -> Calendar:
    """The pure calendar for one stored calendar, read fresh (for previews; not cached)."""
    return build_calendar(
        calendar,
        calendar.sessions.values_list("weekday", "start", "end"),
        calendar.overrides.values_list("date", "kind"),
    )


@dataclass(frozen=True)
class _Snapshot:
    token: uuid.UUID
    by_agency: dict[int, Calendar]
    default: Calendar


_cache: dict[str, _Snapshot] = {}


def revision_token() -> QuerySet[CalendarRevision, Any]:
    """The calendars' revision token as a one-value queryset, for a caller to read within one of
    its own queries (``Subquery``) and pass to ``calendar_for_agency``."""
    return CalendarRevision.objects.filter(pk=REVISION_PK).order_by().values("token")[:1]


# Read on every deadline computation (compiled once, see core.compiled).
_TOKEN = CompiledQuery(revision_token)


def _current_token() -> uuid.UUID | None:
    row = _TOKEN.first_row()
    return row[0] if row else None


def _load(token: uuid.UUID) -> _Snapshot:
    sessions: defaultdict[int, list[tuple[int, time, time]]] = defaultdict(list)
    for calendar_id, weekday, start, end in WorkSession.objects.values_list(
        "calendar_id", "weekday", "start", "end"
    ):
        sessions[calendar_id].append((weekday, start, end))
    overrides: defaultdict[int, list[tuple[date, str]]] = defaultdict(list)
    for calendar_id, day, kind in CalendarOverride.objects.values_list(
        "calendar_id", "date", "kind"
    ):
        overrides[calendar_id].append((day, kind))
    by_agency: dict[int, Calendar] = {}
    default = builtin_calendar()
    for stored in WorkCalendar.objects.only("id", "name", "agency_id", "use_national_holidays"):
        built = build_calendar(stored, sessions[stored.pk], overrides[stored.pk])
        if stored.agency_id is None:
            default = built
        else:
            by_agency[stored.agency_id] = built
    return _Snapshot(token=token, by_agency=by_agency, default=default)


def _snapshot(token: uuid.UUID | None = None) -> _Snapshot:
    # Read the token before the rows: the rows are then at least as new as the token they are
    # filed under, so a snapshot can be newer than its token (harmless) but never older.
    token = token or _current_token()
    cached = _cache.get("snapshot")
    if token is not None and cached is not None and cached.token == token:
        return cached
    if token is None:
        # No revision row (a flushed test database): nothing to key a cache on, so do not cache.
        return _load(uuid.UUID(int=0))
    snapshot = _load(token)
    _cache["snapshot"] = snapshot
    return snapshot


def calendar_cache_clear() -> None:
    """Forget built calendars in this process (tests; never needed after a service write)."""
    _cache.clear()


def _ancestor_ids(agency: Agency) -> list[int]:
    """The agency's id, then its ancestors' up to the root."""
    if agency.path:
        return [int(part) for part in reversed(agency.path.strip("/").split("/")) if part]
    # Not saved through agency_save (no path yet): walk the parents instead.
    ids: list[int] = [agency.pk] if agency.pk is not None else []
    parent_id = agency.parent_id
    while parent_id is not None and parent_id not in ids:
        ids.append(parent_id)
        parent_id = Agency.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
    return ids


def default_calendar() -> Calendar:
    """The deployment's default calendar (the stored one without agency), else the built-in."""
    return _snapshot().default


def calendar_for_agency(agency: Agency | None, *, token: uuid.UUID | None = None) -> Calendar:
    """The working calendar that applies to ``agency``.

    Its own calendar, else its nearest ancestor's, else the deployment's default, else the
    built-in default (Monday-Friday 07:30-11:30, 13:30-17:00 and national holidays).
    ``None`` gives the default. Costs one query when nothing changed since the last call, none
    when the caller gives the revision ``token`` it has just read itself within a query it
    needed anyway (``revision_token``): the calendars are then as of that read, moments earlier.
    """
    snapshot = _snapshot(token)
    if agency is not None:
        for agency_id in _ancestor_ids(agency):
            found = snapshot.by_agency.get(agency_id)
            if found is not None:
                return found
    return snapshot.default
