"""Serve a fake SMS gateway or Zalo API locally (for the demo; tests use FakeGateway directly)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from motcua.notifications import conf
from motcua.notifications.fake_gateway import PATHS, FakeGateway


class Command(BaseCommand):
    help = (
        "Serve a local fake SMS gateway or Zalo API that records messages "
        "(GET /messages lists them; also appended to var/fake-<channel>.jsonl)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("channel", choices=sorted(PATHS))
        parser.add_argument("--port", type=int, help="default: the port of the configured URL")
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args: Any, channel: str, port: int | None, host: str, **options: Any) -> None:
        from urllib.parse import urlsplit

        url = conf.sms_url() if channel == "sms" else conf.zalo_url()
        credential = conf.sms_api_key() if channel == "sms" else conf.zalo_access_token()
        port = port if port is not None else (urlsplit(url).port or 80)
        var_dir = Path(getattr(settings, "VAR_DIR", "var"))
        var_dir.mkdir(parents=True, exist_ok=True)
        gateway = FakeGateway(
            channel,
            host=host,
            port=port,
            credential=credential,
            log_path=var_dir / f"fake-{channel}.jsonl",
        )
        self.stdout.write(f"fake {channel} gateway on {gateway.url} (GET /messages)")
        with contextlib.suppress(KeyboardInterrupt):
            gateway.serve_forever()
