"""How the payments screens read to an officer and a citizen: sums of money as "0 đ" (never
"Miễn phí", which is said of a price), tables with the unit they group by, a line's status in
words, and the applicant's way back to their receipt once everything is paid."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from motcua.backoffice.tests.conftest import office_login
from motcua.core.formatting import amount, money
from motcua.payments.services import payment_record_cash

from .helpers import World, fresh, waiting_for_payment

pytestmark = pytest.mark.django_db


def test_a_sum_of_zero_is_zero_dong_and_a_price_of_zero_is_free() -> None:
    with translation.override("vi"):
        assert amount(0) == "0 đ"
        assert amount(1_234_567) == "1.234.567 đ"
        assert amount(None) == ""
        assert money(0) == "Miễn phí"


def test_the_fee_table_says_nothing_paid_yet_and_the_line_is_unpaid(world: World) -> None:
    dossier = waiting_for_payment(world)
    client = office_login(Client(), world.user("counter_a"))

    body = client.get(f"/can-bo/ho-so/{dossier.pk}/phi-le-phi/").content.decode()

    assert "Phải nộp: 50.000 đ · Đã nộp: 0 đ" in body
    assert "Đã nộp: Miễn phí" not in body
    assert '<table class="data-table">' in body
    assert '<td class="num">50.000 đ</td>' in body
    assert "Chưa nộp" in body


def test_an_empty_day_of_reconciliation_totals_zero_dong(world: World) -> None:
    client = office_login(Client(), world.user("counter_a"))

    body = client.get("/can-bo/doi-soat-thanh-toan/").content.decode()

    assert "0 khoản thanh toán, tổng 0 đ." in body
    assert "Miễn phí" not in body


def test_the_reconciliation_tables_name_what_they_group_by(world: World) -> None:
    dossier = waiting_for_payment(world)
    payment_record_cash(dossier_id=dossier.pk, receipt_number="BL-9", actor=world.user("counter_a"))
    client = office_login(Client(), world.user("counter_a"))

    body = client.get("/can-bo/doi-soat-thanh-toan/").content.decode()

    assert "1 khoản thanh toán, tổng 50.000 đ." in body
    for heading in ("Hình thức", "Cơ quan tiếp nhận", "Thủ tục"):
        assert f'<th scope="col">{heading}</th>' in body
    assert ">Nhóm<" not in body
    assert '<td class="num">50.000 đ</td>' in body


def test_the_paid_dossier_page_leads_the_applicant_to_the_receipt(world: World) -> None:
    dossier = waiting_for_payment(world)
    payment_record_cash(dossier_id=dossier.pk, receipt_number="BL-7", actor=world.user("counter_a"))
    assert fresh(dossier).fees_paid == 50_000
    client = Client()
    client.force_login(world.user("citizen"))

    body = client.get(f"/ho-so-cua-toi/{dossier.pk}/").content.decode()

    assert "Đã nộp: 50.000 đ." in body
    assert (
        f'<a href="/thanh-toan/ho-so/{dossier.pk}/">Xem các lần thanh toán và biên lai</a>' in body
    )
    assert "Còn phải nộp" not in body
