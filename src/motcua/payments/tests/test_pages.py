"""The applicant's payment pages, the IPN endpoint and the electronic receipt."""

from __future__ import annotations

import io
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from pypdf import PdfReader

from motcua.catalog.constants import FeeUnit
from motcua.catalog.tests.factories import FeeFactory
from motcua.payments import gateway
from motcua.payments.constants import PaymentState
from motcua.payments.models import GatewayNotification, Payment
from motcua.payments.services import payment_record_cash, payment_start_online
from motcua.portal.tests.journeys import received_online

from .helpers import World, fresh, signed_result, waiting_for_payment

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages
    )


def test_the_pay_page_shows_what_is_owed_and_posting_goes_to_the_gateway(world: World) -> None:
    dossier = waiting_for_payment(world)
    client = Client()
    client.force_login(world.user("citizen"))

    page = client.get(f"/thanh-toan/ho-so/{dossier.pk}/").content.decode()
    assert "Phí thẩm định" in page
    assert "Còn phải nộp: 50.000 đ" in page

    response = client.post(f"/thanh-toan/ho-so/{dossier.pk}/", REMOTE_ADDR="10.1.2.3")
    payment = Payment.objects.get(dossier=dossier)
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == settings.MOTCUA_PAYMENT_PAY_URL
    params = dict(parse_qsl(target.query))
    assert (params["vnp_TxnRef"], params["vnp_Amount"], params["vnp_IpAddr"]) == (
        payment.reference,
        "5000000",
        "10.1.2.3",
    )
    assert gateway.verify(params, settings.MOTCUA_PAYMENT_SECRET)


def test_the_dossier_page_links_to_paying_online_while_something_is_due(world: World) -> None:
    dossier = waiting_for_payment(world)
    client = Client()
    client.force_login(world.user("citizen"))
    button = f'<a class="button" href="/thanh-toan/ho-so/{dossier.pk}/">Thanh toán trực tuyến</a>'
    assert button in client.get(f"/ho-so-cua-toi/{dossier.pk}/").content.decode()
    payment_record_cash(dossier_id=dossier.pk, receipt_number="BL-5", actor=world.user("counter_a"))
    paid = client.get(f"/ho-so-cua-toi/{dossier.pk}/").content.decode()
    assert button not in paid  # nothing left to pay; the page now leads to the receipt instead
    assert f'href="/thanh-toan/ho-so/{dossier.pk}/">Xem các lần thanh toán và biên lai</a>' in paid


def test_other_people_cannot_see_or_start_a_payment(world: World) -> None:
    dossier = waiting_for_payment(world)
    client = Client()
    client.force_login(world.user("citizen2"))
    assert client.get(f"/thanh-toan/ho-so/{dossier.pk}/").status_code == 404
    assert client.post(f"/thanh-toan/ho-so/{dossier.pk}/").status_code == 404
    assert not Payment.objects.exists()
    anonymous = Client().post(f"/thanh-toan/ho-so/{dossier.pk}/")
    assert anonymous.status_code == 302
    assert "/tai-khoan/dang-nhap/" in anonymous["Location"]


def test_a_return_with_a_bad_signature_or_for_someone_else_shows_nothing(world: World) -> None:
    dossier = waiting_for_payment(world)
    payment = payment_start_online(dossier_id=dossier.pk, actor=world.user("citizen"))
    genuine = signed_result(payment)
    forged = {**genuine, "vnp_Amount": "1"}
    owner, other = Client(), Client()
    owner.force_login(world.user("citizen"))
    other.force_login(world.user("citizen2"))

    assert owner.get("/thanh-toan/ket-qua/", forged).status_code == 400
    assert other.get("/thanh-toan/ket-qua/", genuine).status_code == 400
    assert owner.get("/thanh-toan/ket-qua/", genuine).status_code == 200
    assert Payment.objects.get(pk=payment.pk).state == PaymentState.PENDING


def test_the_ipn_endpoint_speaks_the_gateway_protocol(world: World) -> None:
    dossier = waiting_for_payment(world)
    payment = payment_start_online(dossier_id=dossier.pk, actor=world.user("citizen"))
    client = Client()

    response = client.get("/api/v1/payments/ipn/vnpay/", signed_result(payment))
    assert (response.status_code, response.json()) == (
        200,
        {"RspCode": "00", "Message": "Confirm Success"},
    )
    assert fresh(dossier).fees_paid == 50_000
    unknown = client.get("/api/v1/payments/ipn/momo/", signed_result(payment))
    assert (unknown.status_code, unknown.json()["RspCode"]) == (404, "01")
    assert GatewayNotification.objects.count() == 1


def test_the_electronic_receipt_names_the_payer_with_diacritics(world: World) -> None:
    citizen = world.user("citizen")
    citizen.full_name = "Nguyễn Thị Hoa"
    citizen.save(update_fields=["full_name"])
    dossier = waiting_for_payment(world)
    payment = payment_start_online(dossier_id=dossier.pk, actor=world.user("citizen"))
    Client().get("/api/v1/payments/ipn/vnpay/", signed_result(payment, transaction_no="14000777"))
    client = Client()
    client.force_login(world.user("citizen"))

    response = client.get(f"/thanh-toan/bien-lai/{payment.pk}.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "BIÊN LAI THU PHÍ, LỆ PHÍ ĐIỆN TỬ" in text
    assert fresh(dossier).applicant_name == "Nguyễn Thị Hoa"
    assert "Nguyễn Thị Hoa" in text
    assert "Phí thẩm định" in text
    assert "50.000 đ" in text
    assert "14000777" in text
    other = Client()
    other.force_login(world.user("citizen2"))
    assert other.get(f"/thanh-toan/bien-lai/{payment.pk}.pdf").status_code == 404


def test_the_pay_page_in_english(world: World) -> None:
    dossier = waiting_for_payment(world)
    client = Client()
    client.force_login(world.user("citizen"))
    client.cookies["django_language"] = "en"

    html = client.get(f"/thanh-toan/ho-so/{dossier.pk}/").content.decode()

    assert "<h1>Pay fees and charges</h1>" in html
    assert "Still to pay: 50.000 đ" in html
    assert "Amounts owed" in html


def test_the_dossier_page_offers_paying_fees_counted_per_page(world: World) -> None:
    FeeFactory(procedure=world.birth, name="Phí chứng thực", amount=2_000, unit=FeeUnit.PER_PAGE)
    dossier = received_online(world, world.user("citizen"))
    dossier.form_data = {**dossier.form_data, "so_trang": 3}
    dossier.save(update_fields=["form_data"])
    # one page was counted at creation; the form changed after, behind the services' back
    assert fresh(dossier).fees_total == 2_000
    client = Client()
    client.force_login(world.user("citizen"))

    page = client.get(f"/ho-so-cua-toi/{dossier.pk}/").content.decode()

    assert "Còn phải nộp: 6.000 đ" in page
    assert f'href="/thanh-toan/ho-so/{dossier.pk}/"' in page
    payment = payment_start_online(dossier_id=dossier.pk, actor=world.user("citizen"))
    assert payment.amount == 6_000
    assert fresh(dossier).fees_total == 6_000
