"""The dossier screen's cash form at the counter writes the ledger, receipt number required."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.backoffice.tests.conftest import office_login
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier
from motcua.payments.constants import Method, PaymentState
from motcua.payments.models import Payment

from .helpers import World, fresh, waiting_for_payment

pytestmark = pytest.mark.django_db


def post_pay(client: Client, dossier: Dossier, **data: str) -> int:
    version = Dossier.objects.get(pk=dossier.pk).version
    body = {"pay-version": str(version), **{f"pay-{k}": v for k, v in data.items()}}
    return client.post(f"/can-bo/ho-so/{dossier.pk}/thao-tac/pay/", body).status_code


def test_cash_at_the_counter_needs_the_receipt_number_then_is_in_the_ledger(world: World) -> None:
    dossier = waiting_for_payment(world)
    client = office_login(Client(), world.user("counter_a"))
    before = fresh(dossier).version

    assert post_pay(client, dossier, method="cash", receipt_number=" ") == 400
    page = client.get(f"/can-bo/ho-so/{dossier.pk}/").content.decode()
    assert 'name="pay-receipt_number"' in page
    assert (fresh(dossier).status, fresh(dossier).version) == (Status.PAYMENT_REQUESTED, before)
    assert not Payment.objects.exists()

    assert post_pay(client, dossier, method="cash", receipt_number="0001234") == 302

    payment = Payment.objects.get()
    assert (payment.method, payment.state, payment.amount, payment.receipt_number) == (
        Method.CASH,
        PaymentState.PAID,
        50_000,
        "0001234",
    )
    assert payment.created_by == world.user("counter_a")
    assert (fresh(dossier).status, fresh(dossier).fees_paid) == (Status.RECEIVED, 50_000)
