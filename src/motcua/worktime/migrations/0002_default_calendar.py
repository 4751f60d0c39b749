"""Create the deployment's default working calendar and the cache revision row.

Monday to Friday, 07:30-11:30 and 13:30-17:00, with national holidays: the hours most state
agencies keep. Values are written out here rather than imported, so that this migration keeps
doing what it did when later code changes.
"""

import datetime
import uuid

from django.db import migrations

DEFAULT_NAME = "Lịch làm việc mặc định"
DEFAULT_SESSIONS = [
    (weekday, datetime.time(*start), datetime.time(*end))
    for weekday in range(5)
    for start, end in (((7, 30), (11, 30)), ((13, 30), (17, 0)))
]


def create_default_calendar(apps, schema_editor):
    WorkCalendar = apps.get_model("worktime", "WorkCalendar")
    WorkSession = apps.get_model("worktime", "WorkSession")
    CalendarRevision = apps.get_model("worktime", "CalendarRevision")
    if not WorkCalendar.objects.filter(agency__isnull=True).exists():
        calendar = WorkCalendar.objects.create(name=DEFAULT_NAME, use_national_holidays=True)
        WorkSession.objects.bulk_create(
            WorkSession(calendar=calendar, weekday=weekday, start=start, end=end)
            for weekday, start, end in DEFAULT_SESSIONS
        )
    # A fresh token, so that no process keeps serving what it cached before this migration.
    CalendarRevision.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4()})


def remove_default_calendar(apps, schema_editor):
    WorkCalendar = apps.get_model("worktime", "WorkCalendar")
    CalendarRevision = apps.get_model("worktime", "CalendarRevision")
    # Only the calendar this migration created; a default an administrator renamed is theirs.
    WorkCalendar.objects.filter(agency__isnull=True, name=DEFAULT_NAME).delete()
    CalendarRevision.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4()})


class Migration(migrations.Migration):
    dependencies = [("worktime", "0001_initial")]

    operations = [migrations.RunPython(create_default_calendar, remove_default_calendar)]
