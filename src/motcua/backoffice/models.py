"""The back office's own table: staff members' two-factor (TOTP) devices."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TotpDevice(models.Model):
    """A staff member's authenticator app, confirmed by a first correct code at enrolment.

    ``last_used_step`` is the time step of the last code accepted: a code of that step or an
    earlier one is refused, so a code seen over a shoulder cannot be used again (replay)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="totp_device",
        verbose_name=_("người dùng"),
    )
    secret = models.CharField(_("khóa bí mật"), max_length=64)
    confirmed_at = models.DateTimeField(_("kích hoạt lúc"))
    last_used_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("thiết bị xác thực hai bước")
        verbose_name_plural = _("thiết bị xác thực hai bước")
        constraints = [
            models.CheckConstraint(condition=~Q(secret=""), name="backoffice_totp_secret_set"),
        ]

    def __str__(self) -> str:
        return f"TOTP {self.user_id}"


class LeaderDigest(models.Model):
    """A leader's daily digest email, sent (``send_leader_digests``). One per leader and local
    day: a second run that day finds it and sends nothing again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("lãnh đạo"),
    )
    day = models.DateField(_("ngày"))
    sent_at = models.DateTimeField(_("gửi lúc"))
    overdue = models.PositiveIntegerField(_("số hồ sơ quá hạn"), default=0)
    due_soon = models.PositiveIntegerField(_("số hồ sơ sắp đến hạn"), default=0)

    class Meta:
        verbose_name = _("thư tổng hợp hằng ngày của lãnh đạo")
        verbose_name_plural = _("thư tổng hợp hằng ngày của lãnh đạo")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="backoffice_leader_digest_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"
