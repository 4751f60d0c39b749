"""Admin screens for calendars: inlines, validation, preview, and cache refresh on every write."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from motcua.worktime.constants import OverrideKind
from motcua.worktime.models import CalendarOverride, CalendarRevision, WorkCalendar
from motcua.worktime.selectors import calendar_for_agency

from .factories import AgencyFactory, WorkCalendarFactory

pytestmark = pytest.mark.django_db


def token() -> Any:
    return CalendarRevision.objects.get(pk=1).token


def inline_management(prefix: str, total: int, initial: int = 0) -> dict[str, Any]:
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


def calendar_post(
    agency_id: int, sessions: list[tuple[int, str, str]], overrides: list[tuple[str, str]]
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Lịch Bộ phận một cửa xã",
        "agency": agency_id,
        "use_national_holidays": "on",
        "note": "",
        **inline_management("sessions", len(sessions)),
        **inline_management("overrides", len(overrides)),
    }
    for i, (weekday, start, end) in enumerate(sessions):
        data |= {
            f"sessions-{i}-weekday": weekday,
            f"sessions-{i}-start": start,
            f"sessions-{i}-end": end,
        }
    for i, (day, kind) in enumerate(overrides):
        data |= {
            f"overrides-{i}-date": day,
            f"overrides-{i}-kind": kind,
            f"overrides-{i}-note": "TB số 5",
        }
    return data


def test_changelist_and_add_page_render(admin_client: Client) -> None:
    WorkCalendarFactory()
    assert admin_client.get(reverse("admin:worktime_workcalendar_changelist")).status_code == 200
    response = admin_client.get(reverse("admin:worktime_workcalendar_add"))
    assert response.status_code == 200
    # The default week is offered prefilled: ten sessions, Monday to Friday.
    formset = response.context["inline_admin_formsets"][0].formset
    assert [form.initial for form in formset.forms][:2] == [
        {"weekday": 0, "start": dt.time(7, 30), "end": dt.time(11, 30)},
        {"weekday": 0, "start": dt.time(13, 30), "end": dt.time(17)},
    ]
    assert len(formset.forms) == 10


def test_adding_a_calendar_with_sessions_and_overrides(admin_client: Client) -> None:
    # Given a commune service center without a calendar
    center = AgencyFactory(service_center=True)
    before = token()
    # When the administrator saves a calendar with a Saturday morning and a day off
    data = calendar_post(
        center.pk,
        [(d, "07:30", "11:30") for d in range(6)] + [(d, "13:30", "17:00") for d in range(5)],
        [("2026-03-04", OverrideKind.DAY_OFF)],
    )
    response = admin_client.post(reverse("admin:worktime_workcalendar_add"), data)
    # Then it is stored, and the very next deadline computation uses it
    assert response.status_code == 302, response.context and response.context["errors"]
    calendar = WorkCalendar.objects.get(agency=center)
    assert calendar.sessions.count() == 11
    assert list(calendar.overrides.values_list("date", "kind")) == [
        (dt.date(2026, 3, 4), "day_off")
    ]
    assert token() != before
    cal = calendar_for_agency(center)
    assert cal.extra_days_off == frozenset({dt.date(2026, 3, 4)})
    assert cal.weekly_sessions[5]


def test_overlapping_sessions_are_refused_and_nothing_is_saved(admin_client: Client) -> None:
    center = AgencyFactory()
    before = token()
    data = calendar_post(center.pk, [(0, "07:30", "11:30"), (0, "11:00", "12:00")], [])
    response = admin_client.post(reverse("admin:worktime_workcalendar_add"), data)
    assert response.status_code == 200
    assert "Các buổi làm việc của Thứ Hai trùng giờ nhau." in response.content.decode()
    assert not WorkCalendar.objects.filter(agency=center).exists()
    assert token() == before


def test_a_calendar_needs_a_session(admin_client: Client) -> None:
    center = AgencyFactory()
    response = admin_client.post(
        reverse("admin:worktime_workcalendar_add"), calendar_post(center.pk, [], [])
    )
    assert response.status_code == 200
    assert "Lịch làm việc cần ít nhất một buổi làm việc." in response.content.decode()
    assert not WorkCalendar.objects.filter(agency=center).exists()


def test_editing_an_inline_session_refreshes_the_cache(admin_client: Client) -> None:
    calendar = WorkCalendarFactory(sessions=[(0, "08:00", "12:00")])
    session = calendar.sessions.get()
    assert calendar_for_agency(calendar.agency).weekly_sessions[0][0].end == dt.time(12)
    data = calendar_post(calendar.agency_id, [(0, "08:00", "11:00")], [])
    data |= {
        "name": calendar.name,
        "sessions-INITIAL_FORMS": 1,
        "sessions-0-id": session.pk,
        "sessions-0-calendar": calendar.pk,
    }
    response = admin_client.post(
        reverse("admin:worktime_workcalendar_change", args=[calendar.pk]), data
    )
    assert response.status_code == 302
    assert calendar_for_agency(calendar.agency).weekly_sessions[0][0].end == dt.time(11)


def test_deleting_a_calendar_refreshes_the_cache(admin_client: Client) -> None:
    calendar = WorkCalendarFactory(name="Sẽ xóa")
    assert calendar_for_agency(calendar.agency).name == "Sẽ xóa"
    response = admin_client.post(
        reverse("admin:worktime_workcalendar_delete", args=[calendar.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert calendar_for_agency(calendar.agency).name == "Lịch làm việc mặc định"


@time_machine.travel(dt.datetime(2026, 8, 1, 9, tzinfo=dt.UTC), tick=False)
def test_change_page_previews_the_coming_irregular_days(admin_client: Client) -> None:
    calendar = WorkCalendar.objects.get(agency__isnull=True)
    page = admin_client.get(
        reverse("admin:worktime_workcalendar_change", args=[calendar.pk])
    ).content.decode()
    assert "22/08/2026 (Thứ Bảy): làm việc" in page
    assert "31/08/2026 (Thứ Hai): nghỉ" in page
    assert "24/11/2026 (Thứ Ba): nghỉ" in page


def test_override_list_add_and_delete(admin_client: Client) -> None:
    calendar = WorkCalendar.objects.get(agency__isnull=True)
    saturday = dt.date(2026, 3, 7)
    response = admin_client.post(
        reverse("admin:worktime_calendaroverride_add"),
        {
            "calendar": calendar.pk,
            "date": "2026-03-07",
            "kind": OverrideKind.WORKING_DAY,
            "note": "",
        },
    )
    assert response.status_code == 302
    assert saturday in calendar_for_agency(None).extra_working_days
    override = CalendarOverride.objects.get(calendar=calendar, date=saturday)
    assert (
        admin_client.get(reverse("admin:worktime_calendaroverride_changelist")).status_code == 200
    )
    response = admin_client.post(
        reverse("admin:worktime_calendaroverride_delete", args=[override.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert saturday not in calendar_for_agency(None).extra_working_days


def test_bulk_delete_action_refreshes_the_cache(admin_client: Client) -> None:
    calendar = WorkCalendarFactory(name="Hàng loạt")
    response = admin_client.post(
        reverse("admin:worktime_workcalendar_changelist"),
        {"action": "delete_selected", "_selected_action": [calendar.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert calendar_for_agency(calendar.agency).name == "Lịch làm việc mặc định"
