"""Background work of the outbox (django-tasks; worker: ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from .services import outbox_deliver_key, outbox_drain


@task()
def deliver_outbox_message(idempotency_key: str) -> str:
    """Deliver one outbox row, enqueued after the commit that wrote it."""
    return outbox_deliver_key(idempotency_key=idempotency_key)


@task()
def deliver_due_outbox() -> int:
    """Deliver every due row: enqueued to run when a window of commits closes (see
    ``services.DRAIN_WINDOW``)."""
    return sum(outbox_drain().values())
