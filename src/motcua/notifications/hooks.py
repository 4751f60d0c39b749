"""The one call the dossiers app makes: after a history event, in its transaction."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from motcua.outbox.services import outbox_enqueue

from .constants import DOSSIER_EVENT
from .rules import citizen_event, staff_notice

NEWS_WINDOW = dt.timedelta(hours=24)
"""Events dated earlier than this before now are history being loaded (the demo's sample,
transfers from older systems through ``dossier_act(now=...)``), not news: they tell nobody."""

if TYPE_CHECKING:
    from motcua.dossiers.models import DossierEvent


def dossier_event_recorded(event: DossierEvent) -> None:
    """Queue the notifications of ``event`` (at most one outbox INSERT, no read).

    Called by ``dossiers.history.event_append`` inside the change's transaction. What is sent
    to whom is decided when the outbox row is delivered (``handlers.notify_dossier_event``):
    the write path only records that this event has something to tell."""
    if event.at < timezone.now() - NEWS_WINDOW:
        return
    assignee_id = event.dossier.assignee_id
    notice = staff_notice(event.action, has_assignee=assignee_id is not None)
    if notice is None and citizen_event(event.action, event.from_status) is None:
        return
    outbox_enqueue(
        kind=DOSSIER_EVENT,
        # The officer the dossier went to, as of this event (it may move on before delivery).
        payload={"event": event.pk, "assignee": assignee_id if notice is not None else None},
        idempotency_key=f"dossier-event-{event.pk}",
    )
