"""Races on PostgreSQL: the same notification many times at once, and the counter taking cash
while the gateway confirms an online payment. Money is counted once."""

from __future__ import annotations

import pytest
from django.db import connection

from motcua.dossiers.tests.test_concurrency import run_together
from motcua.payments.constants import PaymentState, Verdict
from motcua.payments.exceptions import NothingDue
from motcua.payments.models import GatewayNotification, PaymentLine
from motcua.payments.services import (
    payment_confirm_from_ipn,
    payment_record_cash,
    payment_start_online,
)

from .helpers import World, fresh, signed_result, waiting_for_payment

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="races need concurrent transactions and row locks: PostgreSQL only",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_the_same_notification_five_times_at_once_is_applied_once(
    transactional_db: None, world: World
) -> None:
    dossier = waiting_for_payment(world)
    payment = payment_start_online(dossier_id=dossier.pk, actor=world.user("citizen"))
    params = signed_result(payment)

    def racer(go: object) -> str:
        go()  # type: ignore[operator]
        return payment_confirm_from_ipn(gateway_name="vnpay", params=params).verdict

    verdicts = run_together([racer] * 5)

    assert sorted(verdicts) == [Verdict.CONFIRMED] + [Verdict.DUPLICATE] * 4
    assert fresh(dossier).fees_paid == 50_000
    assert fresh(dossier).events.filter(action="pay").count() == 1
    assert PaymentLine.objects.filter(settled=True).count() == 1
    assert GatewayNotification.objects.count() == 5


def test_cash_and_the_gateway_at_once_count_the_money_once(
    transactional_db: None, world: World
) -> None:
    dossier = waiting_for_payment(world)
    online = payment_start_online(dossier_id=dossier.pk, actor=world.user("citizen"))
    params = signed_result(online)
    officer = world.user("counter_a")

    def gateway(go: object) -> str:
        go()  # type: ignore[operator]
        return payment_confirm_from_ipn(gateway_name="vnpay", params=params).verdict

    def counter(go: object) -> str:
        go()  # type: ignore[operator]
        try:
            payment_record_cash(dossier_id=dossier.pk, receipt_number="BL-1", actor=officer)
        except NothingDue:
            return "nothing_due"
        return "cash"

    outcome = run_together([gateway, counter])

    assert outcome in ([Verdict.CONFIRMED, "nothing_due"], [Verdict.NOT_OWED, "cash"])
    assert fresh(dossier).fees_paid == 50_000
    assert PaymentLine.objects.filter(settled=True).count() == 1
    online.refresh_from_db()
    assert online.state == PaymentState.PAID  # the gateway took the money either way
