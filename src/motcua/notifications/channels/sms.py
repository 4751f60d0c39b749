from __future__ import annotations

import unicodedata

from motcua.outbox.exceptions import DeliveryFailed

from .. import conf
from .base import OutgoingMessage, post_json

_D = str.maketrans({"đ": "d", "Đ": "D"})


def unaccented(text: str) -> str:
    """``"Đúng hẹn"`` → ``"Dung hen"`` (case kept, unlike ``core.text.strip_diacritics``)."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


class SmsSender:
    """An HTTP SMS gateway (brand-name SMS): ``POST {to, text, sender}`` as JSON, with our key
    in ``Idempotency-Key`` and ``Authorization: Bearer <key>``; the answer is ``{"id": ...}``.

    The text goes without diacritics: brand-name SMS in Vietnam is sent unaccented (and a
    Unicode SMS carries less than half the characters)."""

    def send(self, message: OutgoingMessage) -> str:
        answer = post_json(
            conf.sms_url(),
            {
                "to": message.recipient,
                "text": unaccented(message.body),
                "sender": conf.sms_sender(),
            },
            headers={
                "Authorization": f"Bearer {conf.sms_api_key()}",
                "Idempotency-Key": message.idempotency_key,
            },
            timeout=conf.http_timeout(),
        )
        provider_id = answer.get("id")
        if not isinstance(provider_id, str) or not provider_id:
            raise DeliveryFailed("SMS gateway answered without a message id")
        return provider_id
