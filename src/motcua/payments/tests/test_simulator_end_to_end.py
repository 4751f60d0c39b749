"""Paying end to end through the local gateway simulator: motcua on a live server, the simulator
on a free port of its own, the IPN going from one to the other over HTTP."""

from __future__ import annotations

import html
import json
import re
import threading
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings
from django.test import Client

from motcua.dossiers.constants import Status
from motcua.payments import gateway
from motcua.payments.constants import PaymentState, Verdict
from motcua.payments.models import GatewayNotification, Payment
from motcua.payments.simulator import PAY_PATH, SimulatorServer

from .conftest import IPN_PATH
from .helpers import World, fresh, waiting_for_payment


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(url: str, data: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    body = urlencode(data).encode() if data is not None else None
    try:
        with OPENER.open(url, data=body, timeout=20) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def start(client: Client, world: World) -> tuple[Any, str]:
    """The citizen asks to pay: where motcua sends their browser."""
    dossier = waiting_for_payment(world)
    client.force_login(world.user("citizen"))
    response = client.post(f"/thanh-toan/ho-so/{dossier.pk}/")
    assert response.status_code == 302
    return dossier, response["Location"]


def decide(gateway_url: str, decision: str) -> str:
    """On the simulator's page, press a button: where it sends the browser back."""
    status, _, page = fetch(gateway_url)
    assert status == 200
    assert "50.000 đ" in page
    request = html.unescape(re.search(r'name="request" value="([^"]*)"', page).group(1))  # type: ignore[union-attr]
    status, headers, _ = fetch(
        gateway_url.split("?")[0].replace(PAY_PATH, "/paymentv2/decide"),
        {"request": request, "decision": decision},
    )
    assert status == 303
    return headers["Location"]


def back_to_motcua(client: Client, location: str) -> str:
    parts = urlsplit(location)
    response = client.get(f"{parts.path}?{parts.query}")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_approved_payment_is_confirmed_by_the_ipn_then_shown_on_return(
    simulator: SimulatorServer, world: World
) -> None:
    client = Client()
    dossier, url = start(client, world)
    assert url.startswith(simulator.base_url + PAY_PATH + "?")

    returned_to = decide(url, "approve")

    # The IPN came first, server to server: the dossier is paid before the browser is back.
    payment = Payment.objects.get(dossier=dossier)
    assert payment.state == PaymentState.PAID
    assert fresh(dossier).status == Status.RECEIVED
    assert fresh(dossier).fees_paid == 50_000
    assert simulator.answers == [
        (payment.reference, {"RspCode": "00", "Message": "Confirm Success"})
    ]
    page = back_to_motcua(client, returned_to)
    assert "Đã thanh toán 50.000 đ." in page
    assert f"/thanh-toan/bien-lai/{payment.pk}.pdf" in page

    # The gateway sends the same notification again: the same answer, nothing applied twice.
    status, _, body = fetch(
        f"{simulator.base_url}/simulator/resend-ipn?ref={payment.reference}", {}
    )
    assert (status, json.loads(body)) == (200, {"RspCode": "00", "Message": "Confirm Success"})
    assert fresh(dossier).fees_paid == 50_000
    assert fresh(dossier).events.filter(action="pay").count() == 1
    assert list(
        GatewayNotification.objects.order_by("received_at", "pk").values_list("verdict", flat=True)
    ) == [Verdict.CONFIRMED, Verdict.DUPLICATE]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("decision", "state", "shown"),
    [
        ("decline", PaymentState.FAILED, "Thanh toán không thành công."),
        ("cancel", PaymentState.CANCELLED, "Giao dịch đã bị hủy."),
    ],
)
def test_declined_or_cancelled_leaves_the_dossier_waiting(
    simulator: SimulatorServer, world: World, decision: str, state: str, shown: str
) -> None:
    client = Client()
    dossier, url = start(client, world)

    page = back_to_motcua(client, decide(url, decision))

    assert Payment.objects.get(dossier=dossier).state == state
    assert (fresh(dossier).status, fresh(dossier).fees_paid) == (Status.PAYMENT_REQUESTED, 0)
    assert shown in page


@pytest.mark.django_db(transaction=True)
def test_the_return_alone_never_marks_paid(simulator: SimulatorServer, world: World) -> None:
    """A return carrying a success the gateway never notified (the IPN lost): still pending,
    the page says it waits and asks the browser to look again."""
    client = Client()
    dossier, _ = start(client, world)
    payment = Payment.objects.get(dossier=dossier)
    result = {
        "vnp_Amount": "5000000",
        "vnp_ResponseCode": "00",
        "vnp_TmnCode": settings.MOTCUA_PAYMENT_MERCHANT_CODE,
        "vnp_TransactionNo": "1",
        "vnp_TransactionStatus": "00",
        "vnp_TxnRef": payment.reference,
    }
    query = gateway.signed_query(result, settings.MOTCUA_PAYMENT_SECRET)

    response = client.get(f"/thanh-toan/ket-qua/?{query}")

    assert response.status_code == 200
    assert response["Refresh"] == "3"
    assert "Đang chờ cổng thanh toán xác nhận." in response.content.decode()
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.PENDING
    assert fresh(dossier).fees_paid == 0


@pytest.mark.django_db(transaction=True)
def test_tampered_requests_and_notifications_are_refused(
    simulator: SimulatorServer, world: World, live_server: Any
) -> None:
    client = Client()
    dossier, url = start(client, world)
    payment = Payment.objects.get(dossier=dossier)

    # The payer edits the amount on the way to the gateway: the gateway refuses it.
    status, _, page = fetch(url.replace("vnp_Amount=5000000", "vnp_Amount=100"))
    assert status == 400
    assert "Sai chữ ký" in page

    # A forged notification (another secret), and one re-signed with a wrong amount.
    approve = {
        "vnp_Amount": "5000000",
        "vnp_ResponseCode": "00",
        "vnp_TmnCode": settings.MOTCUA_PAYMENT_MERCHANT_CODE,
        "vnp_TransactionNo": "77",
        "vnp_TransactionStatus": "00",
        "vnp_TxnRef": payment.reference,
    }
    forged = gateway.signed_query(approve, "guessed-secret")
    wrong_amount = gateway.signed_query(
        {**approve, "vnp_Amount": "100"}, settings.MOTCUA_PAYMENT_SECRET
    )
    assert json.loads(fetch(f"{live_server.url}{IPN_PATH}?{forged}")[2]) == {
        "RspCode": "97",
        "Message": "Invalid signature",
    }
    assert json.loads(fetch(f"{live_server.url}{IPN_PATH}?{wrong_amount}")[2]) == {
        "RspCode": "04",
        "Message": "Invalid amount",
    }
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.PENDING
    assert (fresh(dossier).status, fresh(dossier).fees_paid) == (Status.PAYMENT_REQUESTED, 0)
    # The genuine payment still goes through afterwards.
    back_to_motcua(client, decide(url, "approve"))
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.PAID


def test_the_simulator_answers_a_bad_request_without_a_merchant(settings: Any) -> None:
    server = SimulatorServer(
        ("127.0.0.1", 0), merchant_code="M", secret="s", ipn_url="http://127.0.0.1:9/"
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        params = {"vnp_TmnCode": "OTHER", "vnp_Amount": "100"}
        status, _, page = fetch(f"{server.base_url}{PAY_PATH}?{gateway.signed_query(params, 's')}")
        assert status == 400
        assert "Thiếu tham số" in page
    finally:
        server.shutdown()
        server.server_close()
