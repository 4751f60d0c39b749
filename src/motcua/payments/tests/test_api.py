"""The payments API: the applicant starts an online payment (`POST .../payments/online/`), whoever
sees the dossier reads its fees and payments (`GET .../payments/`), and the applicant's `pay`
action points at the former (409 `pay_online_at_gateway`). docs/adr/0011."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from rest_framework.test import APIClient

from motcua.core.models import IdempotencyRecord
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.outbox.models import OutboxMessage
from motcua.payments import gateway
from motcua.payments.constants import Method, PaymentState
from motcua.payments.models import Payment
from motcua.payments.serializers import (
    DossierPaymentsSerializer,
    ObligationItemSerializer,
    OnlinePaymentStartedSerializer,
    PaymentItemSerializer,
)
from motcua.payments.services import payment_confirm_from_ipn, payment_record_cash
from motcua.portal.tests.journeys import received_online

from .helpers import World, fresh, signed_result, waiting_for_payment

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 11, 27, 9, 30, tzinfo=VN)


def api(world: World, username: str | None) -> APIClient:
    client = APIClient()
    if username is not None:
        client.force_authenticate(world.user(username))
    return client


def online_url(dossier: Dossier) -> str:
    return f"/api/v1/dossiers/{dossier.code}/payments/online/"


def payments_url(dossier: Dossier) -> str:
    return f"/api/v1/dossiers/{dossier.code}/payments/"


def state(dossier: Dossier) -> tuple[Any, ...]:
    """Everything starting or refusing a payment could change."""
    d = fresh(dossier)
    return (
        d.status,
        d.version,
        d.fees_total,
        d.fees_paid,
        DossierEvent.objects.filter(dossier=d).count(),
        list(Payment.objects.filter(dossier=d).values_list("pk", "state")),
        OutboxMessage.objects.count(),
        IdempotencyRecord.objects.count(),
    )


# -- starting an online payment ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_applicant_starts_an_online_payment_for_what_is_owed(world: World) -> None:
    # Given a dossier asked to pay 50,000 đ
    dossier = waiting_for_payment(world)
    # When its applicant starts paying online through the API
    with time_machine.travel(NOW, tick=False):
        response = api(world, "citizen").post(online_url(dossier), format="json")
    # Then a pending online payment for 50,000 đ exists, and the answer says where to pay it
    assert response.status_code == 201, response.json()
    payment = Payment.objects.get(dossier=dossier)
    assert (payment.method, payment.state, payment.amount) == (
        Method.ONLINE,
        PaymentState.PENDING,
        50_000,
    )
    body = response.json()
    assert set(body) == {"payment_id", "amount", "pay_url", "expires_at"}
    assert body["payment_id"] == str(payment.pk)
    assert body["amount"] == 50_000
    assert body["expires_at"] == "2026-11-27T09:45:00+07:00"
    assert response["Location"] == payments_url(dossier)
    pay_url = urlsplit(body["pay_url"])
    assert f"{pay_url.scheme}://{pay_url.netloc}{pay_url.path}" == settings.MOTCUA_PAYMENT_PAY_URL
    params = {key: values[0] for key, values in parse_qs(pay_url.query).items()}
    assert gateway.verify(params, settings.MOTCUA_PAYMENT_SECRET)
    assert (params["vnp_TxnRef"], params["vnp_Amount"], params["vnp_ExpireDate"]) == (
        payment.reference,
        "5000000",
        "20261127094500",
    )
    # And nothing is paid: only the gateway's notification pays
    assert (fresh(dossier).status, fresh(dossier).fees_paid) == (Status.PAYMENT_REQUESTED, 0)


@pytest.mark.django_db
def test_an_idempotency_key_replays_the_first_answer_and_starts_nothing_new(world: World) -> None:
    dossier = waiting_for_payment(world)
    client = api(world, "citizen")
    key = {"Idempotency-Key": "pay-once-1"}
    first = client.post(online_url(dossier), format="json", headers=key)
    assert first.status_code == 201
    before = state(dossier)

    again = client.post(online_url(dossier), format="json", headers=key)

    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert state(dossier) == before
    assert Payment.objects.filter(dossier=dossier).count() == 1


@pytest.mark.django_db
def test_a_new_attempt_without_a_key_cancels_the_pending_one(world: World) -> None:
    dossier = waiting_for_payment(world)
    client = api(world, "citizen")
    first = client.post(online_url(dossier), format="json").json()

    second = client.post(online_url(dossier), format="json").json()

    assert second["payment_id"] != first["payment_id"]
    assert dict(Payment.objects.filter(dossier=dossier).values_list("pk", "state")) == {
        Payment.objects.get(pk=first["payment_id"]).pk: PaymentState.CANCELLED,
        Payment.objects.get(pk=second["payment_id"]).pk: PaymentState.PENDING,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "status", "code"),
    [
        (None, 401, "not_authenticated"),
        ("citizen2", 404, "not_found"),  # another citizen: the dossier is not theirs to see
        ("counter_b", 404, "not_found"),  # another commune's desk
        ("counter_a", 403, "permission_denied"),  # sees it, but only the applicant pays online
        ("supervisor", 403, "permission_denied"),
    ],
)
def test_only_the_applicant_starts_a_payment(
    world: World, username: str | None, status: int, code: str
) -> None:
    dossier = waiting_for_payment(world)
    before = state(dossier)

    response = api(world, username).post(
        online_url(dossier), format="json", headers={"Idempotency-Key": "k-1"}
    )

    assert (response.status_code, response.json()["code"]) == (status, code)
    assert response["Content-Type"] == "application/problem+json"
    assert state(dossier) == before
    if status == 404:  # exactly the answer for a dossier that does not exist
        unknown = api(world, username).post(
            "/api/v1/dossiers/H56.101.1-261127-9999/payments/online/", format="json"
        )
        assert response.json() == unknown.json()


@pytest.mark.django_db
def test_nothing_owed_is_a_conflict_that_changes_nothing(world: World) -> None:
    # Given a received dossier of a procedure without fees, and nothing requested
    dossier = received_online(world, world.user("citizen"))
    before = state(dossier)
    # When the applicant starts paying online
    response = api(world, "citizen").post(
        online_url(dossier), format="json", headers={"Idempotency-Key": "k-2"}
    )
    # Then 409 nothing_due, and no payment, no outbox message, no stored answer
    assert (response.status_code, response.json()["code"]) == (409, "nothing_due")
    assert state(dossier) == before


@pytest.mark.django_db
def test_a_paid_dossier_owes_nothing_more(world: World) -> None:
    dossier = waiting_for_payment(world)
    payment_record_cash(dossier_id=dossier.pk, receipt_number="BL-7", actor=world.user("counter_a"))
    before = state(dossier)

    response = api(world, "citizen").post(online_url(dossier), format="json")

    assert (response.status_code, response.json()["code"]) == (409, "nothing_due")
    assert state(dossier) == before


# -- reading fees and payments --------------------------------------------------------------------


def confirmed_online(world: World) -> tuple[Dossier, Payment]:
    dossier = waiting_for_payment(world)
    started = api(world, "citizen").post(online_url(dossier), format="json").json()
    payment = Payment.objects.get(pk=started["payment_id"])
    answer = payment_confirm_from_ipn(
        gateway_name=payment.gateway,
        params=signed_result(payment, transaction_no="14123456"),
        now=NOW,
    )
    assert answer.code == "00"
    return dossier, Payment.objects.get(pk=payment.pk)


@pytest.mark.django_db
def test_the_applicant_reads_obligations_and_payments_without_gateway_data(world: World) -> None:
    dossier, payment = confirmed_online(world)

    response = api(world, "citizen").get(payments_url(dossier))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    obligation = payment.lines.get().obligation
    assert response.json() == {
        "fees": {"total": 50_000, "paid": 50_000, "due": 0},
        "obligations": [
            {
                "key": f"obligation:{obligation.pk}",
                "name": "Phí thẩm định",
                "quantity": 1,
                "amount": 50_000,
                "exempt": False,
                "exemption_reason": "",
                "paid": True,
            }
        ],
        "payments": [
            {
                "id": str(payment.pk),
                "method": "online",
                "state": "paid",
                "amount": 50_000,
                "receipt_number": "",
                "created_at": payment.created_at.astimezone(VN).isoformat(),
                "paid_at": "2026-11-27T09:30:00+07:00",
                "gateway_transaction_no": None,
            }
        ],
    }


@pytest.mark.django_db
def test_staff_who_see_the_dossier_also_read_the_gateway_number(world: World) -> None:
    dossier, payment = confirmed_online(world)

    response = api(world, "counter_a").get(payments_url(dossier))

    assert response.status_code == 200
    assert payment.gateway_transaction_no == "14123456"
    assert [p["gateway_transaction_no"] for p in response.json()["payments"]] == ["14123456"]
    assert response.json()["fees"] == {"total": 50_000, "paid": 50_000, "due": 0}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "status"), [("citizen2", 404), ("counter_b", 404), (None, 401)]
)
def test_those_who_do_not_see_the_dossier_read_nothing(
    world: World, username: str | None, status: int
) -> None:
    dossier = waiting_for_payment(world)

    response = api(world, username).get(payments_url(dossier))

    assert response.status_code == status
    assert "payments" not in response.json()


@pytest.mark.django_db
def test_the_payloads_have_the_documented_shape(world: World) -> None:
    dossier, _ = confirmed_online(world)
    body = api(world, "counter_a").get(payments_url(dossier)).json()

    assert set(body) == set(DossierPaymentsSerializer().fields)
    assert set(body["obligations"][0]) == set(ObligationItemSerializer().fields)
    assert set(body["payments"][0]) == set(PaymentItemSerializer().fields)
    started = api(world, "citizen").post(online_url(waiting_for_payment(world)), format="json")
    assert set(started.json()) == set(OnlinePaymentStartedSerializer().fields)


# -- the applicant's `pay` action ---------------------------------------------------------------


@pytest.mark.django_db
def test_pay_is_offered_to_the_applicant_while_payment_is_requested(world: World) -> None:
    dossier = waiting_for_payment(world)

    detail = api(world, "citizen").get(f"/api/v1/dossiers/{dossier.code}/").json()

    assert detail["available_actions"] == ["pay", "withdraw"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"action": "pay", "method": "online"},
        {"action": "pay"},
        {"action": "pay", "method": "cash", "receipt_number": "BL-1"},
    ],
)
def test_the_applicants_pay_points_to_the_gateway_and_marks_nothing_paid(
    world: World, body: dict[str, str]
) -> None:
    # Given a dossier waiting for 50,000 đ
    dossier = waiting_for_payment(world)
    before = state(dossier)
    # When its applicant takes `pay` through the actions endpoint, whatever the method
    response = api(world, "citizen").post(
        f"/api/v1/dossiers/{dossier.code}/actions/", body, format="json"
    )
    # Then 409 pay_online_at_gateway, naming the endpoint that starts an online payment
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "pay_online_at_gateway"
    assert problem["payment_url"] == online_url(dossier)
    # And nothing changed: no payment, no event, still waiting, nothing paid
    assert state(dossier) == before


@pytest.mark.django_db
def test_the_applicant_outside_payment_requested_is_told_not_now(world: World) -> None:
    dossier = received_online(world, world.user("citizen"))
    before = state(dossier)

    response = api(world, "citizen").post(
        f"/api/v1/dossiers/{dossier.code}/actions/", {"action": "pay"}, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (409, "action_not_allowed")
    assert state(dossier) == before


@pytest.mark.django_db
def test_the_counter_still_takes_cash_through_pay(world: World) -> None:
    dossier = waiting_for_payment(world)

    response = api(world, "counter_a").post(
        f"/api/v1/dossiers/{dossier.code}/actions/",
        {"action": "pay", "method": "cash", "receipt_number": "BL-0009"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["fees"]) == (
        "received",
        {"total": 50_000, "paid": 50_000},
    )
    assert Payment.objects.get(dossier=dossier).receipt_number == "BL-0009"
