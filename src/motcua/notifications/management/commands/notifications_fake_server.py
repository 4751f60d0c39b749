"""Serve a fake SMS gateway, Zalo API or mail server locally (for the demo; tests use
FakeGateway and FakeSmtpServer directly)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from motcua.notifications import conf
from motcua.notifications.fake_gateway import PATHS, FakeGateway
from motcua.notifications.fake_smtp import FakeSmtpServer


class Command(BaseCommand):
    help = (
        "Serve a local fake SMS gateway or Zalo API (GET /messages lists what it recorded) or "
        "mail server (SMTP, for EMAIL_BACKEND=smtp); each appends to var/fake-<channel>.jsonl."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("channel", choices=[*sorted(PATHS), "email"])
        parser.add_argument(
            "--port", type=int, help="default: the configured URL's port (email: EMAIL_PORT)"
        )
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args: Any, channel: str, port: int | None, host: str, **options: Any) -> None:
        from urllib.parse import urlsplit

        var_dir = Path(getattr(settings, "VAR_DIR", "var"))
        var_dir.mkdir(parents=True, exist_ok=True)
        log_path = var_dir / f"fake-{channel}.jsonl"
        if channel == "email":
            smtp = FakeSmtpServer(
                host=host, port=port if port is not None else settings.EMAIL_PORT, log_path=log_path
            )
            self.stdout.write(f"fake mail server on {host}:{smtp.port} (SMTP), log {log_path}")
            with contextlib.suppress(KeyboardInterrupt):
                smtp.serve_forever()
            return
        url = conf.sms_url() if channel == "sms" else conf.zalo_url()
        credential = conf.sms_api_key() if channel == "sms" else conf.zalo_access_token()
        port = port if port is not None else (urlsplit(url).port or 80)
        gateway = FakeGateway(
            channel, host=host, port=port, credential=credential, log_path=log_path
        )
        self.stdout.write(
            f"fake {channel} gateway on {gateway.url} (GET /messages), log {log_path}"
        )
        with contextlib.suppress(KeyboardInterrupt):
            gateway.serve_forever()
