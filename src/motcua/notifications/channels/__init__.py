"""Channel adapters: each sends one rendered message and returns the provider's message id.

They raise ``outbox.exceptions.DeliveryFailed`` (retry later) or ``PermanentFailure`` (the
provider refused the request itself); error texts never include the recipient.
"""

from __future__ import annotations

from ..constants import Channel
from .base import OutgoingMessage, Sender
from .email import EmailSender
from .sms import SmsSender
from .zalo import ZaloSender

_SENDERS: dict[str, Sender] = {
    Channel.EMAIL: EmailSender(),
    Channel.SMS: SmsSender(),
    Channel.ZALO: ZaloSender(),
}


def sender_for(channel: str) -> Sender:
    return _SENDERS[channel]


__all__ = ["OutgoingMessage", "Sender", "sender_for"]
