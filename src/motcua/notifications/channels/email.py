from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage

from motcua.outbox.exceptions import DeliveryFailed, PermanentFailure

from .base import OutgoingMessage


class EmailSender:
    """Django's email backend (SMTP in production, the console in the demo, memory in tests).

    SMTP has no idempotency key: the Message-ID is derived from ours, so that a message sent
    twice after a lost answer is one message to mail clients that thread by it."""

    def send(self, message: OutgoingMessage) -> str:
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
        message_id = f"<{message.idempotency_key}@{domain}>"
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            headers={"Message-ID": message_id},
        )
        try:
            email.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused:
            raise PermanentFailure("the mail server refused the recipient") from None
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryFailed(f"mail server error: {type(error).__name__}") from None
        return message_id
