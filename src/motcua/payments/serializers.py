"""Representations of a dossier's fees and payments for the API (``payments/api.py``). The
serializers document the shape for the OpenAPI schema; the payloads are built by the functions
below, which a test holds to the serializers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rest_framework import serializers

from .models import Payment
from .selectors import FeeRow

_WHEN = serializers.DateTimeField()


def _time(value: dt.datetime | None) -> str | None:
    return _WHEN.to_representation(value) if value else None


class OnlinePaymentStartedSerializer(serializers.Serializer[dict[str, Any]]):
    payment_id = serializers.UUIDField(help_text="Our payment id, the gateway's `vnp_TxnRef`.")
    amount = serializers.IntegerField(help_text="đồng: everything the dossier still owes.")
    pay_url = serializers.URLField(
        help_text="The gateway's signed payment page: send the payer's browser there. The "
        "payment becomes paid only from the gateway's notification (IPN)."
    )
    expires_at = serializers.DateTimeField(
        help_text="After this the gateway refuses the link; start a new payment."
    )


class ObligationItemSerializer(serializers.Serializer[dict[str, Any]]):
    """One amount the dossier owes: a procedure fee (written to the ledger the first time it
    is touched, computed before) or an amount asked by ``request_payment``."""

    key = serializers.CharField(
        help_text="`obligation:<id>` once written; `fee:<id>` or `event:<id>` before."
    )
    name = serializers.CharField()
    quantity = serializers.IntegerField()
    amount = serializers.IntegerField(help_text="đồng, the quantity included.")
    exempt = serializers.BooleanField()
    exemption_reason = serializers.CharField(allow_blank=True)
    paid = serializers.BooleanField()


class PaymentItemSerializer(serializers.Serializer[dict[str, Any]]):
    id = serializers.UUIDField()
    method = serializers.ChoiceField(choices=["cash", "transfer", "online"])
    state = serializers.ChoiceField(choices=["pending", "paid", "failed", "cancelled"])
    amount = serializers.IntegerField(help_text="đồng")
    receipt_number = serializers.CharField(
        allow_blank=True, help_text="The counter's receipt (cash, transfer); empty online."
    )
    created_at = serializers.DateTimeField()
    paid_at = serializers.DateTimeField(allow_null=True)
    gateway_transaction_no = serializers.CharField(
        allow_null=True,
        help_text="The gateway's transaction number, for reconciliation: staff only (null for "
        "the applicant).",
    )


class FeeTotalsSerializer(serializers.Serializer[dict[str, Any]]):
    total = serializers.IntegerField(help_text="đồng owed, exemptions taken off (as `fees`).")
    paid = serializers.IntegerField()
    due = serializers.IntegerField(help_text="Still to pay (a per-copy fee not yet written too).")


class DossierPaymentsSerializer(serializers.Serializer[dict[str, Any]]):
    fees = FeeTotalsSerializer()
    obligations = ObligationItemSerializer(many=True)
    payments = PaymentItemSerializer(many=True)


def started_payload(payment: Payment, *, pay_url: str, expires_at: dt.datetime) -> dict[str, Any]:
    return {
        "payment_id": str(payment.pk),
        "amount": payment.amount,
        "pay_url": pay_url,
        "expires_at": _time(expires_at),
    }


def obligation_payload(row: FeeRow) -> dict[str, Any]:
    return {
        "key": row.key,
        "name": row.name,
        "quantity": row.quantity,
        "amount": row.amount,
        "exempt": row.exempt,
        "exemption_reason": row.exemption_reason,
        "paid": row.paid,
    }


def payment_payload(payment: Payment, *, staff: bool) -> dict[str, Any]:
    return {
        "id": str(payment.pk),
        "method": payment.method,
        "state": payment.state,
        "amount": payment.amount,
        "receipt_number": payment.receipt_number,
        "created_at": _time(payment.created_at),
        "paid_at": _time(payment.paid_at),
        "gateway_transaction_no": (payment.gateway_transaction_no or None) if staff else None,
    }
