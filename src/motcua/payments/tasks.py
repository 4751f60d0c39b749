"""Outbound calls of the payments app, delivered through the outbox.

``payments.gateway_query``: some minutes after an online attempt expires, ask the gateway what
became of it, in case its notification (IPN) never reached us. The answer goes through the same
checks as a notification (``payment_confirm_from_ipn``); a transaction the gateway never had is
an attempt the payer abandoned, and is cancelled.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from typing import Any

from django.utils import timezone

from motcua.outbox.exceptions import PermanentFailure
from motcua.outbox.handlers import Delivery, register

from . import gateway
from .constants import PaymentState
from .models import Payment

QUERY_KIND = "payments.gateway_query"
TIMEOUT_SECONDS = 15


def _post_json(url: str, body: dict[str, str]) -> dict[str, Any]:
    request = urllib.request.Request(  # noqa: S310  (the gateway's URL from our settings)
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            answer = json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        if 400 <= error.code < 500 and error.code not in (408, 429):
            raise PermanentFailure(f"gateway refused the query: HTTP {error.code}") from None
        raise
    if not isinstance(answer, dict):
        raise PermanentFailure("gateway answered something other than an object")
    return {str(k): str(v) for k, v in answer.items()}


@register(QUERY_KIND)
def deliver_gateway_query(delivery: Delivery) -> None:
    from .services import payment_apply_query_answer

    try:
        payment_id = uuid.UUID(str(delivery.payload.get("payment", "")))
    except ValueError:
        raise PermanentFailure("payload names no payment") from None
    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is None or payment.state != PaymentState.PENDING:
        return  # the notification came, or a newer attempt replaced this one
    cfg = gateway.config(payment.gateway)
    query = gateway.query_request(
        cfg,
        reference=payment.reference,
        request_id=f"{payment.reference[:24]}{delivery.attempt:08d}",
        transaction_date=payment.created_at,
        now=timezone.now(),
    )
    answer = _post_json(cfg.query_url, query)
    payment_apply_query_answer(payment_id=payment.pk, answer=answer)
