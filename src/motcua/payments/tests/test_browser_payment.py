"""A citizen pays online from her dossier page: to the gateway (the simulator, on its own port),
approves, and comes back to a page saying it is paid; the dossier goes on. Phone and desktop,
with axe on every page of ours."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from motcua.conftest import assert_accessible, save_screenshot
from motcua.dossiers.constants import Status
from motcua.payments.constants import PaymentState
from motcua.payments.models import Payment
from motcua.payments.simulator import SimulatorServer

from .helpers import World, fresh, waiting_for_payment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pay_online_through_the_gateway_and_back(
    live_server: Any,
    page: Any,
    simulator: SimulatorServer,
    world: World,
    logged_in_page: Callable[..., Any],
) -> None:
    citizen = world.user("citizen")
    citizen.full_name = "Nguyễn Thị Hoa"
    citizen.save()
    dossier = waiting_for_payment(world)
    logged_in_page(citizen)
    page.goto(f"{live_server.url}/ho-so-cua-toi/{dossier.pk}/")
    assert_accessible(page)

    page.get_by_role("link", name="Thanh toán trực tuyến").click()
    page.wait_for_url(f"**/thanh-toan/ho-so/{dossier.pk}/")
    assert page.get_by_text("Còn phải nộp: 50.000 đ").is_visible()
    assert_accessible(page)
    save_screenshot(page, "payment-pay")

    page.get_by_role("button", name="Thanh toán trực tuyến").click()
    page.wait_for_url(re.compile(re.escape(simulator.base_url) + r"/paymentv2/vpcpay\.html\?.*"))
    assert page.get_by_text("50.000 đ").is_visible()
    assert_accessible(page)
    save_screenshot(page, "payment-gateway-simulator")
    page.get_by_role("button", name="Thanh toán", exact=True).click()

    page.wait_for_url("**/thanh-toan/ket-qua/?*")
    assert page.get_by_text("Đã thanh toán 50.000 đ.").is_visible()
    assert_accessible(page)
    save_screenshot(page, "payment-return")
    assert Payment.objects.get(dossier=dossier).state == PaymentState.PAID
    assert fresh(dossier).status == Status.RECEIVED

    page.get_by_role("link", name=re.compile(r"Về hồ sơ")).click()
    page.wait_for_url(f"**/ho-so-cua-toi/{dossier.pk}/")
    assert page.get_by_role("link", name="Thanh toán trực tuyến").count() == 0
