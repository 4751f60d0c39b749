"""Factories for working-calendar tests. They write through services, as production code does."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from motcua.catalog.models import Agency
from motcua.catalog.services import agency_save
from motcua.worktime.models import WorkCalendar
from motcua.worktime.services import default_session_rows, work_calendar_create

SATURDAY_MORNING = (5, dt.time(7, 30), dt.time(11, 30))


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"T{n % 90 + 10:02d}.{n}")
    name = factory.Sequence(lambda n: f"Cơ quan thử {n}")
    level_id = "province"
    parent = None

    class Params:
        service_center = factory.Trait(is_service_center=True, level_id="commune")

    @classmethod
    def _create(cls, model_class: type[Agency], *args: Any, **kwargs: Any) -> Agency:
        # agency_save keeps the materialised path that calendar inheritance walks.
        return agency_save(agency=model_class(*args, **kwargs))


class WorkCalendarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkCalendar

    name = factory.Sequence(lambda n: f"Lịch thử {n}")
    agency = factory.SubFactory(AgencyFactory)
    use_national_holidays = True
    sessions = factory.LazyFunction(default_session_rows)

    class Params:
        saturday_morning = factory.Trait(
            sessions=factory.LazyFunction(lambda: [*default_session_rows(), SATURDAY_MORNING])
        )

    @classmethod
    def _create(cls, model_class: type[WorkCalendar], *args: Any, **kwargs: Any) -> WorkCalendar:
        return work_calendar_create(**kwargs)
