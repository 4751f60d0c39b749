"""The processes `make demo` runs beside the web server, so that everything works on one machine:
background work (the tasks worker and the outbox sweep), and the local stand-ins for the outside
services (the payment gateway simulator, the SMS gateway and Zalo fakes)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DemoProcess:
    name: str
    what: str  # shown when the demo starts
    args: tuple[str, ...]  # manage.py arguments


def demo_processes(*, host: str, port: int) -> list[DemoProcess]:
    """What runs, in start order; the web server last, in the foreground."""
    return [
        DemoProcess(
            "worker",
            "tasks worker (notifications and other background work)",
            ("db_worker", "--no-reload", "--interval", "1"),
        ),
        DemoProcess(
            "outbox",
            "outbox sweep (delivers what a lost task left behind, retries)",
            ("outbox_deliver", "--loop", "--interval", "15"),
        ),
        DemoProcess(
            "gateway",
            "payment gateway simulator on http://127.0.0.1:8010/",
            ("payment_gateway_simulator", "--host", "127.0.0.1", "--port", "8010"),
        ),
        DemoProcess("sms", "fake SMS gateway", ("notifications_fake_server", "sms")),
        DemoProcess("zalo", "fake Zalo API", ("notifications_fake_server", "zalo")),
        DemoProcess(
            "web",
            f"portal, back office, admin and API on http://{host}:{port}/",
            ("runserver", "--noreload", f"{host}:{port}"),
        ),
    ]


def command_line(process: DemoProcess, manage_py: Path) -> list[str]:
    return [sys.executable, str(manage_py), *process.args]
