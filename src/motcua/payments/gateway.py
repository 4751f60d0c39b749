"""The signed-redirect + server-to-server notification (IPN) protocol of Vietnamese payment
gateways, VNPay style (version 2.1.0), as pure functions over parameter dictionaries.

- The merchant sends the payer's browser to the gateway's pay URL with parameters ``vnp_*``,
  sorted by name, URL-encoded, and signed: ``vnp_SecureHash`` = HMAC-SHA512 (hex) with the
  merchant's secret over the same sorted, URL-encoded ``key=value&...`` string.
- Amounts are in đồng × 100 (``vnp_Amount``); the transaction reference (``vnp_TxnRef``) is our
  payment id.
- When the payer is done, the gateway calls the merchant's IPN URL server to server with the
  result, signed the same way, and the merchant answers ``{"RspCode", "Message"}``. It also
  redirects the browser to the return URL with the same parameters: that return is shown, never
  trusted to mark anything paid.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote_plus, urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings

VERSION = "2.1.0"
HASH_FIELD = "vnp_SecureHash"
HASH_TYPE_FIELD = "vnp_SecureHashType"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FORMAT = "%Y%m%d%H%M%S"
MAX_PARAM_CHARS = 1000  # longer values are not the gateway's: refused as malformed

# Payment result codes (vnp_ResponseCode) this adapter and the simulator use.
SUCCESS = "00"
CUSTOMER_CANCELLED = "24"
INSUFFICIENT_FUNDS = "51"
TRANSACTION_SUCCESS = "00"  # vnp_TransactionStatus
TRANSACTION_FAILED = "02"

QUERY_PATH = "/merchant_webapi/api/transaction"
QUERY_NOT_FOUND = "91"  # vnp_ResponseCode of a query about a transaction the gateway never had

# Answers to the IPN.
ANSWER_CONFIRMED = ("00", "Confirm Success")
ANSWER_NOT_FOUND = ("01", "Order not found")
ANSWER_ALREADY_CONFIRMED = ("02", "Order already confirmed")
ANSWER_INVALID_AMOUNT = ("04", "Invalid amount")
ANSWER_INVALID_SIGNATURE = ("97", "Invalid signature")
ANSWER_UNKNOWN_ERROR = ("99", "Unknown error")


class GatewayError(ValueError):
    """Parameters that are not a well-formed gateway message."""


@dataclass(frozen=True)
class GatewayConfig:
    name: str  # our name for the gateway, in the IPN URL and on payments
    merchant_code: str  # vnp_TmnCode
    secret: str
    pay_url: str
    return_url: str
    expire_minutes: int = 15
    query_url: str = ""  # the gateway's server-to-server transaction query (querydr)


def config(name: str | None = None) -> GatewayConfig:
    """The configured gateway (settings ``MOTCUA_PAYMENT_*``, from the environment)."""
    wanted = name or settings.MOTCUA_PAYMENT_GATEWAY
    if wanted != settings.MOTCUA_PAYMENT_GATEWAY:
        raise GatewayError(f"unknown gateway {wanted!r}")
    return GatewayConfig(
        name=settings.MOTCUA_PAYMENT_GATEWAY,
        merchant_code=settings.MOTCUA_PAYMENT_MERCHANT_CODE,
        secret=settings.MOTCUA_PAYMENT_SECRET,
        pay_url=settings.MOTCUA_PAYMENT_PAY_URL,
        return_url=settings.MOTCUA_PAYMENT_RETURN_URL,
        expire_minutes=int(settings.MOTCUA_PAYMENT_EXPIRE_MINUTES),
        query_url=getattr(settings, "MOTCUA_PAYMENT_QUERY_URL", "")
        or _origin(settings.MOTCUA_PAYMENT_PAY_URL) + QUERY_PATH,
    )


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def canonical(params: Mapping[str, str]) -> str:
    """The signed text: parameters but the hash, sorted by name, URL-encoded, joined by ``&``.
    Empty values are left out, as the gateways do."""
    return "&".join(
        f"{quote_plus(key)}={quote_plus(str(value))}"
        for key, value in sorted(params.items())
        if key not in (HASH_FIELD, HASH_TYPE_FIELD) and value not in (None, "")
    )


def sign(params: Mapping[str, str], secret: str) -> str:
    return hmac.new(secret.encode(), canonical(params).encode("utf-8"), hashlib.sha512).hexdigest()


def signed_query(params: Mapping[str, str], secret: str) -> str:
    """The query string to send: the canonical text plus its signature."""
    return f"{canonical(params)}&{HASH_FIELD}={sign(params, secret)}"


def verify(params: Mapping[str, str], secret: str) -> bool:
    given = str(params.get(HASH_FIELD, ""))
    if not given:
        return False
    return hmac.compare_digest(given.lower(), sign(params, secret))


def to_gateway_amount(amount: int) -> str:
    if amount <= 0:
        raise GatewayError("amount must be positive")
    return str(amount * 100)


def from_gateway_amount(raw: str) -> int:
    if not raw.isdigit() or int(raw) % 100:
        raise GatewayError("vnp_Amount must be whole đồng × 100")
    return int(raw) // 100


def payment_url(
    cfg: GatewayConfig,
    *,
    reference: str,
    amount: int,
    order_info: str,
    client_ip: str,
    created_at: dt.datetime,
    locale: str = "vn",
) -> str:
    """Where to send the payer's browser."""
    local = created_at.astimezone(VIETNAM)
    params = {
        "vnp_Version": VERSION,
        "vnp_Command": "pay",
        "vnp_TmnCode": cfg.merchant_code,
        "vnp_Amount": to_gateway_amount(amount),
        "vnp_CurrCode": "VND",
        "vnp_TxnRef": reference,
        "vnp_OrderInfo": order_info,
        "vnp_OrderType": "other",
        "vnp_Locale": locale,
        "vnp_ReturnUrl": cfg.return_url,
        "vnp_IpAddr": client_ip or "127.0.0.1",
        "vnp_CreateDate": local.strftime(DATE_FORMAT),
        "vnp_ExpireDate": (local + dt.timedelta(minutes=cfg.expire_minutes)).strftime(DATE_FORMAT),
    }
    return f"{cfg.pay_url}?{signed_query(params, cfg.secret)}"


@dataclass(frozen=True)
class Result:
    """A payment result as the gateway reports it (IPN or browser return)."""

    reference: str
    amount: int  # đồng
    merchant_code: str
    response_code: str
    transaction_status: str
    transaction_no: str
    bank_code: str

    @property
    def succeeded(self) -> bool:
        return self.response_code == SUCCESS and self.transaction_status == TRANSACTION_SUCCESS

    @property
    def cancelled(self) -> bool:
        return self.response_code == CUSTOMER_CANCELLED


def parse_result(params: Mapping[str, str]) -> Result:
    """The result in signed parameters (check ``verify`` first). Raises GatewayError."""
    for key, value in params.items():
        if len(str(key)) > 64 or len(str(value)) > MAX_PARAM_CHARS:
            raise GatewayError("parameter too long")
    required = ("vnp_TxnRef", "vnp_Amount", "vnp_ResponseCode", "vnp_TmnCode")
    missing = [key for key in required if not params.get(key)]
    if missing:
        raise GatewayError(f"missing {', '.join(missing)}")
    return Result(
        reference=str(params["vnp_TxnRef"]),
        amount=from_gateway_amount(str(params["vnp_Amount"])),
        merchant_code=str(params["vnp_TmnCode"]),
        response_code=str(params["vnp_ResponseCode"]),
        transaction_status=str(params.get("vnp_TransactionStatus", "")),
        transaction_no=str(params.get("vnp_TransactionNo", ""))[:64],
        bank_code=str(params.get("vnp_BankCode", ""))[:32],
    )


def query_request(
    cfg: GatewayConfig,
    *,
    reference: str,
    request_id: str,
    transaction_date: dt.datetime,
    now: dt.datetime,
    client_ip: str = "127.0.0.1",
) -> dict[str, str]:
    """A signed transaction query ("querydr"): what the gateway knows of ``reference``. Its
    answer carries the transaction's fields (``vnp_TxnRef``, ``vnp_Amount``,
    ``vnp_TransactionStatus``...) signed like a notification, ``vnp_ResponseCode`` "00" when the
    query was answered, ``QUERY_NOT_FOUND`` when the gateway never had the transaction.

    Signed with the same sorted, URL-encoded scheme as everything else here; a real gateway
    whose query API signs a fixed field list differently needs only this function changed."""
    params = {
        "vnp_RequestId": request_id[:32],
        "vnp_Version": VERSION,
        "vnp_Command": "querydr",
        "vnp_TmnCode": cfg.merchant_code,
        "vnp_TxnRef": reference,
        "vnp_OrderInfo": f"Truy van giao dich {reference}",
        "vnp_TransactionDate": transaction_date.astimezone(VIETNAM).strftime(DATE_FORMAT),
        "vnp_CreateDate": now.astimezone(VIETNAM).strftime(DATE_FORMAT),
        "vnp_IpAddr": client_ip,
    }
    params[HASH_FIELD] = sign(params, cfg.secret)
    return params
