"""``manage.py payment_gateway_simulator --port 8010``: the local payment gateway (simulator)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from motcua.payments.simulator import PAY_PATH, SimulatorServer


class Command(BaseCommand):
    help = (
        "Serve a local VNPay-style payment gateway for the demo and tests: a payment page "
        "(approve, decline, cancel), the signed IPN to motcua and the signed return."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8010)
        parser.add_argument(
            "--ipn-url",
            default=settings.MOTCUA_PAYMENT_IPN_URL,
            help="where the notification (IPN) is sent (default: MOTCUA_PAYMENT_IPN_URL)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        server = SimulatorServer(
            (options["host"], options["port"]),
            merchant_code=settings.MOTCUA_PAYMENT_MERCHANT_CODE,
            secret=settings.MOTCUA_PAYMENT_SECRET,
            ipn_url=options["ipn_url"],
        )
        self.stdout.write(
            f"Payment gateway simulator on {server.base_url}{PAY_PATH}; "
            f"notifications to {options['ipn_url']}. Ctrl-C to stop."
        )
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
