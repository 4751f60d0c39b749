"""Cash at the counter, online payments confirmed by the gateway's notification, exemptions."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from rest_framework.test import APIClient

from motcua.catalog.constants import FeeUnit
from motcua.catalog.tests.factories import FeeFactory
from motcua.core.exceptions import PermissionDenied, ValidationFailed
from motcua.dossiers.constants import Action, Status
from motcua.dossiers.exceptions import PayOnlineAtGateway
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services import dossier_act
from motcua.payments.constants import Method, PaymentState, Verdict
from motcua.payments.exceptions import NothingDue
from motcua.payments.models import GatewayNotification, Obligation, Payment, PaymentLine
from motcua.payments.services import (
    fee_exemption_grant,
    payment_confirm_from_ipn,
    payment_record_cash,
    payment_start_online,
)
from motcua.portal.tests.journeys import received_online

from .helpers import World, fresh, signed_result, waiting_for_payment

pytestmark = pytest.mark.django_db


def state(dossier: Dossier) -> tuple[Any, ...]:
    d = fresh(dossier)
    return (
        d.status,
        d.version,
        d.fees_total,
        d.fees_paid,
        DossierEvent.objects.filter(dossier=d).count(),
        tuple(Payment.objects.filter(dossier=d).values_list("state", flat=True).order_by("pk")),
    )


def ipn(params: dict[str, str]) -> tuple[str, str, str]:
    answer = payment_confirm_from_ipn(gateway_name="vnpay", params=params)
    return answer.code, answer.message, answer.verdict


# -- cash at the counter ---------------------------------------------------------------------


def test_cash_at_the_counter_pays_what_was_asked_and_resumes_the_dossier(world: World) -> None:
    dossier = waiting_for_payment(world)
    assert fresh(dossier).status == Status.PAYMENT_REQUESTED

    payment = payment_record_cash(
        dossier_id=dossier.pk, receipt_number="BL-000123", actor=world.user("counter_a")
    )

    paid = fresh(dossier)
    assert paid.status == Status.RECEIVED
    assert (paid.fees_total, paid.fees_paid) == (50_000, 50_000)
    assert (payment.method, payment.state, payment.amount, payment.receipt_number) == (
        Method.CASH,
        PaymentState.PAID,
        50_000,
        "BL-000123",
    )
    assert list(payment.lines.values_list("amount", "settled")) == [(50_000, True)]
    event = paid.events.order_by("-seq").first()
    assert event is not None
    assert (event.action, event.from_status, event.to_status) == (
        "pay",
        "payment_requested",
        "received",
    )
    assert event.data == {
        "method": "cash",
        "amount": 50_000,
        "receipt_number": "BL-000123",
        "payment": str(payment.pk),
    }


def test_cash_needs_a_receipt_number_and_changes_nothing_without_one(world: World) -> None:
    dossier = waiting_for_payment(world)
    before = state(dossier)
    with pytest.raises(ValidationFailed) as raised:
        payment_record_cash(
            dossier_id=dossier.pk, receipt_number="  ", actor=world.user("counter_a")
        )
    assert raised.value.code == "receipt_number_required"
    assert state(dossier) == before


def test_only_the_counter_takes_cash(world: World) -> None:
    dossier = waiting_for_payment(world)
    before = state(dossier)
    with pytest.raises(PermissionDenied):
        payment_record_cash(
            dossier_id=dossier.pk, receipt_number="BL-1", actor=world.user("citizen")
        )
    with pytest.raises(PermissionDenied):
        payment_record_cash(
            dossier_id=dossier.pk, receipt_number="BL-1", actor=world.user("counter_b")
        )
    # Nor through the status machine: the applicant's ``pay`` is taken at the gateway (409 with
    # the endpoint that starts it), and nobody but the gateway's confirmation claims an online
    # payment.
    with pytest.raises(PayOnlineAtGateway) as at_gateway:
        dossier_act(
            dossier_id=dossier.pk,
            action=Action.PAY,
            actor=world.user("citizen"),
            fields={"method": "cash", "receipt_number": "BL-1"},
        )
    assert (at_gateway.value.status, at_gateway.value.code) == (409, "pay_online_at_gateway")
    assert at_gateway.value.extra == {
        "payment_url": f"/api/v1/dossiers/{dossier.code}/payments/online/"
    }
    with pytest.raises(ValidationFailed) as online:
        dossier_act(
            dossier_id=dossier.pk,
            action=Action.PAY,
            actor=world.user("counter_a"),
            fields={"method": "online"},
        )
    assert online.value.code == "online_payment_by_gateway"
    assert state(dossier) == before


def test_cash_for_procedure_fees_without_a_payment_request_writes_its_own_event(
    world: World,
) -> None:
    FeeFactory(procedure=world.birth, name="Lệ phí đăng ký", amount=8_000)
    FeeFactory(
        procedure=world.birth, name="Phí cấp bản sao trích lục", amount=3_000, unit=FeeUnit.PER_COPY
    )
    dossier = received_online(world, world.user("citizen"))
    version = fresh(dossier).version

    payment = payment_record_cash(
        dossier_id=dossier.pk, receipt_number="BL-7", actor=world.user("counter_a")
    )

    paid = fresh(dossier)
    assert paid.status == Status.RECEIVED
    assert payment.amount == 8_000  # no copy asked for in the form: none charged
    assert (paid.fees_total, paid.fees_paid, paid.version) == (8_000, 8_000, version + 1)
    event = paid.events.order_by("-seq").first()
    assert event is not None
    assert (event.action, event.from_status, event.to_status, event.data["amount"]) == (
        "pay",
        "received",
        "received",
        8_000,
    )
    with pytest.raises(NothingDue):
        payment_record_cash(
            dossier_id=dossier.pk, receipt_number="BL-8", actor=world.user("counter_a")
        )


# -- online ------------------------------------------------------------------------------------


def test_online_payment_is_pending_until_the_gateway_confirms_it(world: World) -> None:
    dossier = waiting_for_payment(world)

    payment = payment_start_online(dossier_id=dossier.pk, actor=world.user("citizen"))

    assert (payment.method, payment.state, payment.amount, payment.gateway) == (
        Method.ONLINE,
        PaymentState.PENDING,
        50_000,
        "vnpay",
    )
    assert fresh(dossier).status == Status.PAYMENT_REQUESTED
    assert fresh(dossier).fees_paid == 0

    assert ipn(signed_result(payment)) == ("00", "Confirm Success", Verdict.CONFIRMED)

    paid = fresh(dossier)
    assert paid.status == Status.RECEIVED
    assert (paid.fees_total, paid.fees_paid) == (50_000, 50_000)
    payment.refresh_from_db()
    assert (payment.state, payment.gateway_transaction_no, payment.gateway_bank_code) == (
        PaymentState.PAID,
        "14123456",
        "NCB",
    )
    event = paid.events.order_by("-seq").first()
    assert event is not None
    assert (event.action, event.actor_id, event.to_status) == ("pay", None, "received")
    assert event.data == {
        "method": "online",
        "amount": 50_000,
        "receipt_number": "",
        "payment": str(payment.pk),
    }


def test_a_duplicate_notification_gets_the_same_answer_and_changes_nothing(world: World) -> None:
    dossier = waiting_for_payment(world)
    payment = payment_start_online(dossier_id=dossier.pk, actor=world.user("citizen"))
    params = signed_result(payment)
    first = ipn(params)
    after_first = state(dossier)

    again = ipn(params)

    assert first == ("00", "Confirm Success", Verdict.CONFIRMED)
    assert again == ("00", "Confirm Success", Verdict.DUPLICATE)
    assert state(dossier) == after_first
    assert PaymentLine.objects.filter(payment=payment, settled=True).count() == 1
    assert list(
        GatewayNotification.objects.order_by("received_at", "pk").values_list("verdict", flat=True)
    ) == [Verdict.CONFIRMED, Verdict.DUPLICATE]


def test_a_tampered_signature_is_refused_and_changes_nothing(world: World) -> None:
    dossier = waiting_for_payment(world)
    payment = payment_start_online(dossier_id=dossier.pk, actor=world.user("citizen"))
    before = state(dossier)
    forged = signed_result(payment, secret="not-the-merchant-secret")
    tampered = {**signed_result(payment), "vnp_ResponseCode": "00", "vnp_Amount": "100"}

    assert ipn(forged) == ("97", "Invalid signature", Verdict.BAD_SIGNATURE)
    assert ipn(tampered) == ("97", "Invalid signature", Verdict.BAD_SIGNATURE)
    assert state(dossier) == before


def test_a_wrong_amount_is_refused_and_the_payment_stays_pending(world: World) -> None:
    dossier = waiting_for_payment(world)
    payment = payment_start_online(dossier_id=dossier.pk, actor=world.user("citizen"))
    before = state(dossier)

    assert ipn(signed_result(payment, amount=5_000)) == (
        "04",
        "Invalid amount",
        Verdict.AMOUNT_MISMATCH,
    )
    assert state(dossier) == before
    # The right notification still works afterwards.
    assert ipn(signed_result(payment))[2] == Verdict.CONFIRMED


def test_an_unknown_reference_or_merchant_is_not_found(world: World) -> None:
    dossier = waiting_for_payment(world)
    payment = payment_start_online(dossier_id=dossier.pk, actor=world.user("citizen"))
    before = state(dossier)
    unknown = signed_result(payment, vnp_TxnRef="f" * 32)
    other_merchant = signed_result(payment, vnp_TmnCode="SOMEONE")

    assert ipn(unknown) == ("01", "Order not found", Verdict.UNKNOWN_PAYMENT)
    assert ipn(other_merchant) == ("01", "Order not found", Verdict.UNKNOWN_PAYMENT)
    assert ipn({"vnp_TxnRef": "x"}) == ("97", "Invalid signature", Verdict.BAD_SIGNATURE)
    assert state(dossier) == before


@pytest.mark.parametrize(
    ("code", "expected"), [("51", PaymentState.FAILED), ("24", PaymentState.CANCELLED)]
)
def test_declined_or_cancelled_leaves_the_dossier_waiting(
    world: World, code: str, expected: str
) -> None:
    dossier = waiting_for_payment(world)
    payment = payment_start_online(dossier_id=dossier.pk, actor=world.user("citizen"))
    events = fresh(dossier).events.count()

    assert ipn(signed_result(payment, response_code=code, status="02")) == (
        "00",
        "Confirm Success",
        Verdict.FAILED,
    )
    payment.refresh_from_db()
    assert payment.state == expected
    assert (fresh(dossier).status, fresh(dossier).fees_paid) == (Status.PAYMENT_REQUESTED, 0)
    assert fresh(dossier).events.count() == events
    # A later success for the same, closed transaction is not applied.
    late = signed_result(payment, transaction_no="999")
    assert ipn(late) == ("02", "Order already confirmed", Verdict.ALREADY_FINAL)
    assert fresh(dossier).fees_paid == 0


def test_a_gateway_number_already_used_by_another_payment_is_not_applied(world: World) -> None:
    first = waiting_for_payment(world)
    paid = payment_start_online(dossier_id=first.pk, actor=world.user("citizen"))
    assert ipn(signed_result(paid, transaction_no="555"))[2] == Verdict.CONFIRMED
    second = waiting_for_payment(world)
    other = payment_start_online(dossier_id=second.pk, actor=world.user("citizen"))
    before = state(second)

    assert ipn(signed_result(other, transaction_no="555")) == (
        "99",
        "Unknown error",
        Verdict.CONFLICT,
    )
    assert state(second) == before


def test_a_new_attempt_cancels_the_pending_one(world: World) -> None:
    dossier = waiting_for_payment(world)
    first = payment_start_online(dossier_id=dossier.pk, actor=world.user("citizen"))
    second = payment_start_online(dossier_id=dossier.pk, actor=world.user("citizen"))
    first.refresh_from_db()
    assert (first.state, second.state) == (PaymentState.CANCELLED, PaymentState.PENDING)
    assert ipn(signed_result(first))[2] == Verdict.ALREADY_FINAL
    assert ipn(signed_result(second, transaction_no="2"))[2] == Verdict.CONFIRMED
    assert fresh(dossier).fees_paid == 50_000


def test_money_arriving_for_what_the_counter_already_took_is_listed_not_counted(
    world: World,
) -> None:
    dossier = waiting_for_payment(world)
    online = payment_start_online(dossier_id=dossier.pk, actor=world.user("citizen"))
    payment_record_cash(dossier_id=dossier.pk, receipt_number="BL-9", actor=world.user("counter_a"))
    before = state(dossier)

    assert ipn(signed_result(online)) == ("00", "Confirm Success", Verdict.NOT_OWED)

    online.refresh_from_db()
    assert online.state == PaymentState.PAID
    assert not online.lines.filter(settled=True).exists()
    assert fresh(dossier).fees_paid == 50_000
    assert state(dossier)[:5] == before[:5]


def test_money_arriving_for_a_dossier_closed_meanwhile_is_listed_not_counted(
    world: World,
) -> None:
    dossier = waiting_for_payment(world)
    online = payment_start_online(dossier_id=dossier.pk, actor=world.user("citizen"))
    dossier_act(dossier_id=dossier.pk, action=Action.WITHDRAW, actor=world.user("citizen"))
    dossier_act(dossier_id=dossier.pk, action=Action.STOP, actor=world.user("counter_a"))
    before = state(dossier)

    assert ipn(signed_result(online)) == ("00", "Confirm Success", Verdict.NOT_OWED)

    assert fresh(dossier).status == Status.STOPPED
    assert state(dossier)[:5] == before[:5]
    online.refresh_from_db()
    assert online.state == PaymentState.PAID
    assert not online.lines.filter(settled=True).exists()


def test_only_the_applicant_starts_an_online_payment_and_only_when_something_is_due(
    world: World,
) -> None:
    dossier = waiting_for_payment(world)
    with pytest.raises(PermissionDenied):
        payment_start_online(dossier_id=dossier.pk, actor=world.user("citizen2"))
    with pytest.raises(PermissionDenied):
        payment_start_online(dossier_id=dossier.pk, actor=world.user("counter_a"))
    assert not Payment.objects.exists()
    nothing = received_online(world, world.user("citizen"))
    with pytest.raises(NothingDue):
        payment_start_online(dossier_id=nothing.pk, actor=world.user("citizen"))


# -- exemptions --------------------------------------------------------------------------------


def test_an_exemption_waives_one_obligation_with_reason_and_who(world: World) -> None:
    FeeFactory(procedure=world.birth, name="Lệ phí đăng ký", amount=8_000)
    dossier = waiting_for_payment(world, amount=20_000)
    payment_start_online(dossier_id=dossier.pk, actor=world.user("citizen"))  # writes obligations
    fee = Obligation.objects.get(dossier=dossier, fee__isnull=False)
    assert fresh(dossier).fees_total == 28_000

    fee_exemption_grant(
        dossier_id=dossier.pk,
        obligation_id=fee.pk,
        reason="Trẻ em thuộc hộ nghèo (Điều 11 Thông tư 85/2019/TT-BTC)",
        actor=world.user("counter_a"),
    )

    fee.refresh_from_db()
    assert fee.exempt
    assert fee.exempted_by == world.user("counter_a")
    d = fresh(dossier)
    assert d.fees_total == 20_000
    event = d.events.order_by("-seq").first()
    assert event is not None
    assert (event.action, event.data["amount"]) == ("fee_exemption", 8_000)
    # The pending attempt covered the waived fee: it is cancelled, a new one asks for the rest.
    assert Payment.objects.get().state == PaymentState.CANCELLED
    assert payment_start_online(dossier_id=dossier.pk, actor=world.user("citizen")).amount == 20_000


def test_an_exemption_needs_a_reason_and_a_counter_officer_or_leader(world: World) -> None:
    dossier = waiting_for_payment(world)
    payment_start_online(dossier_id=dossier.pk, actor=world.user("citizen"))
    obligation = Obligation.objects.get(dossier=dossier)
    before = state(dossier)
    with pytest.raises(ValidationFailed):
        fee_exemption_grant(
            dossier_id=dossier.pk,
            obligation_id=obligation.pk,
            reason=" ",
            actor=world.user("counter_a"),
        )
    with pytest.raises(PermissionDenied):
        fee_exemption_grant(
            dossier_id=dossier.pk,
            obligation_id=obligation.pk,
            reason="x",
            actor=world.user("citizen"),
        )
    assert state(dossier) == before
    assert not Obligation.objects.get(pk=obligation.pk).exempt


# -- invariants in the database ------------------------------------------------------------------


def test_the_database_refuses_a_zero_amount_and_a_second_paid_line_per_obligation(
    world: World,
) -> None:
    dossier = waiting_for_payment(world)
    paid = payment_record_cash(
        dossier_id=dossier.pk, receipt_number="BL-1", actor=world.user("counter_a")
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            dossier=dossier, method=Method.ONLINE, gateway="vnpay", amount=0, payer_name="x"
        )
    other = Payment.objects.create(
        dossier=dossier, method=Method.ONLINE, gateway="vnpay", amount=50_000, payer_name="x"
    )
    obligation = paid.lines.get().obligation
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentLine.objects.create(
            payment=other, obligation=obligation, amount=50_000, settled=True
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            dossier=dossier,
            method=Method.CASH,
            amount=1_000,
            payer_name="x",
            state=PaymentState.PAID,
            paid_at=paid.paid_at,
        )  # cash paid without a receipt number


# -- the API payload -----------------------------------------------------------------------------


def test_the_api_payload_fees_follow_the_ledger(world: World) -> None:
    dossier = waiting_for_payment(world)
    client = APIClient()
    client.force_authenticate(world.user("citizen"))
    url = f"/api/v1/dossiers/{fresh(dossier).code}/"
    assert client.get(url).json()["fees"] == {"total": 50_000, "paid": 0}
    payment = payment_start_online(dossier_id=dossier.pk, actor=world.user("citizen"))
    ipn(signed_result(payment))
    assert client.get(url).json()["fees"] == {"total": 50_000, "paid": 50_000}
