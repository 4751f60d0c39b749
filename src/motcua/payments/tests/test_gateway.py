"""The VNPay-style protocol: canonical text, HMAC-SHA512 signature, amounts × 100, results."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.payments import gateway

SECRET = "test-secret"
CFG = gateway.GatewayConfig(
    name="vnpay",
    merchant_code="MOTCUA01",
    secret=SECRET,
    pay_url="http://gw.example/paymentv2/vpcpay.html",
    return_url="http://motcua.example/thanh-toan/ket-qua/",
)


def test_canonical_text_is_sorted_url_encoded_and_leaves_out_the_hash_and_empties() -> None:
    params = {
        "vnp_TxnRef": "abc",
        "vnp_Amount": "5000000",
        "vnp_OrderInfo": "Thanh toan ho so H56-261127-0001",
        "vnp_BankCode": "",
        "vnp_SecureHash": "ff",
    }
    assert gateway.canonical(params) == (
        "vnp_Amount=5000000&vnp_OrderInfo=Thanh+toan+ho+so+H56-261127-0001&vnp_TxnRef=abc"
    )


def test_signature_is_hmac_sha512_of_the_canonical_text() -> None:
    params = {"vnp_B": "2", "vnp_A": "1 2"}
    expected = hmac.new(SECRET.encode(), b"vnp_A=1+2&vnp_B=2", hashlib.sha512).hexdigest()
    assert gateway.sign(params, SECRET) == expected
    assert gateway.verify({**params, "vnp_SecureHash": expected.upper()}, SECRET)


def test_a_changed_value_or_another_secret_fails_verification() -> None:
    params = {"vnp_Amount": "100", "vnp_TxnRef": "x"}
    signed = {**params, "vnp_SecureHash": gateway.sign(params, SECRET)}
    assert gateway.verify(signed, SECRET)
    assert not gateway.verify({**signed, "vnp_Amount": "200"}, SECRET)
    assert not gateway.verify(signed, "other-secret")
    assert not gateway.verify(params, SECRET)  # no signature at all


def test_payment_url_carries_every_field_amount_times_100_and_a_valid_signature() -> None:
    created = dt.datetime(2026, 11, 27, 2, 0, tzinfo=dt.UTC)  # 09:00 in Vietnam
    url = gateway.payment_url(
        CFG,
        reference="0f" * 16,
        amount=50_000,
        order_info="Thanh toan ho so H56-1",
        client_ip="10.0.0.5",
        created_at=created,
    )
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == CFG.pay_url
    params = dict(parse_qsl(parts.query))
    assert params["vnp_Amount"] == "5000000"
    assert params["vnp_TxnRef"] == "0f" * 16
    assert params["vnp_TmnCode"] == "MOTCUA01"
    assert params["vnp_ReturnUrl"] == CFG.return_url
    assert params["vnp_CreateDate"] == "20261127090000"
    assert params["vnp_ExpireDate"] == "20261127091500"
    assert params["vnp_Command"] == "pay"
    assert params["vnp_CurrCode"] == "VND"
    assert params["vnp_Version"] == "2.1.0"
    assert gateway.verify(params, SECRET)


@pytest.mark.parametrize("raw", ["12345", "abc", "-100", ""])
def test_amounts_that_are_not_whole_dong_times_100_are_refused(raw: str) -> None:
    with pytest.raises(gateway.GatewayError):
        gateway.from_gateway_amount(raw)


@given(st.integers(min_value=1, max_value=10**12))
def test_amount_round_trip(amount: int) -> None:
    assert gateway.from_gateway_amount(gateway.to_gateway_amount(amount)) == amount


def test_parse_result_and_its_outcome() -> None:
    base = {
        "vnp_TxnRef": "ref",
        "vnp_Amount": "2000000",
        "vnp_TmnCode": "MOTCUA01",
        "vnp_ResponseCode": "00",
        "vnp_TransactionStatus": "00",
        "vnp_TransactionNo": "14000001",
        "vnp_BankCode": "NCB",
    }
    result = gateway.parse_result(base)
    assert (result.reference, result.amount, result.succeeded, result.cancelled) == (
        "ref",
        20_000,
        True,
        False,
    )
    cancelled = gateway.parse_result({**base, "vnp_ResponseCode": "24"})
    assert (cancelled.succeeded, cancelled.cancelled) == (False, True)
    assert not gateway.parse_result({**base, "vnp_TransactionStatus": "02"}).succeeded
    with pytest.raises(gateway.GatewayError, match="missing vnp_TxnRef"):
        gateway.parse_result({k: v for k, v in base.items() if k != "vnp_TxnRef"})
