"""Writing to the outbox and delivering from it.

Public API (other apps use only these, plus ``handlers.register``):

- ``outbox_enqueue(kind=..., payload=..., idempotency_key=..., available_at=None)``: inside the
  caller's transaction, one INSERT; the row commits or rolls back with the change that caused it.
  After the commit a django-tasks task is enqueued to deliver it at once; if that task is lost
  (worker or process crash), the sweep (``manage.py outbox_deliver --loop``) delivers it.
- ``outbox_deliver_due()``: one pass of the sweep; ``outbox_deliver_key()``: the task's work.
- ``outbox_resend()``: the admin's "send again".

Delivery is at least once: a row is claimed by a conditional UPDATE (``pending`` and due, or
``delivering`` past its lease) so that two workers never deliver it at the same time; on
PostgreSQL the candidate is also read with ``FOR UPDATE SKIP LOCKED`` so that workers do not
queue behind each other. The handler runs outside any transaction; its outcome is recorded only
if the row is still the same claim (``attempts`` is the claim's token). Failures are retried
with backoff and jitter (``retry.retry_delay``) until ``give_up_at`` (24 hours after the
message was written, or after a resend), then the row is ``dead``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
import threading
from collections import Counter
from collections.abc import Iterable
from functools import partial
from typing import Any, cast

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, router, transaction
from django.db.models import F, Field, Q
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from . import conf
from .constants import State
from .exceptions import PermanentFailure, UnknownKind
from .handlers import Delivery, handler_for, is_registered
from .models import OutboxMessage
from .retry import retry_delay

logger = logging.getLogger(__name__)

MAX_KEY_LENGTH = 200
MAX_ERROR_LENGTH = 2000


def outbox_enqueue(
    *,
    kind: str,
    payload: dict[str, Any],
    idempotency_key: str,
    available_at: dt.datetime | None = None,
    using: str | None = None,
) -> None:
    """Write one outbound message in the caller's transaction (one INSERT).

    ``kind`` must have a registered handler (``outbox.handlers.register``), else ``UnknownKind``.
    ``payload`` must be JSON (dates, decimals and UUIDs become strings); keep personal data out
    of it: ids to look up at delivery time are better. ``idempotency_key`` (at most 200
    characters) identifies the call: a second message with a key already in the outbox is
    ignored (the first one is sent, once), and the key is what handlers send to providers.
    ``available_at``: not before this time (default: now).

    Raises ``TransactionManagementError`` outside ``transaction.atomic``: a message written
    outside the change's transaction could be sent for a change that never committed.
    """
    using = using or router.db_for_write(OutboxMessage)
    if not transaction.get_connection(using).in_atomic_block:
        raise TransactionManagementError(
            "outbox_enqueue must run inside the transaction of the change that causes it"
        )
    if not is_registered(kind):
        raise UnknownKind(f"no outbox handler registered for kind {kind!r}")
    if not idempotency_key or len(idempotency_key) > MAX_KEY_LENGTH:
        raise ValueError(f"idempotency_key must have 1 to {MAX_KEY_LENGTH} characters")
    if available_at is not None and timezone.is_naive(available_at):
        raise ValueError(f"available_at must be timezone-aware: {available_at!r}")
    content = json.loads(json.dumps(payload, cls=DjangoJSONEncoder, allow_nan=False))
    now = timezone.now()
    due = available_at if available_at is not None and available_at > now else now
    _insert_ignoring_duplicate(
        using,
        kind=kind,
        payload=content,
        idempotency_key=idempotency_key,
        state=State.PENDING,
        attempts=0,
        next_attempt_at=due,
        give_up_at=due + conf.retry_window(),
        last_error="",
        created_at=now,
        updated_at=now,
    )
    if conf.task_on_commit():
        transaction.on_commit(partial(_schedule, idempotency_key, due), using=using)


_INSERT_SQL: dict[str, tuple[str, list[Field[Any, Any]]]] = {}


def _insert_ignoring_duplicate(using: str, **values: Any) -> None:
    """One ``INSERT ... ON CONFLICT (idempotency_key) DO NOTHING`` (PostgreSQL and SQLite), the
    statement built once per database: a duplicate key neither fails nor needs a savepoint that
    would break or slow the caller's transaction. (``bulk_create(ignore_conflicts=True)`` says
    the same but costs several times more Python on the counter's path.)"""
    connection = connections[using]
    plan = _INSERT_SQL.get(using)
    if plan is None:
        meta = OutboxMessage._meta
        fields = [cast("Field[Any, Any]", meta.get_field(name)) for name in values]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in fields)
        key = quote(meta.get_field("idempotency_key").column)
        placeholders = ", ".join(["%s"] * len(fields))
        # Only our own table and column names, quoted: nothing from outside goes in the text.
        sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders}) ON CONFLICT ({key}) DO NOTHING"  # noqa: S608
        plan = _INSERT_SQL[using] = (sql, fields)
    sql, fields = plan
    params = [field.get_db_prep_save(values[field.name], connection=connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


DRAIN_WINDOW = dt.timedelta(milliseconds=500)
"""Messages due at once are delivered by one drain task per window and process, run when the
window closes, rather than by one task each: a task's own INSERT cost about a tenth of a counter
receipt. Delivery waits at most this long (plus the worker's polling interval)."""

_drain_lock = threading.Lock()
_drain_until: dt.datetime | None = None  # this process's drain task runs after this instant


def _schedule(idempotency_key: str, due: dt.datetime) -> None:
    """After the commit: ask a worker to deliver now (or at ``due``). Best effort: if this
    fails, the sweep delivers the row anyway."""
    from .tasks import deliver_outbox_message

    try:
        task = deliver_outbox_message
        if not task.get_backend().supports_defer:
            if due <= timezone.now():
                task.enqueue(idempotency_key)  # a backend that runs tasks at once (tests)
            return  # otherwise the sweep sends it when due
        if due > timezone.now():
            task.using(run_after=due).enqueue(idempotency_key)
        else:
            _schedule_drain()
    except Exception:
        logger.exception("outbox: could not enqueue the delivery task; the sweep will send it")


def _schedule_drain() -> None:
    """Enqueue a drain task that runs when the window closes, unless one of this process is
    already waiting for a later instant: it will find this commit's rows due too."""
    global _drain_until
    from .tasks import deliver_due_outbox

    now = timezone.now()
    with _drain_lock:
        if _drain_until is not None and now < _drain_until:
            return
        _drain_until = run_after = now + DRAIN_WINDOW
    deliver_due_outbox.using(run_after=run_after).enqueue()


def outbox_drain(*, batch: int = 100, using: str | None = None) -> Counter[str]:
    """Deliver every due row, in passes of ``batch``, until a pass finds fewer than that."""
    total: Counter[str] = Counter()
    while True:
        outcomes = outbox_deliver_due(limit=batch, using=using)
        total += outcomes
        if sum(outcomes.values()) < batch:
            return total


def _due(now: dt.datetime) -> Q:
    return Q(state=State.PENDING, next_attempt_at__lte=now) | Q(
        state=State.DELIVERING, claimed_until__lte=now
    )


def _claim(*, key: str | None = None, using: str | None = None) -> OutboxMessage | None:
    """Claim one due row (the given one, or the most overdue) for this worker, or None."""
    using = using or router.db_for_write(OutboxMessage)
    now = timezone.now()
    with transaction.atomic(using=using):
        candidates = OutboxMessage.objects.using(using).filter(_due(now))
        if key is not None:
            candidates = candidates.filter(idempotency_key=key)
        candidates = candidates.order_by("next_attempt_at", "pk")
        if transaction.get_connection(using).features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        pk = candidates.values_list("pk", flat=True).first()
        if pk is None:
            return None
        # The claim itself: whoever's UPDATE still finds the row due owns it.
        claimed = (
            OutboxMessage.objects.using(using)
            .filter(_due(now), pk=pk)
            .update(
                state=State.DELIVERING,
                claimed_until=now + conf.lease(),
                attempts=F("attempts") + 1,
                updated_at=now,
            )
        )
        if claimed != 1:
            return None
        return OutboxMessage.objects.using(using).get(pk=pk)


def _finish(message: OutboxMessage, using: str | None, **changes: Any) -> bool:
    """Record the outcome of a claim, unless the row was claimed again meanwhile."""
    using = using or router.db_for_write(OutboxMessage)
    now = timezone.now()
    updated = (
        OutboxMessage.objects.using(using)
        .filter(pk=message.pk, state=State.DELIVERING, attempts=message.attempts)
        .update(claimed_until=None, updated_at=now, **changes)
    )
    if updated != 1:
        logger.warning("outbox %s: claim %s lost before its outcome", message.pk, message.attempts)
    return updated == 1


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:MAX_ERROR_LENGTH]


def _deliver(message: OutboxMessage, using: str | None = None) -> str:
    """Run the handler of a claimed row and record the outcome; returns the new state."""
    delivery = Delivery(
        message_id=message.pk,
        kind=message.kind,
        payload=message.payload,
        idempotency_key=message.idempotency_key,
        attempt=message.attempts,
        last_attempt=timezone.now() >= message.give_up_at,
    )
    try:
        handler_for(message.kind)(delivery)
    except PermanentFailure as error:
        logger.warning("outbox %s (%s): permanent failure", message.pk, message.kind)
        _finish(message, using, state=State.DEAD, last_error=_describe(error))
        return State.DEAD
    except Exception as error:
        now = timezone.now()
        if delivery.last_attempt:  # decided before the call, as the handler was told
            logger.warning(
                "outbox %s (%s): dead after %s attempts", message.pk, message.kind, message.attempts
            )
            _finish(message, using, state=State.DEAD, last_error=_describe(error))
            return State.DEAD
        delay = retry_delay(
            message.attempts,
            base=conf.backoff_base(),
            cap=conf.backoff_cap(),
            rand=secrets.randbelow(1_000_000) / 1_000_000,
        )
        logger.info(
            "outbox %s (%s): attempt %s failed, retry in %s",
            message.pk,
            message.kind,
            message.attempts,
            delay,
        )
        _finish(
            message,
            using,
            state=State.PENDING,
            next_attempt_at=now + delay,
            last_error=_describe(error),
        )
        return State.PENDING
    _finish(message, using, state=State.DELIVERED, delivered_at=timezone.now(), last_error="")
    return State.DELIVERED


def outbox_deliver_key(*, idempotency_key: str, using: str | None = None) -> str:
    """Deliver the message with this key if it is due and nobody else is delivering it.
    Returns its new state, or "" when there was nothing to do (already sent, not due yet,
    claimed by another worker, or rolled back with its transaction)."""
    message = _claim(key=idempotency_key, using=using)
    if message is None:
        return ""
    return _deliver(message, using)


def outbox_deliver_due(*, limit: int = 100, using: str | None = None) -> Counter[str]:
    """One pass of the sweep: deliver up to ``limit`` due rows, one claim at a time (so a
    claim's lease covers one call only). Returns how many ended in each state."""
    outcomes: Counter[str] = Counter()
    for _ in range(limit):
        message = _claim(using=using)
        if message is None:
            break
        outcomes[_deliver(message, using)] += 1
    return outcomes


@transaction.atomic
def outbox_resend(*, message_ids: Iterable[int]) -> int:
    """Send messages again (the admin's action): ``dead``, ``delivered`` or ``pending`` rows
    become due now, with a fresh retry window. A row being delivered is left alone. The
    provider receives the same idempotency key: one that already acted on it will not act
    twice. Returns how many rows were reset."""
    now = timezone.now()
    ids = list(message_ids)
    rows = OutboxMessage.objects.filter(pk__in=ids).exclude(state=State.DELIVERING)
    keys = list(rows.order_by("pk").values_list("idempotency_key", flat=True))
    count = rows.update(
        state=State.PENDING,
        next_attempt_at=now,
        give_up_at=now + conf.retry_window(),
        claimed_until=None,
        updated_at=now,
    )
    for key in keys:
        transaction.on_commit(partial(_schedule, key, now))
    return count


def outbox_purge_delivered(*, older_than: dt.timedelta) -> int:
    """Delete delivered rows delivered more than ``older_than`` ago (their key can then be used
    again; what was sent stays logged by the app that sent it, e.g. ``NotificationMessage``).
    Pending and dead rows are never purged. Returns how many were deleted."""
    if older_than < dt.timedelta(days=1):
        raise ValueError("keep delivered rows at least a day (late tasks look them up)")
    cutoff = timezone.now() - older_than
    deleted, _ = OutboxMessage.objects.filter(
        state=State.DELIVERED, delivered_at__lt=cutoff
    ).delete()
    return deleted
