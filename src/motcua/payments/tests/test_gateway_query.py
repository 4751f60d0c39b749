"""When the gateway's notification never arrives: after the attempt expired, the outbox asks
the gateway (the simulator here) what became of it, and the answer is applied like a
notification."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from motcua.dossiers.constants import Status
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import outbox_deliver_key
from motcua.payments.constants import PaymentState, Verdict
from motcua.payments.models import GatewayNotification, Payment
from motcua.payments.simulator import PAY_PATH, SimulatorServer

from .helpers import World, fresh, waiting_for_payment
from .test_simulator_end_to_end import decide

pytestmark = pytest.mark.django_db


@pytest.fixture
def lost_notifications(settings: Any) -> Iterator[SimulatorServer]:
    """A simulator whose notifications go nowhere (a closed port): the IPN is lost."""
    server = SimulatorServer(
        ("127.0.0.1", 0),
        merchant_code=settings.MOTCUA_PAYMENT_MERCHANT_CODE,
        secret=settings.MOTCUA_PAYMENT_SECRET,
        ipn_url="http://127.0.0.1:9/ipn",
        ipn_timeout=2,
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.MOTCUA_PAYMENT_PAY_URL = server.base_url + PAY_PATH
    yield server
    server.shutdown()
    server.server_close()


def query(payment: Payment) -> str:
    """Deliver the payment's query message if it is due: its new state, "" when not due."""
    return outbox_deliver_key(idempotency_key=f"payment-query:{payment.pk}")


def later(minutes: int) -> dt.datetime:
    return dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=minutes)


def test_a_lost_notification_is_recovered_by_asking_the_gateway(
    world: World, lost_notifications: SimulatorServer
) -> None:
    dossier = waiting_for_payment(world)
    client = Client()
    client.force_login(world.user("citizen"))
    url = client.post(f"/thanh-toan/ho-so/{dossier.pk}/")["Location"]
    decide(url, "approve")
    payment = Payment.objects.get(dossier=dossier)
    assert "error" in lost_notifications.answers[0][1]  # the IPN never arrived
    assert payment.state == PaymentState.PENDING
    message = OutboxMessage.objects.get(kind="payments.gateway_query")
    assert message.payload == {"payment": str(payment.pk)}

    assert query(payment) == ""  # not before the attempt expired
    with time_machine.travel(later(21), tick=False):
        assert query(payment) == "delivered"

    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID
    assert lost_notifications.queries == [payment.reference]
    assert (fresh(dossier).status, fresh(dossier).fees_paid) == (Status.RECEIVED, 50_000)
    assert GatewayNotification.objects.get().verdict == Verdict.CONFIRMED


def test_an_attempt_the_gateway_never_saw_is_cancelled(
    world: World, lost_notifications: SimulatorServer
) -> None:
    dossier = waiting_for_payment(world)
    client = Client()
    client.force_login(world.user("citizen"))
    client.post(f"/thanh-toan/ho-so/{dossier.pk}/")  # and the payer closes the tab
    payment = Payment.objects.get(dossier=dossier)

    with time_machine.travel(later(21), tick=False):
        assert query(payment) == "delivered"

    assert Payment.objects.get(dossier=dossier).state == PaymentState.CANCELLED
    assert fresh(dossier).status == Status.PAYMENT_REQUESTED


def test_no_query_once_the_notification_came(world: World, lost_notifications: Any) -> None:
    from motcua.payments.services import payment_confirm_from_ipn, payment_start_online

    from .helpers import signed_result

    dossier = waiting_for_payment(world)
    payment = payment_start_online(dossier_id=dossier.pk, actor=world.user("citizen"))
    payment_confirm_from_ipn(gateway_name="vnpay", params=signed_result(payment))

    with time_machine.travel(later(21), tick=False):
        assert query(payment) == "delivered"

    assert lost_notifications.queries == []  # the gateway was not asked anything
    assert GatewayNotification.objects.count() == 1
