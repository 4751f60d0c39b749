from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings

from motcua.backoffice.tests.conftest import office_page  # noqa: F401 - desktop and tablet
from motcua.dossiers.tests.conftest import world  # noqa: F401 - the dossiers' small province
from motcua.notifications.fake_gateway import FakeGateway


@pytest.fixture
def sms_gateway() -> Iterator[FakeGateway]:
    """A fake SMS gateway on a free port, the SMS channel pointed at it."""
    gateway = FakeGateway("sms", credential="test-key").start()
    with override_settings(
        MOTCUA_SMS_GATEWAY_URL=gateway.url,
        MOTCUA_SMS_API_KEY="test-key",
        MOTCUA_NOTIFY_HTTP_TIMEOUT=2,
    ):
        yield gateway
    gateway.stop()


@pytest.fixture
def zalo_gateway() -> Iterator[FakeGateway]:
    gateway = FakeGateway("zalo", credential="test-token").start()
    with override_settings(
        MOTCUA_ZALO_API_URL=gateway.url,
        MOTCUA_ZALO_ACCESS_TOKEN="test-token",
        MOTCUA_NOTIFY_HTTP_TIMEOUT=2,
    ):
        yield gateway
    gateway.stop()
