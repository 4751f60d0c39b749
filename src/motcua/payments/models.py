"""Obligations (what a dossier owes), payments (money taken for them) and the gateway's
notifications (IPN) as received, for idempotency and reconciliation."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import Method, ObligationKind, PaymentState, Verdict

USER = settings.AUTH_USER_MODEL


class Obligation(models.Model):
    """One amount a dossier owes: a fee of its procedure (times a quantity), or an amount asked
    by ``request_payment`` (tied to that history event). An exemption waives it whole."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="obligations"
    )
    kind = models.CharField(_("loại khoản thu"), max_length=16, choices=ObligationKind.choices)
    fee = models.ForeignKey(
        "catalog.Fee", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    request_event = models.OneToOneField(
        "dossiers.DossierEvent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="obligation",
    )
    name = models.CharField(_("khoản thu"), max_length=500)
    quantity = models.PositiveIntegerField(_("số lượng"), default=1)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    created_at = models.DateTimeField(default=timezone.now)
    exempted_at = models.DateTimeField(_("miễn lúc"), null=True, blank=True)
    exempted_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    exemption_reason = models.CharField(_("lý do miễn"), max_length=500, blank=True)

    class Meta:
        ordering = ["dossier", "created_at", "name"]
        verbose_name = _("khoản phải nộp")
        verbose_name_plural = _("khoản phải nộp")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="obligation_amount_positive"),
            models.CheckConstraint(
                condition=Q(kind=ObligationKind.PROCEDURE_FEE, request_event__isnull=True)
                | Q(kind=ObligationKind.REQUESTED, request_event__isnull=False, fee__isnull=True),
                name="obligation_kind_source",
            ),
            # An exemption is all of who, when and why, or nothing.
            models.CheckConstraint(
                condition=Q(exempted_at__isnull=True, exempted_by__isnull=True, exemption_reason="")
                | (
                    Q(exempted_at__isnull=False, exempted_by__isnull=False)
                    & ~Q(exemption_reason="")
                ),
                name="obligation_exemption_complete",
            ),
            models.UniqueConstraint(
                fields=["dossier", "fee"],
                condition=Q(kind=ObligationKind.PROCEDURE_FEE, fee__isnull=False),
                name="obligation_one_per_procedure_fee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount:,} đ"

    @property
    def exempt(self) -> bool:
        return self.exempted_at is not None


class Payment(models.Model):
    """Money for a dossier's obligations. Its id is the gateway's transaction reference."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="payments"
    )
    method = models.CharField(_("hình thức"), max_length=8, choices=Method.choices)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=PaymentState.choices, default=PaymentState.PENDING
    )
    payer_name = models.CharField(_("người nộp"), max_length=200)
    receipt_number = models.CharField(_("số biên lai"), max_length=64, blank=True)
    gateway = models.CharField(max_length=32, blank=True)
    gateway_transaction_no = models.CharField(max_length=64, blank=True)
    gateway_bank_code = models.CharField(max_length=32, blank=True)
    gateway_response_code = models.CharField(max_length=8, blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    paid_at = models.DateTimeField(null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("khoản thanh toán")
        verbose_name_plural = _("khoản thanh toán")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(state__in=PaymentState.values), name="payment_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(method__in=Method.values), name="payment_method_valid"
            ),
            # Paid means a time; and a payment at the counter is paid when it is recorded, with
            # the number of the receipt handed over.
            models.CheckConstraint(
                condition=Q(state=PaymentState.PAID, paid_at__isnull=False)
                | (~Q(state=PaymentState.PAID) & Q(paid_at__isnull=True)),
                name="payment_paid_has_time",
            ),
            models.CheckConstraint(
                condition=Q(method=Method.ONLINE)
                | (Q(state=PaymentState.PAID) & ~Q(receipt_number="")),
                name="payment_counter_paid_with_receipt",
            ),
            models.CheckConstraint(
                condition=~Q(method=Method.ONLINE) | ~Q(gateway=""),
                name="payment_online_has_gateway",
            ),
            models.UniqueConstraint(
                fields=["gateway", "gateway_transaction_no"],
                condition=~Q(gateway_transaction_no=""),
                name="payment_gateway_transaction_unique",
            ),
        ]
        indexes = [models.Index(fields=["dossier", "state"], name="payment_dossier_state_idx")]

    def __str__(self) -> str:
        return f"{self.id} {self.method} {self.amount:,} đ {self.state}"

    @property
    def reference(self) -> str:
        """The transaction reference sent to the gateway: our id, 32 hex digits."""
        return self.id.hex


class PaymentLine(models.Model):
    """The part of a payment that pays one obligation. ``settled`` is set when the payment is
    paid: at most one settled line per obligation (paid once, whatever the races)."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="lines")
    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="lines")
    amount = models.PositiveBigIntegerField()
    settled = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_line_amount_positive"),
            models.UniqueConstraint(
                fields=["payment", "obligation"], name="payment_line_once_per_payment"
            ),
            models.UniqueConstraint(
                fields=["obligation"],
                condition=Q(settled=True),
                name="payment_line_one_paid_per_obligation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.payment_id} → {self.obligation_id}: {self.amount:,} đ"


class GatewayNotification(models.Model):
    """A server-to-server notification (IPN) as received, with what we made of it and what we
    answered. A repeated notification (same parameters) gets the stored answer again."""

    gateway = models.CharField(max_length=32)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    fingerprint = models.CharField(max_length=64)  # sha256 of the sorted parameters
    params = models.JSONField(default=dict)
    transaction_ref = models.CharField(max_length=100, blank=True)
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="notifications"
    )
    amount = models.BigIntegerField(null=True, blank=True)  # đồng, as the gateway said
    verdict = models.CharField(max_length=16, choices=Verdict.choices)
    answer_code = models.CharField(max_length=4)
    answer_message = models.CharField(max_length=100)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("thông báo từ cổng thanh toán")
        verbose_name_plural = _("thông báo từ cổng thanh toán")
        constraints = [
            models.CheckConstraint(
                condition=Q(verdict__in=Verdict.values), name="notification_verdict_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["gateway", "fingerprint"], name="notification_fingerprint_idx")
        ]

    def __str__(self) -> str:
        return f"{self.gateway} {self.transaction_ref} {self.verdict}"
