"""Workers racing for the same rows on PostgreSQL: each row is delivered by exactly one of them.

Each thread has its own connection and runs the sweep until nothing is due; the handler sleeps a
little so that the workers overlap. SQLite serialises writers, so the race is PostgreSQL only.
"""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
from django.db import connection, connections

from motcua.outbox.constants import State
from motcua.outbox.handlers import Delivery, register
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import outbox_deliver_due

from .factories import OutboxMessageFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL only"),
    pytest.mark.django_db(transaction=True),
]

_lock = threading.Lock()
_calls: Counter[str] = Counter()


@register("test.concurrent_call")
def _deliver(delivery: Delivery) -> None:
    time.sleep(0.005)
    with _lock:
        _calls[delivery.idempotency_key] += 1


def test_four_workers_deliver_each_row_once():
    _calls.clear()
    OutboxMessageFactory.create_batch(60, kind="test.concurrent_call")
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            while outbox_deliver_due(limit=5):
                pass
        except BaseException as error:  # surfaced in the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(_calls) == 60
    assert set(_calls.values()) == {1}
    assert set(OutboxMessage.objects.values_list("state", "attempts")) == {(State.DELIVERED, 1)}
