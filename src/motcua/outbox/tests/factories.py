from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from motcua.outbox.constants import State
from motcua.outbox.models import OutboxMessage


class OutboxMessageFactory(DjangoModelFactory[OutboxMessage]):
    """An outbox row as ``outbox_enqueue`` writes it (for tests of delivery and the admin)."""

    class Meta:
        model = OutboxMessage

    kind = "test.provider_call"
    payload = factory.Sequence(lambda n: {"n": n})
    idempotency_key = factory.Sequence(lambda n: f"test-{n}")
    state = State.PENDING
    created_at = factory.LazyFunction(timezone.now)
    updated_at = factory.SelfAttribute("created_at")
    next_attempt_at = factory.SelfAttribute("created_at")
    give_up_at = factory.LazyAttribute(lambda o: o.created_at + dt.timedelta(hours=24))

    class Params:
        dead = factory.Trait(state=State.DEAD, attempts=5, last_error="ProviderDown: refused")
        delivered = factory.Trait(state=State.DELIVERED, attempts=1)
