"""Messages due at once share one drain task per window, and the drain delivers them all."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django_tasks import task_backends

from motcua.outbox import services
from motcua.outbox.constants import State
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import DRAIN_WINDOW, outbox_enqueue
from motcua.outbox.tasks import deliver_due_outbox

from .conftest import Provider

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOON = dt.datetime(2026, 11, 23, 12, 0, tzinfo=VN)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dummy_backend(settings: Any) -> Iterator[Any]:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    services._drain_until = None
    backend = task_backends["default"]
    yield backend
    services._drain_until = None


def _enqueue(key: str, captured: Any) -> None:
    with captured(execute=True), transaction.atomic():
        outbox_enqueue(kind="test.provider_call", payload={"n": key}, idempotency_key=key)


def test_commits_in_one_window_enqueue_one_drain_that_runs_when_it_closes(
    dummy_backend: Any, provider: Provider, django_capture_on_commit_callbacks: Any
) -> None:
    # Given three commits in the same half second, then one after the window
    with time_machine.travel(NOON, tick=False) as clock:
        for key in ("a", "b", "c"):
            _enqueue(key, django_capture_on_commit_callbacks)
            clock.shift(dt.timedelta(milliseconds=100))
        first = list(dummy_backend.results)
        clock.move_to(NOON + DRAIN_WINDOW + dt.timedelta(milliseconds=1))
        _enqueue("d", django_capture_on_commit_callbacks)
    # Then one drain task for the first three, due when their window closes, and a second
    assert [r.task.name for r in first] == ["deliver_due_outbox"]
    assert first[0].task.run_after == NOON + DRAIN_WINDOW
    assert [r.task.name for r in dummy_backend.results] == ["deliver_due_outbox"] * 2
    # And one drain delivers every due row
    with time_machine.travel(NOON + dt.timedelta(seconds=1), tick=False):
        assert deliver_due_outbox.call() == 4
    assert sorted(key for key, _ in provider.received) == ["a", "b", "c", "d"]
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {State.DELIVERED}


def test_a_message_due_later_gets_its_own_deferred_task(
    dummy_backend: Any, provider: Provider, django_capture_on_commit_callbacks: Any
) -> None:
    later = NOON + dt.timedelta(minutes=5)
    with (
        time_machine.travel(NOON, tick=False),
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        outbox_enqueue(
            kind="test.provider_call", payload={}, idempotency_key="later", available_at=later
        )
    (result,) = dummy_backend.results
    assert result.task.name == "deliver_outbox_message"
    assert result.task.run_after == later
    assert result.args == ["later"]
