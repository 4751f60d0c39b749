"""A recording provider behind two test kinds of the outbox.

``Provider`` stands for an outside service that accepts an idempotency key: it acts on a key
once and answers a repeated key with the first answer. It can be "down" (refuses calls) and can
"time out after arriving" (acts on the call, then the answer is lost on the way back).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from motcua.outbox.exceptions import DeliveryFailed, PermanentFailure
from motcua.outbox.handlers import Delivery, register


class ProviderDown(DeliveryFailed):
    pass


class AnswerLost(DeliveryFailed):
    pass


@dataclass
class Provider:
    received: list[tuple[str, dict[str, object]]] = field(default_factory=list)
    acted_on: dict[str, dict[str, object]] = field(default_factory=dict)
    calls: int = 0
    down: bool = False
    lose_answers: int = 0  # the next n calls arrive but their answer is lost
    refuse: bool = False

    def call(self, delivery: Delivery) -> None:
        self.calls += 1
        if self.down:
            raise ProviderDown("connection refused")
        if self.refuse:
            raise PermanentFailure("400 bad request")
        if delivery.idempotency_key not in self.acted_on:
            self.acted_on[delivery.idempotency_key] = delivery.payload
            self.received.append((delivery.idempotency_key, delivery.payload))
        if self.lose_answers:
            self.lose_answers -= 1
            raise AnswerLost("timed out waiting for the answer")


PROVIDER = Provider()


@register("test.provider_call")
def _deliver(delivery: Delivery) -> None:
    PROVIDER.call(delivery)


@pytest.fixture
def provider() -> Iterator[Provider]:
    PROVIDER.__init__()  # type: ignore[misc]
    yield PROVIDER
    PROVIDER.__init__()  # type: ignore[misc]
