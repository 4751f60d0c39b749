"""Payments tests use the small province of the dossier tests, and a gateway simulator on a
free port of its own talking to the live server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from motcua.dossiers.tests.conftest import world  # noqa: F401  (a fixture, used by name)
from motcua.payments.simulator import PAY_PATH, SimulatorServer
from motcua.portal.tests.conftest import logged_in_page  # noqa: F401  (a fixture, used by name)

IPN_PATH = "/api/v1/payments/ipn/vnpay/"


@pytest.fixture
def simulator(live_server: Any, settings: Any) -> Iterator[SimulatorServer]:
    server = SimulatorServer(
        ("127.0.0.1", 0),
        merchant_code=settings.MOTCUA_PAYMENT_MERCHANT_CODE,
        secret=settings.MOTCUA_PAYMENT_SECRET,
        ipn_url=live_server.url + IPN_PATH,
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.MOTCUA_PAYMENT_PAY_URL = server.base_url + PAY_PATH
    settings.MOTCUA_PAYMENT_RETURN_URL = live_server.url + "/thanh-toan/ket-qua/"
    yield server
    server.shutdown()
    server.server_close()
