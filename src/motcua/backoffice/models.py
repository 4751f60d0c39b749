"""The back office's own tables: the leaders' daily digests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
