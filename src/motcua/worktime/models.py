"""Working calendars (lịch làm việc) as stored and edited by administrators.

The arithmetic lives in :mod:`motcua.worktime.calendar`; ``selectors.calendar_for_agency`` turns
these rows into its pure ``Calendar``. Every write goes through ``services`` so that the calendar
cache learns about it (see ``CalendarRevision``).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .constants import REVISION_PK, OverrideKind, Weekday


class WorkCalendar(models.Model):
    """An agency's working calendar; the one without an agency is the deployment's default.

    An agency without a calendar of its own uses its nearest ancestor's, else the default.
    """

    name = models.CharField(_("tên lịch"), max_length=200)
    agency = models.OneToOneField(
        "catalog.Agency",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="work_calendar",
        verbose_name=_("cơ quan áp dụng"),
        help_text=_(
            "Để trống nếu đây là lịch mặc định của hệ thống. Cơ quan, đơn vị không có lịch riêng "
            "dùng lịch của cơ quan cấp trên gần nhất, nếu không có thì dùng lịch mặc định."
        ),
    )
    use_national_holidays = models.BooleanField(
        _("áp dụng ngày nghỉ lễ, Tết và ngày làm bù của Nhà nước"),
        default=True,
        help_text=_("Theo Bộ luật Lao động và thông báo nghỉ lễ hằng năm."),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lịch làm việc")
        verbose_name_plural = _("lịch làm việc")
        constraints = [
            # At most one default calendar: a unique index over a constant, on default rows only.
            models.UniqueConstraint(
                models.Value(1),
                condition=Q(agency__isnull=True),
                name="worktime_calendar_single_default",
                violation_error_message=_("Đã có lịch mặc định (lịch không gắn với cơ quan nào)."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class WorkSession(models.Model):
    """A weekly working session (buổi làm việc), e.g. Monday 07:30-11:30."""

    calendar = models.ForeignKey(
        WorkCalendar, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("lịch")
    )
    weekday = models.PositiveSmallIntegerField(_("thứ"), choices=Weekday.choices)
    start = models.TimeField(_("giờ bắt đầu"))
    end = models.TimeField(_("giờ kết thúc"))

    class Meta:
        ordering = ["calendar", "weekday", "start"]
        verbose_name = _("buổi làm việc")
        verbose_name_plural = _("buổi làm việc trong tuần")
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=F("end")),
                name="worktime_session_starts_before_end",
                violation_error_message=_("Giờ bắt đầu phải trước giờ kết thúc."),
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0) & Q(weekday__lte=6),
                name="worktime_session_weekday_valid",
            ),
            models.UniqueConstraint(
                fields=["calendar", "weekday", "start"],
                name="worktime_session_unique_start",
                violation_error_message=_("Đã có buổi làm việc bắt đầu vào giờ này trong ngày."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}-{self.end:%H:%M}"


class CalendarOverride(models.Model):
    """An announced exception for one date: an extra day off or an extra working day.

    For what the national holiday data lacks or gets wrong. A working day keeps its weekday's
    sessions, or gets Monday's if its weekday has none (see ``motcua.worktime.calendar``).
    """

    calendar = models.ForeignKey(
        WorkCalendar, on_delete=models.CASCADE, related_name="overrides", verbose_name=_("lịch")
    )
    date = models.DateField(_("ngày"))
    kind = models.CharField(_("điều chỉnh thành"), max_length=16, choices=OverrideKind.choices)
    note = models.CharField(
        _("căn cứ, ghi chú"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: số, ngày của văn bản thông báo."),
    )

    class Meta:
        ordering = ["calendar", "date"]
        verbose_name = _("ngày điều chỉnh")
        verbose_name_plural = _("ngày nghỉ, ngày làm việc điều chỉnh")
        constraints = [
            models.UniqueConstraint(
                fields=["calendar", "date"],
                name="worktime_override_unique_date",
                violation_error_message=_("Ngày này đã được điều chỉnh trong lịch."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=OverrideKind.values), name="worktime_override_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y}: {self.get_kind_display()}"


class CalendarRevision(models.Model):
    """A single row whose token changes, in the same transaction, with every calendar write.

    Built calendars are cached per process under the token they were built at; one primary-key
    read of this row tells whether they are still current. A random token rather than a counter,
    so that a rolled-back change can never be mistaken for a later committed one.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=REVISION_PK)
    token = models.UUIDField(default=uuid.uuid4)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("phiên bản lịch làm việc")
        verbose_name_plural = _("phiên bản lịch làm việc")
        constraints = [
            models.CheckConstraint(
                condition=Q(id=REVISION_PK), name="worktime_revision_single_row"
            ),
        ]

    def __str__(self) -> str:
        return str(self.token)
