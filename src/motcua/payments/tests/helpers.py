"""Helpers of the payments tests, on the small province of the dossier tests (``world``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from motcua.dossiers.constants import Action
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import dossier_act
from motcua.dossiers.tests.conftest import World
from motcua.payments import gateway
from motcua.payments.models import Payment
from motcua.portal.tests.journeys import received_online

__all__ = ["World", "fresh", "signed_result", "waiting_for_payment"]


def waiting_for_payment(world: World, amount: int = 50_000) -> Dossier:
    """The citizen's online birth registration, received at desk A, asked to pay ``amount``."""
    dossier = received_online(world, world.user("citizen"))
    return dossier_act(
        dossier_id=dossier.pk,
        action=Action.REQUEST_PAYMENT,
        actor=world.user("counter_a"),
        fields={"amount": amount, "note": "Phí thẩm định"},
    )


def signed_result(
    payment: Payment,
    *,
    response_code: str = "00",
    status: str = "00",
    amount: int | None = None,
    transaction_no: str = "14123456",
    secret: str | None = None,
    **extra: Any,
) -> dict[str, str]:
    """The gateway's result for ``payment`` as its IPN carries it, signed."""
    params = {
        "vnp_Amount": str((payment.amount if amount is None else amount) * 100),
        "vnp_BankCode": "NCB",
        "vnp_OrderInfo": "Thanh toan ho so",
        "vnp_PayDate": "20261127091500",
        "vnp_ResponseCode": response_code,
        "vnp_TmnCode": settings.MOTCUA_PAYMENT_MERCHANT_CODE,
        "vnp_TransactionNo": transaction_no,
        "vnp_TransactionStatus": status,
        "vnp_TxnRef": payment.reference,
        **extra,
    }
    params["vnp_SecureHash"] = gateway.sign(params, secret or settings.MOTCUA_PAYMENT_SECRET)
    return params


def fresh(dossier: Dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)
