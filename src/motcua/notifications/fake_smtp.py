"""A local stand-in for the mail server (tests and the demo): the SMTP commands Django's SMTP
backend uses (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), without TLS or authentication.
Each accepted message is recorded (sender, recipients, subject, Message-ID, body) and appended
to a JSON-lines log if one is given."""

from __future__ import annotations

import email
import email.policy
import json
import socketserver
import threading
from pathlib import Path
from typing import Any


class FakeSmtpServer:
    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, log_path: Path | None = None):
        self.messages: list[dict[str, Any]] = []
        self.log_path = log_path
        self._lock = threading.Lock()
        self._server = socketserver.ThreadingTCPServer((host, port), self._handler_class())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> FakeSmtpServer:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()

    def _record(self, sender: str, recipients: list[str], data: bytes) -> None:
        parsed = email.message_from_bytes(data.replace(b"\r\n", b"\n"), policy=email.policy.default)
        body = parsed.get_body(preferencelist=("plain",))
        record = {
            "from": sender,
            "to": recipients,
            "subject": str(parsed.get("Subject", "")),
            "message_id": str(parsed.get("Message-ID", "")),
            "body": body.get_content() if body is not None else "",
        }
        with self._lock:
            self.messages.append(record)
            if self.log_path is not None:
                with self.log_path.open("a", encoding="utf-8") as log:
                    log.write(json.dumps(record, ensure_ascii=False) + "\n")

    def _handler_class(self) -> type[socketserver.StreamRequestHandler]:
        server = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write((line + "\r\n").encode("ascii"))

            def handle(self) -> None:
                self.reply("220 fake-smtp motcua")
                sender, recipients = "", list[str]()
                while True:
                    raw = self.rfile.readline()
                    if not raw:
                        return
                    command = raw.decode("utf-8", "replace").strip()
                    verb = command[:4].upper()
                    if verb in ("EHLO", "HELO"):
                        self.reply("250 fake-smtp")
                    elif verb == "MAIL":
                        sender, recipients = command.partition(":")[2].strip(" <>"), []
                        self.reply("250 OK")
                    elif verb == "RCPT":
                        recipients.append(command.partition(":")[2].strip(" <>"))
                        self.reply("250 OK")
                    elif verb == "DATA":
                        self.reply("354 End data with <CR><LF>.<CR><LF>")
                        lines = []
                        while True:
                            line = self.rfile.readline()
                            if not line or line in (b".\r\n", b".\n"):
                                break
                            lines.append(line[1:] if line.startswith(b"..") else line)
                        server._record(sender, recipients, b"".join(lines))
                        self.reply("250 OK queued")
                    elif verb in ("RSET", "NOOP"):
                        if verb == "RSET":
                            sender, recipients = "", []
                        self.reply("250 OK")
                    elif verb == "QUIT":
                        self.reply("221 Bye")
                        return
                    else:
                        self.reply("502 Command not implemented")

        return Handler
