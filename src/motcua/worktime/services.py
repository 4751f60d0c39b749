"""Writes to working calendars.

Every write changes ``CalendarRevision.token`` in the same transaction; that is how the cached
calendars of every process learn that they must be rebuilt (``selectors.calendar_for_agency``).
Code that writes calendar rows without these services must call :func:`calendar_revision_bump`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone

from motcua.catalog.models import Agency
from motcua.core.exceptions import ValidationFailed

from .calendar import DEFAULT_WEEKLY_SESSIONS
from .constants import REVISION_PK, OverrideKind
from .models import CalendarOverride, CalendarRevision, WorkCalendar, WorkSession

SessionRow = tuple[int, dt.time, dt.time]


def default_session_rows() -> list[SessionRow]:
    """``(weekday, start, end)`` rows of the built-in Monday-Friday week."""
    return [
        (weekday, session.start, session.end)
        for weekday, sessions in enumerate(DEFAULT_WEEKLY_SESSIONS)
        for session in sessions
    ]


def calendar_revision_bump() -> uuid.UUID:
    """Give calendars a new revision token, so that every process reloads them.

    Call it inside the transaction that changes calendar rows: the new token then becomes
    visible exactly when the change does.
    """
    token = uuid.uuid4()
    updated = CalendarRevision.objects.filter(pk=REVISION_PK).update(
        token=token, changed_at=timezone.now()
    )
    if not updated:
        CalendarRevision.objects.update_or_create(pk=REVISION_PK, defaults={"token": token})
    return token


def _full_clean(instance: WorkCalendar | WorkSession | CalendarOverride) -> None:
    try:
        instance.full_clean()
    except DjangoValidationError as exc:
        raise ValidationFailed(
            "The calendar data is not valid.", code="invalid_calendar", errors=exc.message_dict
        ) from exc


def _check_no_overlap(session: WorkSession) -> None:
    siblings = WorkSession.objects.filter(
        calendar_id=session.calendar_id,
        weekday=session.weekday,
        start__lt=session.end,
        end__gt=session.start,
    ).exclude(pk=session.pk)
    if siblings.exists():
        raise ValidationFailed(
            "The session overlaps another session of the same weekday.",
            code="session_overlap",
            errors={"start": ["Buổi làm việc trùng giờ với một buổi khác trong cùng ngày."]},
        )


@transaction.atomic
def work_calendar_save(*, calendar: WorkCalendar) -> WorkCalendar:
    """Create or update a calendar's own fields (name, agency, national holidays)."""
    _full_clean(calendar)
    calendar.save()
    calendar_revision_bump()
    return calendar


@transaction.atomic
def work_calendar_create(
    *,
    name: str,
    agency: Agency | None = None,
    use_national_holidays: bool = True,
    sessions: Iterable[SessionRow] | None = None,
    note: str = "",
) -> WorkCalendar:
    """Create a calendar with its weekly sessions (the Monday-Friday default if none are given)."""
    calendar = work_calendar_save(
        calendar=WorkCalendar(
            name=name, agency=agency, use_national_holidays=use_national_holidays, note=note
        )
    )
    rows = default_session_rows() if sessions is None else list(sessions)
    if not rows:
        raise ValidationFailed(
            "A calendar needs at least one working session.",
            code="calendar_without_sessions",
            errors={"sessions": ["Lịch làm việc cần ít nhất một buổi làm việc."]},
        )
    for weekday, start, end in rows:
        work_session_save(
            session=WorkSession(calendar=calendar, weekday=weekday, start=start, end=end)
        )
    return calendar


@transaction.atomic
def work_calendar_delete(*, calendar: WorkCalendar) -> None:
    """Delete a calendar; its agency (and that agency's subtree) falls back to an ancestor's."""
    calendar.delete()
    calendar_revision_bump()


@transaction.atomic
def work_calendar_touch(*, calendar: WorkCalendar) -> WorkCalendar:
    """Record that a calendar's sessions or overrides were changed directly (admin inlines)."""
    WorkCalendar.objects.filter(pk=calendar.pk).update(updated_at=timezone.now())
    calendar_revision_bump()
    return calendar


@transaction.atomic
def work_session_save(*, session: WorkSession) -> WorkSession:
    """Create or update a weekly session; refuses one overlapping another of the same day."""
    _full_clean(session)
    _check_no_overlap(session)
    session.save()
    calendar_revision_bump()
    return session


@transaction.atomic
def work_session_delete(*, session: WorkSession) -> None:
    """Delete a weekly session; a calendar keeps at least one."""
    if (
        not WorkSession.objects.filter(calendar_id=session.calendar_id)
        .exclude(pk=session.pk)
        .exists()
    ):
        raise ValidationFailed(
            "A calendar needs at least one working session.",
            code="calendar_without_sessions",
            errors={"sessions": ["Lịch làm việc cần ít nhất một buổi làm việc."]},
        )
    session.delete()
    calendar_revision_bump()


@transaction.atomic
def calendar_override_save(*, override: CalendarOverride) -> CalendarOverride:
    """Create or update an override (one per calendar and date)."""
    _full_clean(override)
    override.save()
    calendar_revision_bump()
    return override


@transaction.atomic
def calendar_override_set(
    *, calendar: WorkCalendar, date: dt.date, kind: OverrideKind | str, note: str = ""
) -> CalendarOverride:
    """Make ``date`` a day off or a working day in ``calendar``, replacing an earlier override."""
    override = CalendarOverride.objects.filter(calendar=calendar, date=date).first()
    if override is None:
        override = CalendarOverride(calendar=calendar, date=date)
    override.kind = kind
    override.note = note
    return calendar_override_save(override=override)


@transaction.atomic
def calendar_override_delete(*, override: CalendarOverride) -> None:
    """Remove an override: the date follows the weekly sessions and national holidays again."""
    override.delete()
    calendar_revision_bump()
