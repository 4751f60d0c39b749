"""The ledger under random sequences: amounts requested, online attempts with every kind of
notification (approved, declined, cancelled, repeated, forged, wrong amount), cash at the
counter, exemptions. Whatever the order, the dossier's totals equal the ledger's and money is
never counted twice."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from motcua.catalog.tests.factories import FeeFactory
from motcua.core.exceptions import ApplicationError
from motcua.dossiers.constants import Action
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import dossier_act
from motcua.payments.constants import PaymentState
from motcua.payments.models import Obligation, Payment, PaymentLine
from motcua.payments.services import (
    fee_exemption_grant,
    payment_confirm_from_ipn,
    payment_record_cash,
    payment_start_online,
)
from motcua.portal.tests.journeys import received_online

from .helpers import World, signed_result

SEEN: set[str] = set()  # what the runs did, so that the test shows they went deep enough
NOTIFICATIONS = ["approve", "decline", "cancel", "repeat", "forged", "wrong_amount"]


class LedgerMachine(RuleBasedStateMachine):
    world: World

    def __init__(self) -> None:
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.dossier = received_online(self.world, self.world.user("citizen"))
        self.sent: list[dict[str, str]] = []
        self.receipts = 0

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def _try(self, call: object, name: str) -> None:
        try:
            with transaction.atomic():
                call()  # type: ignore[operator]
        except ApplicationError:
            return
        SEEN.add(name)

    @rule(amount=st.integers(min_value=1, max_value=500).map(lambda n: n * 1000))
    def request_payment(self, amount: int) -> None:
        self._try(
            lambda: dossier_act(
                dossier_id=self.dossier.pk,
                action=Action.REQUEST_PAYMENT,
                actor=self.world.user("counter_a"),
                fields={"amount": amount, "note": "Phí"},
            ),
            "request_payment",
        )

    @rule()
    def start_online(self) -> None:
        self._try(
            lambda: payment_start_online(
                dossier_id=self.dossier.pk, actor=self.world.user("citizen")
            ),
            "start_online",
        )

    @rule(kind=st.sampled_from(NOTIFICATIONS))
    def notify(self, kind: str) -> None:
        payment = Payment.objects.filter(dossier=self.dossier, method="online").first()
        if payment is None:
            return
        if kind == "repeat":
            if not self.sent:
                return
            params = self.sent[-1]
        else:
            code, status = {"decline": ("51", "02"), "cancel": ("24", "02")}.get(kind, ("00", "00"))
            params = signed_result(
                payment,
                response_code=code,
                status=status,
                transaction_no=str(len(self.sent) + 1),
                amount=1 if kind == "wrong_amount" else None,
                secret="forged" if kind == "forged" else None,
            )
        self.sent.append(params)
        SEEN.add(payment_confirm_from_ipn(gateway_name="vnpay", params=params).verdict)

    @rule()
    def cash(self) -> None:
        self.receipts += 1
        self._try(
            lambda: payment_record_cash(
                dossier_id=self.dossier.pk,
                receipt_number=f"BL-{self.receipts}",
                actor=self.world.user("counter_a"),
            ),
            "cash",
        )

    @rule(data=st.data())
    def exempt(self, data: st.DataObject) -> None:
        owed = list(Obligation.objects.filter(dossier=self.dossier, exempted_at__isnull=True))
        if not owed:
            return
        chosen = data.draw(st.sampled_from(owed))
        self._try(
            lambda: fee_exemption_grant(
                dossier_id=self.dossier.pk,
                obligation_id=chosen.pk,
                reason="Đối tượng được miễn",
                actor=self.world.user("counter_a"),
            ),
            "exempt",
        )

    @invariant()
    def totals_equal_the_ledger(self) -> None:
        d = Dossier.objects.get(pk=self.dossier.pk)
        settled = PaymentLine.objects.filter(obligation__dossier=d, settled=True)
        assert d.fees_paid == (settled.aggregate(s=Sum("amount"))["s"] or 0)
        assert d.fees_paid <= d.fees_total
        obligations = Obligation.objects.filter(dossier=d)
        if obligations.exists():
            # Written obligations, plus amounts requested since the ledger was last touched
            # (written the next time it is: ADR 0011).
            owed = obligations.filter(exempted_at__isnull=True).aggregate(s=Sum("amount"))["s"]
            unwritten = sum(
                int(e.data["amount"])
                for e in d.events.filter(action=Action.REQUEST_PAYMENT, obligation__isnull=True)
            )
            assert d.fees_total == (owed or 0) + unwritten
        # A paid payment settles all its lines or none (money that arrived for nothing owed).
        for payment in Payment.objects.filter(dossier=d, state=PaymentState.PAID):
            lines = list(payment.lines.values_list("settled", "amount"))
            assert {s for s, _ in lines} in ({True}, {False})
            assert sum(a for _, a in lines) == payment.amount
        # Never more than one pending online attempt.
        assert Payment.objects.filter(dossier=d, state=PaymentState.PENDING).count() <= 1


@pytest.mark.django_db
def test_the_ledger_under_random_use(world: World) -> None:
    FeeFactory(procedure=world.birth, name="Lệ phí", amount=8_000)
    LedgerMachine.world = world
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=25,
            stateful_step_count=25,
            deadline=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
    assert {
        "request_payment",
        "start_online",
        "cash",
        "exempt",
        "confirmed",
        "duplicate",
        "failed",
        "not_owed",
        "bad_signature",
        "amount_mismatch",
    } <= SEEN, SEEN
