"""The staff notices page with nothing in it says what will appear there."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from motcua.backoffice.tests.conftest import office_login
from motcua.dossiers.tests.conftest import World
from motcua.notifications.models import StaffNotice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def test_an_empty_notices_page_explains_what_comes_there(client: Client, world: World) -> None:
    office_login(client, world.user("counter_a"))
    assert not StaffNotice.objects.exists()

    body = client.get("/can-bo/thong-bao/").content.decode()

    assert (
        "Chưa có thông báo nào. Thông báo hiện ở đây khi có hồ sơ được giao cho bạn, hoặc khi "
        "người nộp đã bổ sung hồ sơ bạn đang xử lý." in body
    )


def test_the_explanation_in_english(client: Client, world: World) -> None:
    office_login(client, world.user("counter_a"))
    client.cookies["django_language"] = "en"

    body = client.get("/can-bo/thong-bao/").content.decode()

    assert "Notices appear here when a dossier is assigned to you" in body
