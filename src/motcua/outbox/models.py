"""Outbox rows: one outbound call each, written in the transaction of the change causing it."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import State


class OutboxMessage(models.Model):
    """An outbound call to make (a notification, a payment request, a webhook).

    ``kind`` names the registered handler that makes the call (``outbox.handlers``);
    ``idempotency_key`` is unique here and is sent to providers that accept one, so that a
    retry after a timed-out call that did arrive is not acted on twice. ``claimed_until`` is
    the lease of the worker delivering it: past it, a ``delivering`` row whose worker died is
    claimed again. ``give_up_at`` is when failures stop being retried (row becomes ``dead``).
    """

    kind = models.CharField(_("loại"), max_length=64)
    payload = models.JSONField(_("nội dung"), default=dict)
    idempotency_key = models.CharField(_("khóa chống gửi trùng"), max_length=200, unique=True)
    state = models.CharField(
        _("trạng thái"), max_length=12, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("lần gửi tiếp theo"), default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    give_up_at = models.DateTimeField(_("ngừng thử lại lúc"))
    last_error = models.TextField(_("lỗi gần nhất"), blank=True, default="")
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    updated_at = models.DateTimeField(_("cập nhật lúc"), default=timezone.now)
    delivered_at = models.DateTimeField(_("gửi xong lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("thư đi")
        verbose_name_plural = _("hộp thư đi")
        indexes = [
            # The sweep reads only rows still to deliver, in due order.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state__in=[State.PENDING, State.DELIVERING]),
                name="outbox_due_idx",
            ),
            models.Index(fields=["kind", "state"], name="outbox_kind_state_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=State.values), name="outbox_state_valid"),
            models.CheckConstraint(
                condition=~Q(state=State.DELIVERING) | Q(claimed_until__isnull=False),
                name="outbox_delivering_is_claimed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.idempotency_key} ({self.state})"
