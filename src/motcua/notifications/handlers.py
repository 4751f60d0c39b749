"""The outbox handlers of this app (registered when the app is ready)."""

from __future__ import annotations

from motcua.outbox.handlers import Delivery, register

from . import services
from .constants import DOSSIER_EVENT, SEND_MESSAGE


@register(DOSSIER_EVENT)
def notify_dossier_event(delivery: Delivery) -> None:
    services.notifications_for_event(
        event_id=int(delivery.payload["event"]), assignee_id=delivery.payload.get("assignee")
    )


@register(SEND_MESSAGE)
def send_message(delivery: Delivery) -> None:
    services.message_send(
        message_id=int(delivery.payload["message"]),
        attempt=delivery.attempt,
        last_attempt=delivery.last_attempt,
    )


@register(services.SUPPLEMENT_REMINDER)
def send_supplement_reminder(delivery: Delivery) -> None:
    services.supplement_reminder_send(request_event_id=int(delivery.payload["event"]))
