"""Fixtures shared by every app's tests.

Browser tests use Debian's Chromium through Playwright (Playwright's own browser download does
not work in our environments). Where no Chromium is installed they are skipped with a clear
message, unless MOTCUA_REQUIRE_BROWSER=1 (set by .ci/run), in which case they fail.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Data migrations whose rows every test may rely on: (module, forward function).
REFERENCE_DATA_MIGRATIONS = [
    ("motcua.catalog.migrations.0002_default_agency_levels", "add_levels"),
    ("motcua.worktime.migrations.0002_default_calendar", "create_default_calendar"),
]


@pytest.fixture(autouse=True)
def _reference_rows(request: pytest.FixtureRequest) -> None:
    """Transactional tests (live server, browser) flush the database after each test, which also
    removes the rows data migrations created; put them back before such a test runs."""
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        return
    from importlib import import_module

    from django.apps import apps

    request.getfixturevalue("transactional_db")
    for module, function in REFERENCE_DATA_MIGRATIONS:
        getattr(import_module(module), function)(apps, None)


def _chromium_path() -> str | None:
    return (
        os.environ.get("MOTCUA_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    path = _chromium_path()
    if path is None:
        message = "Browser tests need Debian's chromium: apt-get install -y chromium"
        if os.environ.get("MOTCUA_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by fixtures
    # in the same thread are still synchronous, so Django's async-safety guard does not apply.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=["--no-sandbox"])
        yield browser
        browser.close()


PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}


@pytest.fixture(params=["phone", "desktop"])
def page(request: pytest.FixtureRequest, chromium: Any) -> Iterator[Any]:
    """A fresh browser page, once on a phone-sized viewport and once on a desktop one."""
    options = PHONE if request.param == "phone" else DESKTOP
    context = chromium.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.viewport_name = request.param
    yield page
    context.close()


def save_screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/ (CI keeps them; people look at them)."""
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"{name}-{getattr(page, 'viewport_name', 'page')}.png"
    page.screenshot(path=str(target), full_page=True)
    return target
