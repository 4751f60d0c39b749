"""A local payment gateway speaking the same protocol as ``gateway`` (VNPay style), for the demo
and the tests: a payment page where the payer approves, declines or cancels; then the signed
server-to-server notification (IPN) to the merchant and the signed redirect of the browser back.

Standard library only (``http.server``), on its own port, so that it is a separate party: it
knows the merchant's code and secret and the merchant's IPN URL, nothing else of motcua.

Routes:
- ``GET  /paymentv2/vpcpay.html?<signed request>`` the payment page (400 if the signature, the
  merchant or a parameter is wrong)
- ``POST /paymentv2/decide``  ``request`` (the signed query as received) and ``decision``
  (``approve`` | ``decline`` | ``cancel``): sends the IPN, then redirects (303) to the return URL
- ``POST /simulator/resend-ipn?ref=<TxnRef>`` sends the last notification of a transaction again
  (a gateway retrying) and answers with the merchant's answer
- ``GET  /simulator/last?ref=<TxnRef>`` the last result's parameters, as JSON
- ``POST /merchant_webapi/api/transaction`` (JSON, signed) the transaction query ("querydr"):
  the transaction's result signed like a notification, or ``vnp_ResponseCode`` 91 when it was
  never paid here
"""

from __future__ import annotations

import html
import json
import random
import threading
import urllib.error
import urllib.request
from datetime import datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from . import gateway

PAY_PATH = "/paymentv2/vpcpay.html"
DECIDE_PATH = "/paymentv2/decide"
DECISIONS: dict[str, tuple[str, str]] = {
    # decision: (vnp_ResponseCode, vnp_TransactionStatus)
    "approve": (gateway.SUCCESS, gateway.TRANSACTION_SUCCESS),
    "decline": (gateway.INSUFFICIENT_FUNDS, gateway.TRANSACTION_FAILED),
    "cancel": (gateway.CUSTOMER_CANCELLED, gateway.TRANSACTION_FAILED),
}
REQUIRED = (
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_Amount",
    "vnp_CurrCode",
    "vnp_TxnRef",
    "vnp_OrderInfo",
    "vnp_ReturnUrl",
    "vnp_CreateDate",
)

PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — Cổng thanh toán mô phỏng</title>
<style>
body{{font-family:system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1b1f23}}
main{{max-width:32rem;margin:2rem auto;background:#fff;padding:1.5rem;border-radius:8px}}
h1{{font-size:1.4rem;margin-top:0}} dl{{display:grid;grid-template-columns:auto 1fr;gap:.4rem 1rem}}
dt{{font-weight:600}} button{{font-size:1rem;padding:.7rem 1rem;margin:.3rem .3rem 0 0;
border-radius:6px;border:1px solid #1b1f23;cursor:pointer;min-height:44px}}
.approve{{background:#0b6e2f;color:#fff;border-color:#0b6e2f}}
.decline{{background:#fff;color:#8a1c1c;border-color:#8a1c1c}}
.cancel{{background:#fff;color:#1b1f23}} .note{{color:#4a5560;font-size:.9rem}}
</style></head>
<body><main>{body}</main></body></html>
"""


def _page(title: str, body: str) -> bytes:
    return PAGE.format(title=html.escape(title), body=body).encode("utf-8")


class SimulatorServer(ThreadingHTTPServer):
    """One simulated gateway: the merchant's code and secret, where its IPN goes."""

    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        *,
        merchant_code: str,
        secret: str,
        ipn_url: str,
        ipn_timeout: float = 15.0,
    ) -> None:
        super().__init__(address, SimulatorHandler)
        self.merchant_code = merchant_code
        self.secret = secret
        self.ipn_url = ipn_url
        self.ipn_timeout = ipn_timeout
        self.results: dict[str, dict[str, str]] = {}
        self.answers: list[tuple[str, dict[str, Any]]] = []  # (reference, merchant's answer)
        self.queries: list[str] = []  # references the merchant asked about
        self._lock = threading.Lock()
        self._rng = random.SystemRandom()

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def check_request(self, params: dict[str, str]) -> str:
        """Why a payment request is refused, or "" when it is well formed and signed."""
        if not gateway.verify(params, self.secret):
            return "Sai chữ ký (vnp_SecureHash)."
        missing = [key for key in REQUIRED if not params.get(key)]
        if missing:
            return "Thiếu tham số: " + ", ".join(missing)
        if params["vnp_TmnCode"] != self.merchant_code:
            return "Mã đơn vị (vnp_TmnCode) không đúng."
        if params["vnp_Command"] != "pay" or params["vnp_CurrCode"] != "VND":
            return "Lệnh hoặc loại tiền không được hỗ trợ."
        try:
            gateway.from_gateway_amount(params["vnp_Amount"])
        except gateway.GatewayError:
            return "Số tiền (vnp_Amount) không hợp lệ."
        return ""

    def result_for(self, request: dict[str, str], decision: str) -> dict[str, str]:
        response_code, status = DECISIONS[decision]
        result = {
            "vnp_Amount": request["vnp_Amount"],
            "vnp_BankCode": "NCB",
            "vnp_CardType": "ATM",
            "vnp_OrderInfo": request["vnp_OrderInfo"],
            "vnp_PayDate": datetime.now(gateway.VIETNAM).strftime(gateway.DATE_FORMAT),
            "vnp_ResponseCode": response_code,
            "vnp_TmnCode": request["vnp_TmnCode"],
            "vnp_TransactionNo": str(self._rng.randrange(10**7, 10**8)),
            "vnp_TransactionStatus": status,
            "vnp_TxnRef": request["vnp_TxnRef"],
        }
        result["vnp_SecureHash"] = gateway.sign(result, self.secret)
        with self._lock:
            self.results[request["vnp_TxnRef"]] = result
        return result

    def send_ipn(self, result: dict[str, str]) -> dict[str, Any]:
        """Call the merchant's IPN URL with the signed result; its JSON answer (or the error)."""
        query = urlencode(result)
        separator = "&" if urlsplit(self.ipn_url).query else "?"
        try:
            with urllib.request.urlopen(  # noqa: S310  (http(s) URL from our own settings)
                f"{self.ipn_url}{separator}{query}", timeout=self.ipn_timeout
            ) as response:
                answer: dict[str, Any] = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            try:
                answer = json.loads(error.read().decode("utf-8"))
            except ValueError:
                answer = {"error": f"HTTP {error.code}"}
        except (urllib.error.URLError, TimeoutError, ValueError) as error:
            answer = {"error": str(error)}
        with self._lock:
            self.answers.append((result.get("vnp_TxnRef", ""), answer))
        return answer


def _signed(params: dict[str, str], secret: str) -> dict[str, str]:
    return {**params, gateway.HASH_FIELD: gateway.sign(params, secret)}


class SimulatorHandler(BaseHTTPRequestHandler):
    server: SimulatorServer
    server_version = "MotcuaGatewaySimulator/1"

    def log_message(self, format: str, *args: Any) -> None:
        return  # quiet: no query strings (payment references) in the console

    def _send(
        self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8"
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _refuse(self, reason: str) -> None:
        body = f"<h1>Yêu cầu thanh toán không hợp lệ</h1><p>{html.escape(reason)}</p>"
        self._send(HTTPStatus.BAD_REQUEST, _page("Yêu cầu không hợp lệ", body))

    def _json(self, status: int, data: Any) -> None:
        self._send(status, json.dumps(data).encode(), "application/json")

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        params = dict(parse_qsl(url.query, keep_blank_values=True))
        if url.path == PAY_PATH:
            reason = self.server.check_request(params)
            if reason:
                return self._refuse(reason)
            return self._pay_page(url.query, params)
        if url.path == "/simulator/last":
            result = self.server.results.get(params.get("ref", ""))
            return self._json(HTTPStatus.OK if result else HTTPStatus.NOT_FOUND, result or {})
        self._send(HTTPStatus.NOT_FOUND, _page("Không tìm thấy", "<h1>Không tìm thấy</h1>"))

    def _pay_page(self, query: str, params: dict[str, str]) -> None:
        amount = gateway.from_gateway_amount(params["vnp_Amount"])
        shown = f"{amount:,}".replace(",", ".")
        buttons = "".join(
            f'<button type="submit" name="decision" value="{value}" class="{value}">'
            f"{label}</button>"
            for value, label in (
                ("approve", "Thanh toán"),
                ("decline", "Từ chối (tài khoản không đủ số dư)"),
                ("cancel", "Hủy giao dịch"),
            )
        )
        body = (
            "<h1>Thanh toán trực tuyến</h1>"
            '<p class="note">Cổng thanh toán mô phỏng để thử nghiệm: không có tiền thật.</p>'
            f"<dl><dt>Đơn vị</dt><dd>{html.escape(params['vnp_TmnCode'])}</dd>"
            f"<dt>Nội dung</dt><dd>{html.escape(params['vnp_OrderInfo'])}</dd>"
            f"<dt>Số tiền</dt><dd><strong>{shown} đ</strong></dd></dl>"
            f'<form method="post" action="{DECIDE_PATH}">'
            f'<input type="hidden" name="request" value="{html.escape(query)}">'
            f"{buttons}</form>"
        )
        self._send(HTTPStatus.OK, _page("Thanh toán trực tuyến", body))

    def _query(self, raw: str) -> None:
        try:
            request = {str(k): str(v) for k, v in json.loads(raw or "{}").items()}
        except (ValueError, AttributeError):
            return self._json(HTTPStatus.BAD_REQUEST, {"error": "JSON expected"})
        server = self.server
        if not gateway.verify(request, server.secret) or request.get("vnp_TmnCode") != (
            server.merchant_code
        ):
            return self._json(HTTPStatus.OK, _signed({"vnp_ResponseCode": "97"}, server.secret))
        ref = request.get("vnp_TxnRef", "")
        with server._lock:
            server.queries.append(ref)
        result = server.results.get(ref)
        if result is None:
            answer = {
                "vnp_ResponseCode": gateway.QUERY_NOT_FOUND,
                "vnp_TmnCode": server.merchant_code,
                "vnp_TxnRef": ref,
            }
            return self._json(HTTPStatus.OK, _signed(answer, server.secret))
        answer = {k: v for k, v in result.items() if k != gateway.HASH_FIELD}
        answer["vnp_ResponseCode"] = gateway.SUCCESS  # the query itself was answered
        return self._json(HTTPStatus.OK, _signed(answer, server.secret))

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        length = min(int(self.headers.get("Content-Length") or 0), 64 * 1024)
        raw = self.rfile.read(length).decode("utf-8")
        form = dict(parse_qsl(raw, keep_blank_values=True))
        if url.path == DECIDE_PATH:
            request = dict(parse_qsl(form.get("request", ""), keep_blank_values=True))
            reason = self.server.check_request(request)
            if reason:
                return self._refuse(reason)
            decision = form.get("decision", "")
            if decision not in DECISIONS:
                return self._refuse("Chưa chọn thanh toán, từ chối hay hủy.")
            result = self.server.result_for(request, decision)
            # The merchant hears it server to server first, then the payer's browser returns.
            self.server.send_ipn(result)
            self.send_response(HTTPStatus.SEE_OTHER)
            self.send_header("Location", f"{request['vnp_ReturnUrl']}?{urlencode(result)}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if url.path == gateway.QUERY_PATH:
            return self._query(raw)
        if url.path == "/simulator/resend-ipn":
            ref = dict(parse_qsl(url.query)).get("ref", "")
            last = self.server.results.get(ref)
            if last is None:
                return self._json(HTTPStatus.NOT_FOUND, {"error": "unknown transaction"})
            return self._json(HTTPStatus.OK, self.server.send_ipn(last))
        self._send(HTTPStatus.NOT_FOUND, _page("Không tìm thấy", "<h1>Không tìm thấy</h1>"))
        return None
