from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    """What a citizen is told about, one template each."""

    SUBMITTED = "submitted", _("Đã nộp hồ sơ")
    RECEIVED = "received", _("Đã tiếp nhận hồ sơ")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung hồ sơ")
    SUPPLEMENT_REMINDER = "supplement_reminder", _("Nhắc bổ sung hồ sơ")
    PAYMENT_REQUESTED = "payment_requested", _("Yêu cầu nộp phí, lệ phí")
    EXTENDED = "extended", _("Gia hạn, xin lỗi")
    RESOLVED = "resolved", _("Đã có kết quả")
    RETURNED = "returned", _("Đã trả kết quả")


class Channel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")
    ZALO = "zalo", _("Zalo")


class MessageState(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    RETRYING = "retrying", _("Đang thử gửi lại")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi thất bại")


class NoticeKind(models.TextChoices):
    """In-app notices to staff."""

    ASSIGNED = "assigned", _("Hồ sơ được giao cho bạn")
    SUPPLEMENTED = "supplemented", _("Hồ sơ đã được bổ sung")


# Outbox kinds handled by this app (outbox.handlers).
DOSSIER_EVENT = "notifications.dossier_event"
SEND_MESSAGE = "notifications.send_message"
