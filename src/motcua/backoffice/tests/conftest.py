"""Fixtures of the back-office tests: the dossier tests' small province, a logged-in client,
and a browser page on a desktop and on a tablet (the back office is not for phones)."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from motcua.accounts import totp
from motcua.accounts.models import TotpDevice, User
from motcua.accounts.selectors import has_totp_device, staff_memberships, two_factor_required
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import (
    PASSWORD,
    World,
    world,  # noqa: F401  (a fixture, used by name)
)
from motcua.dossiers.tests.factories import DossierFactory

DESKTOP = {"viewport": {"width": 1366, "height": 900}}
TABLET = {"viewport": {"width": 820, "height": 1180}, "is_mobile": True, "has_touch": True}


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(params=["desktop", "tablet"])
def office_page(request: pytest.FixtureRequest, chromium: Any) -> Iterator[Any]:
    """A fresh browser page, once on a counter's desktop screen and once on a tablet."""
    options = DESKTOP if request.param == "desktop" else TABLET
    context = chromium.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.viewport_name = request.param
    yield page
    context.close()


def enrol(user: User) -> TotpDevice:
    """Give ``user`` a confirmed authenticator (the last used step far in the past)."""
    return TotpDevice.objects.create(
        user=user, secret=totp.new_secret(), confirmed_at="2026-01-01T00:00:00Z"
    )


def current_code(device: TotpDevice, *, offset_steps: int = 0) -> str:
    key = totp.decode_secret(device.secret)
    return totp.totp(key, time.time() + offset_steps * totp.STEP_SECONDS)


def fill_office_login(page: Any, base: str, username: str, code: str | None = None) -> None:
    """Log in through the back office's login page in a browser, typing ``code`` when given,
    and wait for the queues."""
    page.goto(base + "/can-bo/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    if code is not None:
        page.wait_for_url("**/can-bo/dang-nhap/ma-xac-thuc/")
        page.get_by_label("Mã xác thực").fill(code)
        page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url(re.compile(r".*/can-bo/$"))


def browser_office_login(page: Any, base: str, people: World, username: str) -> None:
    """``fill_office_login`` for a person of the test world; one who must use a second factor
    is given an authenticator first and types its code."""
    user = people.user(username)
    code = None
    if two_factor_required(staff_memberships(user=user)):
        code = current_code(enrol(user))
    fill_office_login(page, base, username, code)


def office_login(client: Client, user: User) -> Client:
    """Log ``user`` in through the back office's own pages, with a code when they have a device
    (a leader or administrator is given one first)."""
    if two_factor_required(staff_memberships(user=user)) and not has_totp_device(user=user):
        enrol(user)
    response = client.post("/can-bo/dang-nhap/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    if response.url.endswith("/ma-xac-thuc/"):
        device = TotpDevice.objects.get(user=user)
        response = client.post(response.url, {"code": current_code(device)})
        assert response.status_code == 302
    assert response.url == "/can-bo/", response.url
    return client


FACTORY_DUE_AFTER = dt.timedelta(days=3)  # DossierFactory's due time after receipt


def dossier_at_commune_a(province: World, *, due: dt.datetime, **extra: object) -> Dossier:
    """A birth registration received at desk A and being processed by commune A, due at
    ``due`` (other factory fields in ``extra``): what the leaders' page and digest watch."""
    fields: dict[str, object] = {
        "agency": province.desk_a,
        "procedure": province.birth,
        "current_agency": province.commune_a,
        "status": Status.PROCESSING,
        "at": due - FACTORY_DUE_AFTER,
        **extra,
    }
    return DossierFactory(**fields)
