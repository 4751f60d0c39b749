"""Which calendar applies to an agency, and the cache that must never serve stale data."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.catalog.services import agency_save
from motcua.worktime.calendar import (
    VN_TZ,
    WORKING_DAYS,
    add_working_time,
    builtin_calendar,
    is_working_day,
    processing_time_to_delta,
)
from motcua.worktime.constants import OverrideKind
from motcua.worktime.models import CalendarRevision, WorkCalendar, WorkSession
from motcua.worktime.selectors import (
    calendar_cache_clear,
    calendar_for_agency,
    default_calendar,
    work_calendar_as_calendar,
)
from motcua.worktime.services import (
    calendar_override_delete,
    calendar_override_set,
    work_calendar_delete,
    work_calendar_save,
    work_calendar_touch,
    work_session_save,
)

from .factories import AgencyFactory, WorkCalendarFactory

pytestmark = pytest.mark.django_db

SATURDAY = dt.date(2026, 3, 7)


def due(agency: object, received: dt.datetime, working_days: int) -> dt.datetime:
    cal = calendar_for_agency(agency)  # type: ignore[arg-type]
    return add_working_time(
        cal, received, processing_time_to_delta(cal, working_days, WORKING_DAYS)
    )


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN_TZ)


class TestResolution:
    def test_agency_without_any_calendar_uses_the_stored_default(self) -> None:
        agency = AgencyFactory()
        cal = calendar_for_agency(agency)
        assert cal.name == "Lịch làm việc mặc định"
        assert cal == builtin_calendar()
        assert default_calendar() is cal
        assert calendar_for_agency(None) is cal

    def test_without_a_stored_default_the_built_in_one_applies(self) -> None:
        work_calendar_delete(calendar=WorkCalendar.objects.get(agency__isnull=True))
        assert calendar_for_agency(AgencyFactory()) is builtin_calendar()
        assert calendar_for_agency(None) is builtin_calendar()

    def test_agency_with_its_own_saturday_session(self) -> None:
        # Given a commune service center that also works Saturday mornings
        center = AgencyFactory(service_center=True)
        WorkCalendarFactory(agency=center, saturday_morning=True)
        # Then its Saturdays are working days and deadlines count them
        cal = calendar_for_agency(center)
        assert is_working_day(cal, SATURDAY)
        assert due(center, at(2026, 3, 6, 16), 1) == at(2026, 3, 9, 10)
        # while an agency without a calendar keeps Monday-Friday
        assert due(AgencyFactory(), at(2026, 3, 6, 16), 1) == at(2026, 3, 9, 16)

    def test_child_without_calendar_uses_nearest_ancestors(self) -> None:
        province = AgencyFactory()
        department = AgencyFactory(parent=province, level_id="department")
        unit = AgencyFactory(parent=department, level_id="department")
        WorkCalendarFactory(agency=province, name="Tỉnh", saturday_morning=True)
        assert calendar_for_agency(unit).name == "Tỉnh"
        WorkCalendarFactory(agency=department, name="Sở")
        assert calendar_for_agency(unit).name == "Sở"
        assert calendar_for_agency(department).name == "Sở"
        assert calendar_for_agency(province).name == "Tỉnh"
        assert calendar_for_agency(AgencyFactory()).name == "Lịch làm việc mặc định"

    def test_agency_without_a_path_walks_its_parents(self) -> None:
        province = AgencyFactory()
        WorkCalendarFactory(agency=province, name="Tỉnh")
        child = AgencyFactory(parent=province)
        child.path = ""  # as if written without agency_save
        assert calendar_for_agency(child).name == "Tỉnh"

    def test_override_days_off_and_working_days_reach_deadlines(self) -> None:
        agency = AgencyFactory()
        calendar = WorkCalendarFactory(agency=agency)
        assert due(agency, at(2026, 3, 2, 9), 3) == at(2026, 3, 5, 9)
        calendar_override_set(
            calendar=calendar, date=dt.date(2026, 3, 4), kind=OverrideKind.DAY_OFF
        )
        assert due(agency, at(2026, 3, 2, 9), 3) == at(2026, 3, 6, 9)
        # A working Sunday (with Monday's sessions) brings the Friday deadline forward again.
        calendar_override_set(
            calendar=calendar, date=dt.date(2026, 3, 1), kind=OverrideKind.WORKING_DAY
        )
        assert due(agency, at(2026, 2, 27, 9), 3) == at(2026, 3, 3, 9)
        assert due(AgencyFactory(), at(2026, 2, 27, 9), 3) == at(2026, 3, 4, 9)

    def test_calendar_without_national_holidays(self) -> None:
        agency = AgencyFactory()
        WorkCalendarFactory(agency=agency, use_national_holidays=False)
        assert is_working_day(calendar_for_agency(agency), dt.date(2026, 2, 17))

    def test_preview_of_one_stored_calendar(self) -> None:
        calendar = WorkCalendarFactory(saturday_morning=True)
        calendar_override_set(
            calendar=calendar, date=dt.date(2026, 3, 4), kind=OverrideKind.DAY_OFF
        )
        cal = work_calendar_as_calendar(calendar)
        assert cal.extra_days_off == frozenset({dt.date(2026, 3, 4)})
        assert cal == calendar_for_agency(calendar.agency)


class TestCache:
    def test_one_query_when_nothing_changed(self, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
        agency = AgencyFactory()
        WorkCalendarFactory(agency=agency)
        first = calendar_for_agency(agency)
        with django_assert_num_queries(1):
            again = calendar_for_agency(agency)
        # The same object, so the per-date memo inside it stays warm.
        assert again is first

    def test_reload_after_a_change_costs_a_few_queries(self, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
        calendar_for_agency(None)
        calendar_override_set(
            calendar=WorkCalendar.objects.get(agency__isnull=True),
            date=SATURDAY,
            kind=OverrideKind.WORKING_DAY,
        )
        with django_assert_max_num_queries(4):
            assert is_working_day(calendar_for_agency(None), SATURDAY)

    def test_every_kind_of_change_is_seen_at_once(self) -> None:
        agency = AgencyFactory()
        calendar = WorkCalendarFactory(agency=agency)
        assert not is_working_day(calendar_for_agency(agency), SATURDAY)
        # a new session
        session = work_session_save(
            session=WorkSession(calendar=calendar, weekday=5, start=dt.time(8), end=dt.time(10))
        )
        assert is_working_day(calendar_for_agency(agency), SATURDAY)
        # an override, then its removal
        override = calendar_override_set(
            calendar=calendar, date=SATURDAY, kind=OverrideKind.DAY_OFF
        )
        assert not is_working_day(calendar_for_agency(agency), SATURDAY)
        calendar_override_delete(override=override)
        assert is_working_day(calendar_for_agency(agency), SATURDAY)
        # a direct edit recorded with touch (what the admin's inlines do)
        WorkSession.objects.filter(pk=session.pk).delete()
        work_calendar_touch(calendar=calendar)
        assert not is_working_day(calendar_for_agency(agency), SATURDAY)
        # the national holidays switch
        calendar.use_national_holidays = False
        work_calendar_save(calendar=calendar)
        assert is_working_day(calendar_for_agency(agency), dt.date(2026, 2, 17))
        # the calendar's removal
        work_calendar_delete(calendar=calendar)
        assert calendar_for_agency(agency).name == "Lịch làm việc mặc định"

    def test_moving_an_agency_changes_its_inherited_calendar(self) -> None:
        old_parent, new_parent = AgencyFactory(), AgencyFactory()
        WorkCalendarFactory(agency=old_parent, name="Cũ")
        WorkCalendarFactory(agency=new_parent, name="Mới")
        child = AgencyFactory(parent=old_parent)
        assert calendar_for_agency(child).name == "Cũ"
        child.parent = new_parent
        agency_save(agency=child)
        assert calendar_for_agency(child).name == "Mới"

    def test_works_without_a_revision_row(self) -> None:
        # A flushed database has no revision row: nothing to key a cache on, so none is used.
        CalendarRevision.objects.all().delete()
        calendar_cache_clear()
        agency = AgencyFactory()
        WorkCalendar.objects.create(name="Không qua dịch vụ", agency=agency)
        assert calendar_for_agency(agency).name == "Không qua dịch vụ"
