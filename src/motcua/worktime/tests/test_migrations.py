"""The data migration that creates the default calendar, run on its own historical models."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from motcua.worktime.calendar import builtin_calendar
from motcua.worktime.models import CalendarRevision, WorkCalendar
from motcua.worktime.selectors import calendar_for_agency

pytestmark = pytest.mark.django_db

migration = importlib.import_module("motcua.worktime.migrations.0002_default_calendar")

DEFAULT_ROWS = sorted(
    (weekday, start, end)
    for weekday in range(5)
    for start, end in ((dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 30), dt.time(17)))
)


@pytest.fixture
def historical_apps():  # type: ignore[no-untyped-def]
    """The app registry as it was right after 0002_default_calendar."""
    state = MigrationLoader(connection).project_state(("worktime", "0002_default_calendar"))
    return state.apps


def default_rows() -> list[tuple[int, dt.time, dt.time]]:
    calendar = WorkCalendar.objects.get(agency__isnull=True)
    return sorted(calendar.sessions.values_list("weekday", "start", "end"))


def test_migrated_database_has_the_default_calendar() -> None:
    calendar = WorkCalendar.objects.get(agency__isnull=True)
    assert calendar.name == "Lịch làm việc mặc định"
    assert calendar.use_national_holidays
    assert default_rows() == DEFAULT_ROWS
    assert CalendarRevision.objects.filter(pk=1).exists()
    # The stored default is exactly the built-in one.
    assert calendar_for_agency(None) == builtin_calendar()


def test_forward_creates_the_default_calendar_and_a_new_token(historical_apps) -> None:  # type: ignore[no-untyped-def]
    # Given a database without a default calendar
    WorkCalendar.objects.filter(agency__isnull=True).delete()
    before = CalendarRevision.objects.get(pk=1).token
    # When the migration runs
    migration.create_default_calendar(historical_apps, None)
    # Then the default week is there, once, and caches are told
    assert default_rows() == DEFAULT_ROWS
    assert CalendarRevision.objects.get(pk=1).token != before


def test_forward_keeps_an_existing_default_calendar(historical_apps) -> None:  # type: ignore[no-untyped-def]
    WorkCalendar.objects.filter(agency__isnull=True).update(name="Lịch của tỉnh")
    migration.create_default_calendar(historical_apps, None)
    assert list(
        WorkCalendar.objects.filter(agency__isnull=True).values_list("name", flat=True)
    ) == ["Lịch của tỉnh"]
    assert default_rows() == DEFAULT_ROWS


def test_forward_creates_the_revision_row_when_missing(historical_apps) -> None:  # type: ignore[no-untyped-def]
    CalendarRevision.objects.all().delete()
    migration.create_default_calendar(historical_apps, None)
    assert CalendarRevision.objects.filter(pk=1).exists()


def test_backward_removes_only_the_calendar_it_created(historical_apps) -> None:  # type: ignore[no-untyped-def]
    migration.remove_default_calendar(historical_apps, None)
    assert not WorkCalendar.objects.filter(agency__isnull=True).exists()
    migration.create_default_calendar(historical_apps, None)
    WorkCalendar.objects.filter(agency__isnull=True).update(name="Lịch của tỉnh")
    migration.remove_default_calendar(historical_apps, None)
    assert WorkCalendar.objects.filter(agency__isnull=True).exists()
