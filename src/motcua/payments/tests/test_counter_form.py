"""The dossier screen's cash form at the counter writes the ledger, receipt number required."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.backoffice.tests.conftest import office_login
from motcua.catalog.tests.factories import FeeFactory
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier
from motcua.payments.constants import Method, PaymentState
from motcua.payments.models import Obligation, Payment

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


def test_the_fee_table_exempts_a_line_not_yet_written_with_its_reason(world: World) -> None:
    fee = FeeFactory(procedure=world.birth, name="Lệ phí đăng ký khai sinh", amount=8_000)
    dossier = waiting_for_payment(world, amount=20_000)
    client = office_login(Client(), world.user("counter_a"))
    url = f"/can-bo/ho-so/{dossier.pk}/phi-le-phi/"

    page = client.get(url).content.decode()
    assert f'value="fee:{fee.pk}"' in page
    assert "Phí thẩm định" in page
    before = fresh(dossier).version

    refused = client.post(url, {"line": f"fee:{fee.pk}", "reason": ""})
    assert refused.status_code == 400
    assert (fresh(dossier).version, Obligation.objects.count()) == (before, 0)

    done = client.post(url, {"line": f"fee:{fee.pk}", "reason": "Trẻ em hộ nghèo"})

    assert done.status_code == 302
    exempted = Obligation.objects.get(fee=fee)
    assert (exempted.exempt, exempted.exemption_reason, exempted.exempted_by) == (
        True,
        "Trẻ em hộ nghèo",
        world.user("counter_a"),
    )
    assert fresh(dossier).fees_total == 20_000
    assert "Được miễn: Trẻ em hộ nghèo" in client.get(url).content.decode()


def test_the_fee_table_is_for_the_dossiers_staff_only(world: World) -> None:
    fee = FeeFactory(procedure=world.birth, amount=8_000)
    dossier = waiting_for_payment(world)
    other = office_login(Client(), world.user("counter_b"))
    assert other.get(f"/can-bo/ho-so/{dossier.pk}/phi-le-phi/").status_code == 404
    supervisor = office_login(Client(), world.user("supervisor"))
    response = supervisor.post(
        f"/can-bo/ho-so/{dossier.pk}/phi-le-phi/", {"line": f"fee:{fee.pk}", "reason": "x"}
    )
    assert response.status_code == 403
    assert not Obligation.objects.filter(exempted_at__isnull=False).exists()
