"""Local stand-ins for the SMS gateway and the Zalo API (tests and the demo).

``FakeGateway`` speaks the protocol the adapters speak (``channels.sms``, ``channels.zalo``),
checks the credential, records each accepted message once per idempotency key (``Idempotency-Key``
for SMS, ``tracking_id`` for Zalo) and answers a repeated key with its first answer, as a real
provider that accepts such keys does. ``GET /messages`` lists what it recorded. For tests it can
fail the next calls (503 without recording) or answer late after recording (``delay_next``:
the call arrived, the caller timed out).
"""

from __future__ import annotations

import json
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

PATHS = {"sms": "/sms", "zalo": "/message/template"}


class FakeGateway:
    def __init__(
        self,
        channel: str,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        credential: str = "",
        log_path: Path | None = None,
    ) -> None:
        if channel not in PATHS:
            raise ValueError(f"channel must be one of {sorted(PATHS)}: {channel!r}")
        self.channel = channel
        self.credential = credential
        self.log_path = log_path
        self.messages: list[dict[str, Any]] = []
        self.answers: dict[str, dict[str, Any]] = {}
        self.calls = 0
        self.fail_next = 0
        self.delay_next = 0.0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((host, port), self._handler_class())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{PATHS[self.channel]}"

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> FakeGateway:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        if self._thread is not None:  # shutdown() waits for a serve_forever that never ran
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()

    # -- the protocol ----------------------------------------------------------------------

    def _authorised(self, headers: Any) -> bool:
        if not self.credential:
            return True
        if self.channel == "sms":
            return bool(headers.get("Authorization") == f"Bearer {self.credential}")
        return bool(headers.get("access_token") == self.credential)

    def _accept(self, headers: Any, body: dict[str, Any]) -> tuple[int, dict[str, Any], float]:
        """The answer to one POST: (status, JSON, seconds to wait before answering)."""
        with self._lock:
            self.calls += 1
            if not self._authorised(headers):
                return HTTPStatus.UNAUTHORIZED, {"error": "unauthorised"}, 0.0
            if self.fail_next:
                self.fail_next -= 1
                return HTTPStatus.SERVICE_UNAVAILABLE, {"error": "unavailable"}, 0.0
            if self.channel == "sms":
                key = str(headers.get("Idempotency-Key") or "")
                valid = bool(key and body.get("to") and body.get("text"))
            else:
                key = str(body.get("tracking_id") or "")
                valid = bool(key and body.get("phone") and body.get("template_id"))
            if not valid:
                return HTTPStatus.BAD_REQUEST, {"error": "invalid request"}, 0.0
            if key in self.answers:
                return HTTPStatus.OK, self.answers[key], 0.0
            number = len(self.messages) + 1
            if self.channel == "sms":
                answer: dict[str, Any] = {"id": f"sms-{number}", "status": "accepted"}
            else:
                answer = {"error": 0, "message": "Success", "data": {"msg_id": f"zalo-{number}"}}
            record = {"key": key, **body}
            self.messages.append(record)
            self.answers[key] = answer
            if self.log_path is not None:
                with self.log_path.open("a", encoding="utf-8") as log:
                    log.write(json.dumps(record, ensure_ascii=False) + "\n")
            delay, self.delay_next = self.delay_next, 0.0
            return HTTPStatus.OK, answer, delay

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, status: int, payload: Any) -> None:
                data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the caller gave up waiting (the timeout tests)

            def do_GET(self) -> None:
                if self.path == "/messages":
                    with gateway._lock:
                        self._answer(HTTPStatus.OK, list(gateway.messages))
                else:
                    self._answer(HTTPStatus.NOT_FOUND, {"error": "not found"})

            def do_POST(self) -> None:
                if self.path != PATHS[gateway.channel]:
                    self._answer(HTTPStatus.NOT_FOUND, {"error": "not found"})
                    return
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length).decode("utf-8") or "{}")
                except (UnicodeDecodeError, json.JSONDecodeError):
                    body = None
                if not isinstance(body, dict):
                    self._answer(HTTPStatus.BAD_REQUEST, {"error": "invalid JSON"})
                    return
                status, answer, delay = gateway._accept(self.headers, body)
                if delay:
                    time.sleep(delay)
                self._answer(status, answer)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # no request log: bodies have phone numbers

        return Handler
