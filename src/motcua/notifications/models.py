"""Notification templates, the citizen's channels, the log of messages, staff notices."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import Channel, Event, MessageState, NoticeKind

USER = settings.AUTH_USER_MODEL


class NotificationTemplate(models.Model):
    """The Vietnamese text of one event's messages, editable in the admin.

    Written in Django's template language over a small context (``rendering.CONTEXT_NAMES``):
    the dossier code, procedure, tracking link, dates, amounts, the list of documents to add.
    ``subject`` and ``body`` make the email; ``short_body`` is the SMS and Zalo text.
    """

    event = models.CharField(_("sự kiện"), max_length=32, choices=Event.choices, unique=True)
    subject = models.CharField(_("tiêu đề thư"), max_length=200)
    body = models.TextField(_("nội dung thư điện tử"))
    short_body = models.TextField(_("nội dung tin nhắn ngắn (SMS, Zalo)"))
    is_active = models.BooleanField(_("đang dùng"), default=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        ordering = ["event"]
        verbose_name = _("mẫu thông báo")
        verbose_name_plural = _("mẫu thông báo")
        constraints = [
            models.CheckConstraint(
                condition=Q(event__in=Event.values), name="notification_template_event_valid"
            )
        ]

    def __str__(self) -> str:
        return self.get_event_display()


class NotificationPreference(models.Model):
    """Which channels a citizen wants. Without a row: email and SMS where an address is known."""

    user = models.OneToOneField(
        USER, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.BooleanField(_("thư điện tử"), default=True)
    sms = models.BooleanField(_("tin nhắn SMS"), default=True)
    zalo = models.BooleanField(_("Zalo"), default=False)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("kênh nhận thông báo")
        verbose_name_plural = _("kênh nhận thông báo")

    def __str__(self) -> str:
        return str(self.user_id)

    def channels(self) -> list[str]:
        return [c for c in Channel.values if getattr(self, c)]


class NotificationMessage(models.Model):
    """One message on one channel, logged with its delivery state.

    Holds only what the message needs: where it goes (an email address or phone number) and its
    text, which carries the dossier code and link but not the applicant's other details.
    """

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(_("sự kiện"), max_length=32, choices=Event.choices)
    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(_("người nhận"), max_length=254)
    subject = models.CharField(_("tiêu đề"), max_length=200, blank=True)
    body = models.TextField(_("nội dung"))
    # The template's values as texts (code, link, dates, amount): a Zalo template message
    # carries these, its wording being approved at Zalo.
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    idempotency_key = models.CharField(max_length=200, unique=True)
    state = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=MessageState.choices,
        default=MessageState.PENDING,
    )
    attempts = models.PositiveIntegerField(_("số lần gửi"), default=0)
    provider_id = models.CharField(_("mã của nhà cung cấp"), max_length=100, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("thông báo đã gửi")
        verbose_name_plural = _("thông báo đã gửi")
        indexes = [models.Index(fields=["dossier", "created_at"], name="notification_dossier_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="notification_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=MessageState.values), name="notification_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} / {self.channel} ({self.state})"


class StaffNotice(models.Model):
    """An in-app notice for one officer (a dossier given to them, a supplement arrived)."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="notices")
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="staff_notices"
    )
    kind = models.CharField(_("loại"), max_length=16, choices=NoticeKind.choices)
    # The event that caused it: one notice per event and officer, however often it is handled.
    source_event = models.ForeignKey(
        "dossiers.DossierEvent", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    read_at = models.DateTimeField(_("đã xem lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("thông báo cho cán bộ")
        verbose_name_plural = _("thông báo cho cán bộ")
        indexes = [models.Index(fields=["user", "read_at", "created_at"], name="notice_user_idx")]
        constraints = [
            models.UniqueConstraint(fields=["source_event", "user"], name="notice_once_per_event"),
            models.CheckConstraint(
                condition=Q(kind__in=NoticeKind.values), name="notice_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} {self.dossier_id}"
