"""The daily reconciliation: payments by method, agency and procedure; unmatched notifications;
as a back-office page, as CSV and from the command line."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client

from motcua.backoffice.tests.conftest import office_login
from motcua.payments.constants import Verdict
from motcua.payments.reconciliation import VIETNAM, daily_report
from motcua.payments.services import (
    payment_confirm_from_ipn,
    payment_record_cash,
    payment_start_online,
)

from .helpers import World, signed_result, waiting_for_payment

pytestmark = pytest.mark.django_db


def a_day_of_payments(world: World) -> None:
    """Cash 50.000 đ at desk A; 30.000 đ online; a forged, a wrong-amount and an unknown IPN."""
    cash = waiting_for_payment(world)
    payment_record_cash(dossier_id=cash.pk, receipt_number="BL-1", actor=world.user("counter_a"))
    online = waiting_for_payment(world, amount=30_000)
    payment = payment_start_online(dossier_id=online.pk, actor=world.user("citizen"))
    for params in (
        signed_result(payment, secret="forged"),
        signed_result(payment, amount=1_000),
        signed_result(payment, vnp_TxnRef="e" * 32),
        signed_result(payment),
        signed_result(payment),  # repeated: a duplicate, not a disagreement
    ):
        payment_confirm_from_ipn(gateway_name="vnpay", params=params)


def today() -> dt.date:
    return dt.datetime.now(tz=VIETNAM).date()


def test_the_report_groups_the_day_and_lists_what_did_not_match(world: World) -> None:
    a_day_of_payments(world)

    report = daily_report(day=today())

    assert (report.total_count, report.total_amount) == (2, 80_000)
    assert [(g.key, g.count, g.amount) for g in report.by_method] == [
        ("cash", 1, 50_000),
        ("online", 1, 30_000),
    ]
    assert [(g.key, g.count, g.amount) for g in report.by_agency] == [("H56.101.1", 2, 80_000)]
    assert [(g.key, g.amount) for g in report.by_procedure] == [("1.001193", 80_000)]
    assert [n.verdict for n in report.unmatched] == [
        Verdict.BAD_SIGNATURE,
        Verdict.AMOUNT_MISMATCH,
        Verdict.UNKNOWN_PAYMENT,
    ]
    assert report.stale_pending == []
    assert daily_report(day=today() - dt.timedelta(days=1)).total_count == 0


def test_each_officer_sees_the_dossiers_they_may_see(world: World) -> None:
    a_day_of_payments(world)

    other_commune = daily_report(day=today(), viewer=world.user("counter_b"))
    desk = daily_report(day=today(), viewer=world.user("counter_a"))
    supervisor = daily_report(day=today(), viewer=world.user("supervisor"))

    assert (other_commune.total_count, other_commune.unmatched) == (0, [])
    assert desk.total_amount == 80_000
    # The desk sees what concerns its payments; a forged notification (whose reference is not
    # believed) and an unknown reference, only an overseer.
    assert [n.verdict for n in desk.unmatched] == [Verdict.AMOUNT_MISMATCH]
    assert len(supervisor.unmatched) == 3


def test_the_page_and_its_csv(world: World) -> None:
    a_day_of_payments(world)
    client = office_login(Client(), world.user("counter_a"))

    page = client.get("/can-bo/doi-soat-thanh-toan/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "2 khoản thanh toán, tổng 80.000 đ." in body
    assert "Sai số tiền" in body

    csv = client.get("/can-bo/doi-soat-thanh-toan/", {"ngay": today().isoformat(), "csv": "1"})
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == f"ngay,{today().isoformat()}"
    assert lines[1] == "tong_so_giao_dich,2,tong_so_tien,80000"
    assert "hinh_thuc,cash,Tiền mặt,1,50000" in lines
    assert "co_quan,H56.101.1,Bộ phận Một cửa xã An Bình,2,80000" in lines
    assert sum(line.startswith("thong_bao_khong_khop,2") for line in lines) == 1

    assert client.get("/can-bo/doi-soat-thanh-toan/", {"ngay": "2999-01-01"}).status_code == 400
    assert Client().get("/can-bo/doi-soat-thanh-toan/").status_code == 302


def test_the_command_prints_the_day(world: World) -> None:
    a_day_of_payments(world)
    out = io.StringIO()

    call_command("payments_reconciliation", "--date", today().isoformat(), stdout=out)

    text = out.getvalue()
    assert f"{today().isoformat()}: 2 payments, 80.000 đ" in text
    assert "Unmatched notifications: 3" in text
