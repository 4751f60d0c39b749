"""The registry of delivery handlers, one per outbox ``kind``.

An app registers its handlers when it is ready (``AppConfig.ready`` imports the module that
calls ``register``), so that every kind is known before the first message is enqueued::

    from motcua.outbox.handlers import Delivery, register

    @register("payments.gateway_call")
    def deliver_gateway_call(delivery: Delivery) -> None:
        ...  # call the provider with delivery.payload and delivery.idempotency_key

A handler returns normally when the call succeeded. It raises ``PermanentFailure`` when no retry
can help (the row becomes ``dead``), any other exception to be retried later. It runs outside
any transaction and at least once: it may run again after a success whose recording was lost
(a worker crash), so it must be idempotent (send ``idempotency_key`` to the provider, or check
in the database what was already done).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .exceptions import UnknownKind


@dataclass(frozen=True, slots=True)
class Delivery:
    """What a handler gets: the message as enqueued, which attempt this is (1, 2, ...), and
    whether it is the last one (a failure now makes the row ``dead``)."""

    message_id: int
    kind: str
    payload: dict[str, Any]
    idempotency_key: str
    attempt: int
    last_attempt: bool = False


Handler = Callable[[Delivery], None]

_HANDLERS: dict[str, Handler] = {}


def register(kind: str) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of ``kind`` (once per kind)."""

    def decorate(handler: Handler) -> Handler:
        existing = _HANDLERS.get(kind)
        if existing is not None and existing is not handler:
            raise ValueError(f"outbox kind {kind!r} already has a handler: {existing!r}")
        _HANDLERS[kind] = handler
        return handler

    return decorate


def handler_for(kind: str) -> Handler:
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise UnknownKind(f"no outbox handler registered for kind {kind!r}") from None


def is_registered(kind: str) -> bool:
    return kind in _HANDLERS


def registered_kinds() -> list[str]:
    return sorted(_HANDLERS)
