"""Database constraints of the calendar tables: invariants hold even for direct writes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from motcua.worktime.constants import OverrideKind
from motcua.worktime.models import CalendarOverride, CalendarRevision, WorkCalendar, WorkSession

from .factories import WorkCalendarFactory

pytestmark = pytest.mark.django_db


def test_session_must_start_before_it_ends() -> None:
    calendar = WorkCalendarFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkSession.objects.create(calendar=calendar, weekday=5, start=dt.time(11), end=dt.time(8))
    assert not calendar.sessions.filter(weekday=5).exists()


def test_session_weekday_is_zero_to_six() -> None:
    calendar = WorkCalendarFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkSession.objects.create(calendar=calendar, weekday=7, start=dt.time(8), end=dt.time(9))


def test_two_sessions_cannot_start_at_the_same_time_of_a_day() -> None:
    calendar = WorkCalendarFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkSession.objects.create(
            calendar=calendar, weekday=0, start=dt.time(7, 30), end=dt.time(9)
        )


def test_one_override_per_calendar_and_date() -> None:
    calendar = WorkCalendarFactory()
    day = dt.date(2026, 3, 4)
    CalendarOverride.objects.create(calendar=calendar, date=day, kind=OverrideKind.DAY_OFF)
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarOverride.objects.create(calendar=calendar, date=day, kind=OverrideKind.WORKING_DAY)
    assert calendar.overrides.get().kind == OverrideKind.DAY_OFF


def test_override_kind_is_checked() -> None:
    calendar = WorkCalendarFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarOverride.objects.create(calendar=calendar, date=dt.date(2026, 3, 4), kind="holiday")


def test_only_one_default_calendar() -> None:
    assert WorkCalendar.objects.filter(agency__isnull=True).count() == 1  # from the migration
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkCalendar.objects.create(name="Một lịch mặc định nữa")
    assert WorkCalendar.objects.filter(agency__isnull=True).count() == 1


def test_revision_table_holds_a_single_row() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarRevision.objects.create(id=2)


def test_string_forms_are_vietnamese() -> None:
    calendar = WorkCalendarFactory(name="Lịch Trung tâm")
    session = calendar.sessions.order_by("weekday", "start").first()
    override = CalendarOverride(
        calendar=calendar, date=dt.date(2026, 9, 3), kind=OverrideKind.DAY_OFF
    )
    assert str(calendar) == "Lịch Trung tâm"
    assert str(session) == "Thứ Hai 07:30-11:30"
    assert str(override) == "03/09/2026: Ngày nghỉ"
