"""Admin screens for working calendars. Writes go through services so caches are refreshed."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .calendar import irregular_days
from .constants import Weekday
from .models import CalendarOverride, WorkCalendar, WorkSession
from .selectors import work_calendar_as_calendar
from .services import (
    calendar_override_delete,
    calendar_override_save,
    default_session_rows,
    work_calendar_delete,
    work_calendar_save,
    work_calendar_touch,
)

PREVIEW_DAYS = 366


class WorkSessionFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return  # row errors first; these checks need every row's times
        by_day: dict[int, list[tuple[dt.time, dt.time]]] = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue  # an empty extra row, or one being deleted
            weekday, start, end = data.get("weekday"), data.get("start"), data.get("end")
            if weekday is None or start is None or end is None:
                continue
            by_day.setdefault(int(weekday), []).append((start, end))
        if not by_day:
            # The admin's min_num only shapes the page; it does not validate. A calendar without
            # sessions would make every deadline computation fail, so refuse it here.
            raise forms.ValidationError(_("Lịch làm việc cần ít nhất một buổi làm việc."))
        for weekday, sessions in sorted(by_day.items()):
            sessions.sort()
            for (_start, end), (next_start, _end) in itertools.pairwise(sessions):
                if next_start < end:
                    raise forms.ValidationError(
                        _("Các buổi làm việc của %(day)s trùng giờ nhau.")
                        % {"day": Weekday(weekday).label}
                    )


class WorkSessionInline(admin.TabularInline):
    model = WorkSession
    formset = WorkSessionFormSet
    min_num = 1
    extra = 0

    def get_extra(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        # A new calendar starts from the default week (see get_formset_kwargs): room for it.
        return len(default_session_rows()) - self.min_num if obj is None or obj.pk is None else 0


class CalendarOverrideInline(admin.TabularInline):
    model = CalendarOverride
    extra = 0
    fields = ["date", "kind", "note"]


@admin.register(WorkCalendar)
class WorkCalendarAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "use_national_holidays", "updated_at"]
    list_filter = ["use_national_holidays"]
    search_fields = ["name", "agency__name", "agency__code"]
    autocomplete_fields = ["agency"]
    list_select_related = ["agency"]
    inlines = [WorkSessionInline, CalendarOverrideInline]
    readonly_fields = ["updated_at", "coming_irregular_days"]
    fields = [
        "name",
        "agency",
        "use_national_holidays",
        "note",
        "coming_irregular_days",
        "updated_at",
    ]

    def get_formset_kwargs(
        self, request: HttpRequest, obj: Any, inline: Any, prefix: str
    ) -> dict[str, Any]:
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        # Prefill the default week on a new calendar. Only on GET: posted rows then differ from
        # an empty initial, so rows left as prefilled are saved rather than skipped as unchanged.
        if isinstance(inline, WorkSessionInline) and obj.pk is None and request.method == "GET":
            kwargs["initial"] = [
                {"weekday": weekday, "start": start, "end": end}
                for weekday, start, end in default_session_rows()
            ]
        return kwargs

    @admin.display(description=_("Ngày nghỉ, ngày làm việc khác thường lệ trong 12 tháng tới"))
    def coming_irregular_days(self, obj: WorkCalendar) -> str:
        if obj.pk is None:
            return "-"
        today = timezone.localdate()
        days = irregular_days(
            work_calendar_as_calendar(obj), today, today + dt.timedelta(days=PREVIEW_DAYS)
        )
        if not days:
            return str(_("Không có."))
        labels = {True: _("làm việc"), False: _("nghỉ")}
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} ({}): {}</li>",
                (
                    (day.strftime("%d/%m/%Y"), Weekday(day.weekday()).label, labels[working])
                    for day, working in days
                ),
            ),
        )

    def save_model(self, request: HttpRequest, obj: WorkCalendar, form: Any, change: bool) -> None:
        work_calendar_save(calendar=obj)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # Inline rows are saved by the admin itself; record the change for the caches.
        work_calendar_touch(calendar=form.instance)

    def delete_model(self, request: HttpRequest, obj: WorkCalendar) -> None:
        work_calendar_delete(calendar=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[WorkCalendar]) -> None:
        for calendar in queryset:
            work_calendar_delete(calendar=calendar)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    """All overrides in one list, to enter an announcement for several calendars quickly."""

    list_display = ["date", "kind", "calendar", "note"]
    list_filter = ["kind", "calendar"]
    search_fields = ["note", "calendar__name"]
    date_hierarchy = "date"
    list_select_related = ["calendar"]
    ordering = ["-date"]

    def save_model(
        self, request: HttpRequest, obj: CalendarOverride, form: Any, change: bool
    ) -> None:
        calendar_override_save(override=obj)

    def delete_model(self, request: HttpRequest, obj: CalendarOverride) -> None:
        calendar_override_delete(override=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarOverride]) -> None:
        for override in queryset:
            calendar_override_delete(override=override)
