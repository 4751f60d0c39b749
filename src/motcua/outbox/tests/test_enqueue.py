"""outbox_enqueue: one INSERT in the caller's transaction, nothing outside one."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.db.transaction import TransactionManagementError

from motcua.outbox.constants import State
from motcua.outbox.exceptions import UnknownKind
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import outbox_deliver_due, outbox_enqueue

from .conftest import Provider

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOON = dt.datetime(2026, 11, 23, 12, 0, tzinfo=VN)

pytestmark = pytest.mark.django_db


def test_enqueue_writes_one_pending_row_with_one_query(django_assert_num_queries):
    # Given a transaction, when a message is enqueued
    with (
        time_machine.travel(NOON, tick=False),
        transaction.atomic(),
        django_assert_num_queries(1),
    ):
        outbox_enqueue(kind="test.provider_call", payload={"dossier": 7}, idempotency_key="k-1")
    # Then one pending row, due now, retried until a day later
    row = OutboxMessage.objects.get()
    assert (row.kind, row.payload, row.idempotency_key) == (
        "test.provider_call",
        {"dossier": 7},
        "k-1",
    )
    assert (row.state, row.attempts, row.last_error) == (State.PENDING, 0, "")
    assert row.next_attempt_at == NOON
    assert row.give_up_at == NOON + dt.timedelta(hours=24)
    assert row.claimed_until is None
    assert row.delivered_at is None


@pytest.mark.django_db(transaction=True)
def test_enqueue_outside_a_transaction_is_refused():
    with pytest.raises(TransactionManagementError):
        outbox_enqueue(kind="test.provider_call", payload={}, idempotency_key="k-1")
    assert OutboxMessage.objects.count() == 0


def test_unknown_kind_is_refused():
    with pytest.raises(UnknownKind), transaction.atomic():
        outbox_enqueue(kind="nobody.handles_this", payload={}, idempotency_key="k-1")
    assert OutboxMessage.objects.count() == 0


@pytest.mark.parametrize("key", ["", "x" * 201])
def test_bad_key_is_refused(key):
    with pytest.raises(ValueError, match="idempotency_key"), transaction.atomic():
        outbox_enqueue(kind="test.provider_call", payload={}, idempotency_key=key)
    assert OutboxMessage.objects.count() == 0


def test_payload_must_be_json():
    with pytest.raises(TypeError), transaction.atomic():
        outbox_enqueue(kind="test.provider_call", payload={"x": object()}, idempotency_key="k")
    assert OutboxMessage.objects.count() == 0


def test_same_key_twice_keeps_the_first_message_and_the_transaction_usable():
    with transaction.atomic():
        outbox_enqueue(kind="test.provider_call", payload={"v": 1}, idempotency_key="k-1")
        outbox_enqueue(kind="test.provider_call", payload={"v": 2}, idempotency_key="k-1")
        # the transaction is not broken by the duplicate
        outbox_enqueue(kind="test.provider_call", payload={"v": 3}, idempotency_key="k-2")
    assert list(OutboxMessage.objects.order_by("id").values_list("idempotency_key", "payload")) == [
        ("k-1", {"v": 1}),
        ("k-2", {"v": 3}),
    ]


def test_rolled_back_change_leaves_no_message_and_sends_nothing(
    provider: Provider, django_capture_on_commit_callbacks
):
    # Given a change that fails after enqueuing
    def change() -> None:
        with transaction.atomic():
            outbox_enqueue(kind="test.provider_call", payload={}, idempotency_key="k-1")
            raise RuntimeError("the change failed")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        change()
    # Then neither the row nor a delivery
    assert OutboxMessage.objects.count() == 0
    assert callbacks == []
    assert provider.calls == 0


def test_commit_delivers_through_the_task(provider: Provider, django_capture_on_commit_callbacks):
    # Given a committed message (the test settings run tasks at once)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        outbox_enqueue(kind="test.provider_call", payload={"a": 1}, idempotency_key="k-1")
    # Then the task delivered it once
    assert len(callbacks) == 1
    assert provider.received == [("k-1", {"a": 1})]
    row = OutboxMessage.objects.get()
    assert (row.state, row.attempts, row.claimed_until) == (State.DELIVERED, 1, None)
    assert row.delivered_at is not None


def test_message_for_later_waits_for_its_time(
    provider: Provider, django_capture_on_commit_callbacks
):
    later = NOON + dt.timedelta(hours=2)
    with time_machine.travel(NOON, tick=False):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            outbox_enqueue(
                kind="test.provider_call", payload={}, idempotency_key="k-1", available_at=later
            )
        assert provider.calls == 0
    row = OutboxMessage.objects.get()
    assert (row.state, row.next_attempt_at, row.give_up_at) == (
        State.PENDING,
        later,
        later + dt.timedelta(hours=24),
    )


def test_without_the_task_on_commit_the_sweep_delivers(
    provider: Provider, django_capture_on_commit_callbacks, settings
):
    settings.MOTCUA_OUTBOX_TASK_ON_COMMIT = False
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        outbox_enqueue(kind="test.provider_call", payload={"a": 1}, idempotency_key="k-1")
    assert callbacks == []
    assert OutboxMessage.objects.get().state == State.PENDING
    assert outbox_deliver_due() == {State.DELIVERED: 1}
    assert provider.received == [("k-1", {"a": 1})]
