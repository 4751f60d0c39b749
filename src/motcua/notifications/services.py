"""Turning dossier events into messages, sending them, reminders, preferences, notices."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from motcua.accounts.models import User
from motcua.dossiers.constants import Action, Status
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.outbox.exceptions import PermanentFailure
from motcua.outbox.services import outbox_enqueue
from motcua.worktime.selectors import calendar_for_agency

from . import conf
from .channels import OutgoingMessage, sender_for
from .constants import DOSSIER_EVENT, SEND_MESSAGE, Event, MessageState
from .models import NotificationMessage, NotificationPreference, NotificationTemplate, StaffNotice
from .rendering import amount_text, local_time, render_text
from .rules import (
    SUPPLEMENT_REMINDER_WORKING_DAYS,
    citizen_event,
    staff_notice,
    working_days_waited,
)
from .selectors import recipients_for

SUPPLEMENT_REMINDER = "notifications.supplement_reminder"


def tracking_url(dossier: Dossier) -> str:
    if not dossier.code:
        return conf.public_url() + reverse("portal:track")
    return conf.public_url() + reverse("portal:track-dossier", kwargs={"code": dossier.code})


def message_context(dossier: Dossier, event: DossierEvent | None) -> dict[str, Any]:
    """What a template may show (``rendering.CONTEXT_NAMES``), from the dossier and the event:
    no name, address or identity number of the applicant."""
    data: dict[str, Any] = (event.data if event is not None else {}) or {}
    new_due = data.get("new_due_at")
    return {
        "code": dossier.code or "",
        "procedure": dossier.procedure.name,
        "agency": dossier.agency.name,
        "tracking_url": tracking_url(dossier),
        "appointment": local_time(dossier.due_at),
        "items": [str(item) for item in data.get("items", [])],
        "amount": amount_text(data.get("amount")),
        "new_due": local_time(dt.datetime.fromisoformat(new_due)) if new_due else "",
        "reason": event.note if event is not None else "",
        "decision": dossier.decision,
        "site_name": settings.MOTCUA_SITE_NAME,
    }


def _messages_for(
    *, dossier: Dossier, event_kind: Event, source: DossierEvent | None, key: str
) -> list[NotificationMessage]:
    """Write (once per key and channel) the applicant's messages and their outbox rows."""
    template = NotificationTemplate.objects.filter(event=event_kind, is_active=True).first()
    if template is None:
        return []
    context = message_context(dossier, source)
    subject = render_text(template.subject, context)
    body = render_text(template.body, context)
    short_body = render_text(template.short_body, context)
    messages = []
    for channel, recipient in recipients_for(dossier):
        message, _ = NotificationMessage.objects.get_or_create(
            idempotency_key=f"{key}-{channel}",
            defaults={
                "dossier": dossier,
                "event": event_kind,
                "channel": channel,
                "recipient": recipient,
                "subject": subject if channel == "email" else "",
                "body": body if channel == "email" else short_body,
                "params": template_params(context),
            },
        )
        outbox_enqueue(
            kind=SEND_MESSAGE,
            payload={"message": message.pk},
            idempotency_key=f"notification-{message.pk}",
        )
        messages.append(message)
    return messages


@transaction.atomic
def notifications_for_event(*, event_id: int, assignee_id: int | None) -> list[NotificationMessage]:
    """Handle a dossier history event: the applicant's messages on their channels, and the
    in-app notice of the officer the dossier went to. Idempotent (keys derived from the
    event): running it again after a crash creates nothing twice."""
    event = (
        DossierEvent.objects.select_related(
            "dossier__procedure", "dossier__agency", "dossier__owner"
        )
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return []
    dossier = event.dossier
    notice = staff_notice(event.action, has_assignee=assignee_id is not None)
    if notice is not None and assignee_id is not None:
        StaffNotice.objects.get_or_create(
            source_event=event,
            user_id=assignee_id,
            defaults={"dossier": dossier, "kind": notice, "created_at": event.at},
        )
    kind = citizen_event(event.action, event.from_status)
    if kind is None:
        return []
    return _messages_for(dossier=dossier, event_kind=kind, source=event, key=f"event-{event.pk}")


def message_send(
    *, message_id: int, attempt: int, last_attempt: bool
) -> NotificationMessage | None:
    """Send one logged message through its channel (the outbox handler's work), recording the
    outcome on the message. Failures are re-raised for the outbox to retry; a message already
    sent is not sent again."""
    message = NotificationMessage.objects.filter(pk=message_id).first()
    if message is None or message.state == MessageState.SENT:
        return message
    outgoing = OutgoingMessage(
        channel=message.channel,
        event=message.event,
        recipient=message.recipient,
        subject=message.subject,
        body=message.body,
        idempotency_key=message.idempotency_key,
        data=_template_data(message),
    )
    try:
        provider_id = sender_for(message.channel).send(outgoing)
    except Exception as error:
        final = last_attempt or isinstance(error, PermanentFailure)
        NotificationMessage.objects.filter(pk=message.pk).update(
            state=MessageState.FAILED if final else MessageState.RETRYING,
            attempts=attempt,
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        raise
    NotificationMessage.objects.filter(pk=message.pk).update(
        state=MessageState.SENT,
        attempts=attempt,
        provider_id=provider_id[:100],
        sent_at=timezone.now(),
        last_error="",
    )
    message.refresh_from_db()
    return message


def template_params(context: dict[str, Any]) -> dict[str, str]:
    """The message's values as texts, empty ones left out (Zalo's template parameters)."""
    params = {}
    for name in ("code", "tracking_url", "appointment", "amount", "new_due"):
        value = context.get(name)
        if value:
            params[name] = str(value)
    if context.get("items"):
        params["items"] = "; ".join(context["items"])
    return params


def _template_data(message: NotificationMessage) -> dict[str, str]:
    """Zalo's template parameters (its approved templates hold the wording)."""
    if message.params:
        return {str(key): str(value) for key, value in message.params.items()}
    dossier = message.dossier  # a message logged before parameters were kept
    return {"code": dossier.code or "", "tracking_url": tracking_url(dossier)}


def supplement_reminders_enqueue(*, now: dt.datetime | None = None) -> int:
    """Queue a reminder for each dossier whose supplement has been awaited for 5 working days
    (its receiving agency's calendar) since it was asked for; once per request. Returns how
    many were queued now (repeats are ignored by the outbox key)."""
    now = now or timezone.now()
    last_request = (
        DossierEvent.objects.filter(dossier=OuterRef("pk"), action=Action.REQUEST_SUPPLEMENT)
        .order_by("-seq")
        .values
    )
    waiting = (
        Dossier.objects.filter(status=Status.SUPPLEMENT_REQUESTED)
        .select_related("agency")
        .annotate(
            request_id=Subquery(last_request("pk")[:1]),
            requested_at=Subquery(last_request("at")[:1]),
        )
        .order_by()
    )
    queued = 0
    for dossier in waiting.iterator(chunk_size=500):
        request_id: int | None = getattr(dossier, "request_id", None)
        requested_at: dt.datetime | None = getattr(dossier, "requested_at", None)
        if request_id is None or requested_at is None:
            continue
        cal = calendar_for_agency(dossier.agency)
        if working_days_waited(cal, requested_at, now) < SUPPLEMENT_REMINDER_WORKING_DAYS:
            continue
        with transaction.atomic():
            outbox_enqueue(
                kind=SUPPLEMENT_REMINDER,
                payload={"event": request_id},
                idempotency_key=f"supplement-reminder-{request_id}",
            )
        queued += 1
    return queued


@transaction.atomic
def supplement_reminder_send(*, request_event_id: int) -> list[NotificationMessage]:
    """The reminder's messages, unless the supplement has arrived meanwhile."""
    event = (
        DossierEvent.objects.select_related(
            "dossier__procedure", "dossier__agency", "dossier__owner"
        )
        .filter(pk=request_event_id, action=Action.REQUEST_SUPPLEMENT)
        .first()
    )
    if event is None or event.dossier.status != Status.SUPPLEMENT_REQUESTED:
        return []
    return _messages_for(
        dossier=event.dossier,
        event_kind=Event.SUPPLEMENT_REMINDER,
        source=event,
        key=f"reminder-{event.pk}",
    )


@transaction.atomic
def preference_update(*, user: User, email: bool, sms: bool, zalo: bool) -> NotificationPreference:
    """Record the channels ``user`` wants (all may be off: then nothing is sent)."""
    row, _ = NotificationPreference.objects.update_or_create(
        user=user, defaults={"email": email, "sms": sms, "zalo": zalo}
    )
    return row


def notices_mark_read(*, viewer: User, notice_ids: list[int] | None = None) -> int:
    """Mark the viewer's notices read (the given ones, or all); returns how many changed."""
    rows = StaffNotice.objects.filter(user=viewer, read_at__isnull=True)
    if notice_ids is not None:
        rows = rows.filter(pk__in=notice_ids)
    return rows.update(read_at=timezone.now())


__all__ = [
    "DOSSIER_EVENT",
    "SUPPLEMENT_REMINDER",
    "message_send",
    "notices_mark_read",
    "notifications_for_event",
    "preference_update",
    "supplement_reminder_send",
    "supplement_reminders_enqueue",
]
