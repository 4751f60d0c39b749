"""Writes to calendars: validation, and a new revision token with every change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from motcua.core.exceptions import ValidationFailed
from motcua.worktime.constants import OverrideKind
from motcua.worktime.models import CalendarOverride, CalendarRevision, WorkCalendar, WorkSession
from motcua.worktime.services import (
    calendar_override_delete,
    calendar_override_set,
    calendar_revision_bump,
    work_calendar_create,
    work_calendar_delete,
    work_calendar_save,
    work_calendar_touch,
    work_session_delete,
    work_session_save,
)

from .factories import AgencyFactory, WorkCalendarFactory

pytestmark = pytest.mark.django_db


def token() -> Any:
    return CalendarRevision.objects.get(pk=1).token


def test_create_uses_the_default_week_unless_told_otherwise() -> None:
    calendar = work_calendar_create(name="Lịch Sở", agency=AgencyFactory())
    assert calendar.sessions.count() == 10
    assert set(calendar.sessions.values_list("weekday", flat=True)) == {0, 1, 2, 3, 4}
    custom = work_calendar_create(
        name="Lịch Bộ phận một cửa",
        agency=AgencyFactory(),
        sessions=[(5, dt.time(7), dt.time(11))],
        use_national_holidays=False,
    )
    assert list(custom.sessions.values_list("weekday", "start", "end")) == [
        (5, dt.time(7), dt.time(11))
    ]
    assert not custom.use_national_holidays


def test_create_refuses_a_calendar_without_sessions() -> None:
    agency = AgencyFactory()
    with pytest.raises(ValidationFailed) as raised:
        work_calendar_create(name="Trống", agency=agency, sessions=[])
    assert raised.value.code == "calendar_without_sessions"
    assert not WorkCalendar.objects.filter(agency=agency).exists()


def test_a_second_default_calendar_is_refused_with_a_vietnamese_message() -> None:
    with pytest.raises(ValidationFailed) as raised:
        work_calendar_save(calendar=WorkCalendar(name="Mặc định 2"))
    assert "Đã có lịch mặc định" in str(raised.value.errors)
    assert WorkCalendar.objects.filter(agency__isnull=True).count() == 1


def test_a_second_calendar_for_one_agency_is_refused() -> None:
    calendar = WorkCalendarFactory()
    with pytest.raises(ValidationFailed):
        work_calendar_create(name="Lịch khác", agency=calendar.agency)
    assert WorkCalendar.objects.filter(agency=calendar.agency).count() == 1


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (dt.time(11), dt.time(12)),  # overlaps 07:30-11:30
        (dt.time(7), dt.time(18)),  # covers both
        (dt.time(13), dt.time(13, 31)),  # overlaps the afternoon by a minute
    ],
)
def test_overlapping_sessions_are_refused(start: dt.time, end: dt.time) -> None:
    calendar = WorkCalendarFactory()
    with pytest.raises(ValidationFailed) as raised:
        work_session_save(session=WorkSession(calendar=calendar, weekday=0, start=start, end=end))
    assert raised.value.code == "session_overlap"
    assert calendar.sessions.filter(weekday=0).count() == 2


def test_touching_sessions_are_allowed() -> None:
    calendar = WorkCalendarFactory()
    work_session_save(
        session=WorkSession(calendar=calendar, weekday=0, start=dt.time(11, 30), end=dt.time(12))
    )
    assert calendar.sessions.filter(weekday=0).count() == 3


def test_a_session_ending_before_it_starts_is_refused() -> None:
    calendar = WorkCalendarFactory()
    with pytest.raises(ValidationFailed) as raised:
        work_session_save(
            session=WorkSession(calendar=calendar, weekday=5, start=dt.time(11), end=dt.time(8))
        )
    assert "Giờ bắt đầu phải trước giờ kết thúc." in str(raised.value.errors)


def test_the_last_session_cannot_be_deleted() -> None:
    calendar = WorkCalendarFactory(sessions=[(0, dt.time(8), dt.time(9))])
    with pytest.raises(ValidationFailed):
        work_session_delete(session=calendar.sessions.get())
    assert calendar.sessions.count() == 1


def test_override_set_replaces_the_earlier_override_of_the_date() -> None:
    calendar = WorkCalendarFactory()
    day = dt.date(2026, 3, 4)
    calendar_override_set(calendar=calendar, date=day, kind=OverrideKind.DAY_OFF, note="TB 12/UBND")
    calendar_override_set(calendar=calendar, date=day, kind=OverrideKind.WORKING_DAY)
    override = CalendarOverride.objects.get(calendar=calendar)
    assert (override.date, override.kind, override.note) == (day, OverrideKind.WORKING_DAY, "")


def test_override_of_unknown_kind_is_refused() -> None:
    calendar = WorkCalendarFactory()
    with pytest.raises(ValidationFailed):
        calendar_override_set(calendar=calendar, date=dt.date(2026, 3, 4), kind="holiday")
    assert not calendar.overrides.exists()


def _write_calendar() -> None:
    work_calendar_create(name="Mới", agency=AgencyFactory())


def _write_session() -> None:
    calendar = WorkCalendar.objects.get(agency__isnull=True)
    work_session_save(
        session=WorkSession(calendar=calendar, weekday=5, start=dt.time(8), end=dt.time(9))
    )


def _delete_session() -> None:
    work_session_delete(session=WorkSession.objects.filter(calendar__agency__isnull=True).first())  # type: ignore[arg-type]


def _set_override() -> None:
    calendar = WorkCalendar.objects.get(agency__isnull=True)
    calendar_override_set(calendar=calendar, date=dt.date(2026, 3, 4), kind=OverrideKind.DAY_OFF)


def _delete_override() -> None:
    calendar = WorkCalendar.objects.get(agency__isnull=True)
    calendar_override_delete(
        override=CalendarOverride.objects.create(
            calendar=calendar, date=dt.date(2026, 3, 5), kind="day_off"
        )
    )


def _rename() -> None:
    calendar = WorkCalendar.objects.get(agency__isnull=True)
    calendar.use_national_holidays = False
    work_calendar_save(calendar=calendar)


def _touch() -> None:
    work_calendar_touch(calendar=WorkCalendar.objects.get(agency__isnull=True))


def _delete_calendar() -> None:
    work_calendar_delete(calendar=WorkCalendar.objects.get(agency__isnull=True))


@pytest.mark.parametrize(
    "write",
    [
        _write_calendar,
        _write_session,
        _delete_session,
        _set_override,
        _delete_override,
        _rename,
        _touch,
        _delete_calendar,
    ],
)
def test_every_write_changes_the_revision_token(write: Callable[[], None]) -> None:
    before = token()
    write()
    assert token() != before


def test_bump_recreates_a_missing_revision_row() -> None:
    CalendarRevision.objects.all().delete()
    new = calendar_revision_bump()
    assert token() == new
