"""Delivery: at least once, never by two workers at once, retried for a day, then dead."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction

from motcua.outbox.constants import State
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import (
    _claim,
    _deliver,
    outbox_deliver_due,
    outbox_deliver_key,
    outbox_enqueue,
    outbox_resend,
)

from .conftest import Provider
from .factories import OutboxMessageFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOON = dt.datetime(2026, 11, 23, 12, 0, tzinfo=VN)
MINUTE = dt.timedelta(minutes=1)

pytestmark = pytest.mark.django_db


def _state(key: str = "k-1") -> tuple[str, int]:
    row = OutboxMessage.objects.get(idempotency_key=key)
    return row.state, row.attempts


def test_crash_between_commit_and_delivery_loses_nothing(
    provider: Provider, django_capture_on_commit_callbacks
):
    # Given a committed message whose delivery task never ran (the process died after commit)
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        outbox_enqueue(kind="test.provider_call", payload={"a": 1}, idempotency_key="k-1")
    assert len(callbacks) == 1  # the lost task
    assert _state() == (State.PENDING, 0)
    # When the sweep runs
    call_command("outbox_deliver")
    # Then the message is delivered, once
    assert provider.received == [("k-1", {"a": 1})]
    assert _state() == (State.DELIVERED, 1)
    # and a late task (or a second sweep) sends nothing more
    callbacks[0]()
    call_command("outbox_deliver")
    assert provider.calls == 1


def test_worker_dying_mid_delivery_is_taken_over_after_its_lease(provider: Provider):
    # Given a row claimed by a worker that then died (no outcome recorded)
    with time_machine.travel(NOON, tick=False):
        OutboxMessageFactory(idempotency_key="k-1")
        claimed = _claim(key="k-1")
        assert claimed is not None
        assert _state() == (State.DELIVERING, 1)
        # While the lease runs, nobody else takes it
        assert outbox_deliver_due() == {}
        assert outbox_deliver_key(idempotency_key="k-1") == ""
    with time_machine.travel(NOON + dt.timedelta(minutes=4, seconds=59), tick=False):
        assert outbox_deliver_due() == {}
    # When the lease (5 minutes) is over, the sweep claims and delivers it
    with time_machine.travel(NOON + dt.timedelta(minutes=5), tick=False):
        assert outbox_deliver_due() == {State.DELIVERED: 1}
    assert _state() == (State.DELIVERED, 2)
    assert provider.calls == 1


def test_two_workers_never_claim_the_same_row():
    OutboxMessageFactory(idempotency_key="k-1")
    first = _claim(key="k-1")
    second = _claim(key="k-1")
    assert first is not None
    assert first.idempotency_key == "k-1"
    assert second is None
    assert _claim() is None


def test_late_outcome_of_a_lost_claim_is_ignored(provider: Provider):
    # Given worker A's claim expired and worker B claimed the row again
    with time_machine.travel(NOON, tick=False):
        OutboxMessageFactory(idempotency_key="k-1")
        claim_a = _claim(key="k-1")
    with time_machine.travel(NOON + dt.timedelta(minutes=6), tick=False):
        claim_b = _claim(key="k-1")
        assert claim_a is not None
        assert claim_b is not None
        # When A finally records a failure
        provider.down = True
        assert _deliver(claim_a) == State.PENDING
        # Then B's claim stands: the row is still B's, delivering
        row = OutboxMessage.objects.get()
        assert (row.state, row.attempts, row.last_error) == (State.DELIVERING, 2, "")
        provider.down = False
        assert _deliver(claim_b) == State.DELIVERED
    assert _state() == (State.DELIVERED, 2)


def test_timed_out_call_that_arrived_is_not_acted_on_twice(provider: Provider):
    # Given a provider that acts on our first call but whose answer is lost (timeout)
    provider.lose_answers = 1
    with time_machine.travel(NOON, tick=False):
        OutboxMessageFactory(idempotency_key="k-1", payload={"text": "hello"})
        assert outbox_deliver_due() == {State.PENDING: 1}
    row = OutboxMessage.objects.get()
    assert row.last_error == "AnswerLost: timed out waiting for the answer"
    # When the retry comes (with the same idempotency key)
    with time_machine.travel(row.next_attempt_at, tick=False):
        assert outbox_deliver_due() == {State.DELIVERED: 1}
    # Then the provider was called twice but acted once
    assert provider.calls == 2
    assert provider.received == [("k-1", {"text": "hello"})]
    assert _state() == (State.DELIVERED, 2)


def test_provider_down_for_an_hour_loses_nothing(provider: Provider):
    # Given 20 messages written while the provider is down, and a sweep every minute
    provider.down = True
    with time_machine.travel(NOON, tick=False):
        for n in range(20):
            OutboxMessageFactory(idempotency_key=f"k-{n}", payload={"n": n})
    when = NOON
    while when < NOON + dt.timedelta(minutes=60):
        with time_machine.travel(when, tick=False):
            assert State.DELIVERED not in outbox_deliver_due()
        when += MINUTE
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {State.PENDING}
    # When it comes back, the sweep keeps going for up to another hour (backoff is capped)
    provider.down = False
    while when < NOON + dt.timedelta(minutes=121):
        with time_machine.travel(when, tick=False):
            outbox_deliver_due()
        when += MINUTE
    # Then every message was delivered, once each
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {State.DELIVERED}
    assert sorted(payload["n"] for _, payload in provider.received) == list(range(20))
    assert len(provider.acted_on) == 20


def test_backoff_grows_with_jitter_and_gives_up_after_a_day(provider: Provider):
    provider.down = True
    with time_machine.travel(NOON, tick=False):
        OutboxMessageFactory(idempotency_key="k-1")
    delays = []
    when = NOON
    while True:
        with time_machine.travel(when, tick=False):
            outcome = outbox_deliver_key(idempotency_key="k-1")
        row = OutboxMessage.objects.get()
        if outcome == State.DEAD:
            break
        assert outcome == State.PENDING
        delays.append((row.next_attempt_at - when).total_seconds())
        when = row.next_attempt_at
    # Each delay is between half and all of min(1 hour, 30 s × 2^(n-1))
    for n, delay in enumerate(delays, start=1):
        ceiling = min(3600, 30 * 2 ** (n - 1))
        assert ceiling / 2 <= delay < ceiling
    # Retried for at least 24 hours, dead at the first failure after that
    assert when >= NOON + dt.timedelta(hours=24)
    assert when < NOON + dt.timedelta(hours=25)
    assert (row.state, row.attempts, row.last_error) == (
        State.DEAD,
        len(delays) + 1,
        "ProviderDown: connection refused",
    )
    # A dead row is not picked up again
    with time_machine.travel(when + dt.timedelta(days=1), tick=False):
        assert outbox_deliver_due() == {}


def test_permanent_failure_is_dead_at_once(provider: Provider):
    provider.refuse = True
    OutboxMessageFactory(idempotency_key="k-1")
    assert outbox_deliver_due() == {State.DEAD: 1}
    row = OutboxMessage.objects.get()
    assert (row.state, row.attempts, row.last_error) == (
        State.DEAD,
        1,
        "PermanentFailure: 400 bad request",
    )


def test_unknown_kind_is_retried_not_lost():
    # A row whose handler is missing (a deploy without it) waits for it
    OutboxMessageFactory(idempotency_key="k-1", kind="gone.kind")
    assert outbox_deliver_due() == {State.PENDING: 1}
    assert OutboxMessage.objects.get().last_error == (
        "UnknownKind: no outbox handler registered for kind 'gone.kind'"
    )


def test_resend_makes_dead_and_delivered_rows_due_again(
    provider: Provider, django_capture_on_commit_callbacks
):
    with time_machine.travel(NOON, tick=False):
        dead = OutboxMessageFactory(dead=True, idempotency_key="dead")
        done = OutboxMessageFactory(delivered=True, idempotency_key="done")
        busy = OutboxMessageFactory(
            idempotency_key="busy",
            state=State.DELIVERING,
            attempts=1,
            claimed_until=NOON + dt.timedelta(minutes=5),
        )
    later = NOON + dt.timedelta(days=2)
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        count = outbox_resend(message_ids=[dead.pk, done.pk, busy.pk])
    assert count == 2
    dead.refresh_from_db()
    assert (dead.state, dead.attempts, dead.give_up_at) == (
        State.DELIVERED,
        6,
        later + dt.timedelta(hours=24),
    )
    done.refresh_from_db()
    assert (done.state, done.attempts) == (State.DELIVERED, 2)
    busy.refresh_from_db()
    assert (busy.state, busy.attempts) == (State.DELIVERING, 1)
    assert sorted(key for key, _ in provider.received) == ["dead", "done"]


def test_purge_keeps_pending_dead_and_recent_rows(capsys):
    with time_machine.travel(NOON, tick=False):
        old = OutboxMessageFactory(delivered=True, delivered_at=NOON)
        OutboxMessageFactory(dead=True)
        OutboxMessageFactory()
    with time_machine.travel(NOON + dt.timedelta(days=20), tick=False):
        recent = OutboxMessageFactory(delivered=True, delivered_at=NOON + dt.timedelta(days=20))
    with time_machine.travel(NOON + dt.timedelta(days=31), tick=False):
        call_command("outbox_deliver", "--purge-days", "30")
    assert "outbox: purged 1 delivered" in capsys.readouterr().out
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()
    assert OutboxMessage.objects.filter(pk=recent.pk).exists()
    assert sorted(OutboxMessage.objects.values_list("state", flat=True)) == [
        State.DEAD,
        State.DELIVERED,
        State.DELIVERED,  # the pending one, delivered by the same run
    ]


def test_purge_refuses_less_than_a_day():
    from django.core.management.base import CommandError

    OutboxMessageFactory(delivered=True, delivered_at=NOON)
    with pytest.raises(CommandError, match="at least 1"):
        call_command("outbox_deliver", "--purge-days", "0")
    assert OutboxMessage.objects.count() == 1
