"""Paying through the API end to end: the officer asks for money through the actions endpoint,
the applicant starts an online payment through the payments endpoint, the local gateway
simulator approves it and notifies motcua (IPN) over HTTP, and the dossier's API payload shows
it paid and back where it was."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from motcua.dossiers.constants import Status
from motcua.dossiers.models import DossierEvent
from motcua.payments.constants import PaymentState, Verdict
from motcua.payments.models import GatewayNotification, Payment
from motcua.payments.simulator import PAY_PATH, SimulatorServer
from motcua.portal.tests.journeys import received_online

from .helpers import World, fresh
from .test_simulator_end_to_end import decide


def api(world: World, username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.user(username))
    return client


@pytest.mark.django_db(transaction=True)
def test_request_payment_then_pay_online_through_the_api(
    simulator: SimulatorServer, world: World
) -> None:
    # Given a dossier the commune desk received
    dossier = received_online(world, world.user("citizen"))
    base = f"/api/v1/dossiers/{dossier.code}"
    officer, applicant = api(world, "counter_a"), api(world, "citizen")

    # When the counter officer asks for 50,000 đ through the actions endpoint
    asked = officer.post(
        f"{base}/actions/",
        {"action": "request_payment", "amount": 50_000, "note": "Phí thẩm định"},
        format="json",
    )
    assert asked.status_code == 200, asked.json()
    assert (asked.json()["status"], asked.json()["fees"]) == (
        "payment_requested",
        {"total": 50_000, "paid": 0},
    )
    # Then the applicant is offered `pay`, which points at the payments endpoint
    assert applicant.get(f"{base}/").json()["available_actions"] == ["pay", "withdraw"]
    pointed = applicant.post(
        f"{base}/actions/", {"action": "pay", "method": "online"}, format="json"
    )
    assert (pointed.status_code, pointed.json()["code"]) == (409, "pay_online_at_gateway")
    assert pointed.json()["payment_url"] == f"{base}/payments/online/"

    # When the applicant starts paying online there
    started = applicant.post(
        pointed.json()["payment_url"], format="json", headers={"Idempotency-Key": "e2e-pay-1"}
    )
    assert started.status_code == 201, started.json()
    assert started.json()["amount"] == 50_000
    pay_url = started.json()["pay_url"]
    assert pay_url.startswith(simulator.base_url + PAY_PATH + "?")
    # ... and the payer approves it on the gateway's page (the simulator then sends the IPN)
    decide(pay_url, "approve")

    # Then the gateway's notification paid it, and the dossier is back where it was
    payment = Payment.objects.get(pk=started.json()["payment_id"])
    assert payment.state == PaymentState.PAID
    assert simulator.answers == [
        (payment.reference, {"RspCode": "00", "Message": "Confirm Success"})
    ]
    assert list(GatewayNotification.objects.values_list("verdict", flat=True)) == [
        Verdict.CONFIRMED
    ]
    detail = applicant.get(f"{base}/").json()
    assert (detail["status"], detail["fees"], detail["available_actions"]) == (
        "received",
        {"total": 50_000, "paid": 50_000},
        ["withdraw"],
    )
    listed: dict[str, Any] = applicant.get(f"{base}/payments/").json()
    assert listed["fees"] == {"total": 50_000, "paid": 50_000, "due": 0}
    assert [(p["id"], p["state"], p["amount"]) for p in listed["payments"]] == [
        (str(payment.pk), "paid", 50_000)
    ]
    # One `pay` event, taken by the system with the gateway's payment
    pay = DossierEvent.objects.get(dossier=dossier, action="pay")
    assert (pay.actor_id, pay.from_status, pay.to_status) == (
        None,
        Status.PAYMENT_REQUESTED,
        Status.RECEIVED,
    )
    assert pay.data == {
        "method": "online",
        "amount": 50_000,
        "receipt_number": "",
        "payment": str(payment.pk),
    }
    assert fresh(dossier).fees_paid == 50_000
    # And nothing is owed any more
    again = applicant.post(pointed.json()["payment_url"], format="json")
    assert (again.status_code, again.json()["code"]) == (409, "nothing_due")
