from __future__ import annotations

from motcua.outbox.exceptions import DeliveryFailed, PermanentFailure

from .. import conf
from .base import OutgoingMessage, post_json


def zalo_phone(phone: str) -> str:
    """Zalo wants the international form without "+": ``0901234567`` → ``84901234567``."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if digits.startswith("0"):
        return "84" + digits[1:]
    return digits


class ZaloSender:
    """A Zalo official-account template message (ZNS style): ``POST {phone, template_id,
    template_data, tracking_id}`` with the ``access_token`` header. ``tracking_id`` is our
    idempotency key. The answer is ``{"error": 0, "data": {"msg_id": ...}}``; another error
    code is the provider refusing the message."""

    def send(self, message: OutgoingMessage) -> str:
        answer = post_json(
            conf.zalo_url(),
            {
                "phone": zalo_phone(message.recipient),
                "template_id": message.event,
                "template_data": message.data,
                "tracking_id": message.idempotency_key,
            },
            headers={"access_token": conf.zalo_access_token()},
            timeout=conf.http_timeout(),
        )
        error = answer.get("error")
        if error != 0:
            raise PermanentFailure(f"Zalo refused the message: error {error}")
        data = answer.get("data")
        msg_id = data.get("msg_id") if isinstance(data, dict) else None
        if not isinstance(msg_id, str) or not msg_id:
            raise DeliveryFailed("Zalo answered without a message id")
        return msg_id
