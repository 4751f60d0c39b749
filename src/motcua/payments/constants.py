"""Choices of the payments app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ObligationKind(models.TextChoices):
    PROCEDURE_FEE = "procedure_fee", _("Phí, lệ phí của thủ tục")
    REQUESTED = "requested", _("Khoản thu yêu cầu thêm")


class Method(models.TextChoices):
    CASH = "cash", _("Tiền mặt")
    TRANSFER = "transfer", _("Chuyển khoản")
    ONLINE = "online", _("Trực tuyến")


class PaymentState(models.TextChoices):
    PENDING = "pending", _("Đang chờ")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Không thành công")
    CANCELLED = "cancelled", _("Đã hủy")


FINAL_STATES = frozenset({PaymentState.PAID, PaymentState.FAILED, PaymentState.CANCELLED})


class Verdict(models.TextChoices):
    """What we made of one gateway notification (IPN), for the reconciliation report."""

    CONFIRMED = "confirmed", _("Xác nhận thanh toán")
    FAILED = "failed", _("Giao dịch không thành công")
    DUPLICATE = "duplicate", _("Thông báo lặp lại")
    ALREADY_FINAL = "already_final", _("Giao dịch đã được xử lý trước đó")
    BAD_SIGNATURE = "bad_signature", _("Sai chữ ký")
    UNKNOWN_PAYMENT = "unknown_payment", _("Không khớp giao dịch nào")
    AMOUNT_MISMATCH = "amount_mismatch", _("Sai số tiền")
    NOT_OWED = "not_owed", _("Đã thu tiền cho khoản đã nộp: cần hoàn trả")
    MALFORMED = "malformed", _("Thiếu tham số")
    CONFLICT = "conflict", _("Mã giao dịch của cổng đã dùng cho khoản khác")


# Verdicts that mean nothing was wrong: the rest are "unmatched" in the reconciliation report.
MATCHED_VERDICTS = frozenset({Verdict.CONFIRMED, Verdict.FAILED, Verdict.DUPLICATE})
