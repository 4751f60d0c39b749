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


def admin_login(client: Any, user: Any) -> Any:
    """Log ``user`` in for the Django admin as the back office's login does after a TOTP code
    (the admin admits only such sessions, ADR 0007): ``force_login`` plus that login's mark.
    Tests of the login itself go through its pages (``backoffice/tests/test_admin_two_factor``)."""
    from motcua.backoffice.access import AUTH

    client.force_login(user)
    session = client.session
    session[AUTH] = {"user": user.pk, "two_factor": True}
    session.save()
    return client


@pytest.fixture
def admin_client(client: Any, admin_user: Any) -> Any:
    """pytest-django's ``admin_client``, logged in the way the admin admits (``admin_login``)."""
    return admin_login(client, admin_user)


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


# --- Quality bars checked inside browser tests: accessibility and page weight ---------------

AXE_SOURCE = (
    Path(__file__).resolve().parent / "core" / "tests" / "vendor" / "axe-core" / "axe.min.js"
)
FAILING_IMPACTS = ("serious", "critical")


def _axe_violations(page: Any) -> list[dict[str, Any]]:
    # The page's CSP forbids inline scripts, so axe is evaluated through the DevTools protocol
    # (page.evaluate), which the CSP does not govern, rather than injected as a <script>.
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8") + "\n;void 0")
    result: list[dict[str, Any]] = page.evaluate(
        """() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200),
                                      summary: n.failureSummary}))})))"""
    )
    return result


def assert_accessible(page: Any, *, allow: tuple[str, ...] = ()) -> None:
    """Run axe-core on what the page shows now; fail on any serious or critical violation.

    ``allow`` names axe rule ids to leave out (say why next to the call). Works on pages with
    JavaScript disabled too: axe needs timers, so the same HTML is then checked in a sibling
    JavaScript-enabled page of the same size, with the site's own scripts blocked."""
    if _javascript_enabled(page):
        violations = _axe_violations(page)
    else:
        violations = _axe_violations_without_javascript(page)
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS and v["id"] not in allow]
    if failing:
        lines = [f"axe-core: {len(failing)} serious or critical violation(s) on {page.url}"]
        for v in failing:
            lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
            for node in v["nodes"][:5]:
                lines.append(f"    at {node['target']}: {node['html']}")
                lines.append("      " + node["summary"].replace("\n", "\n      "))
        pytest.fail("\n".join(lines), pytrace=False)


def _javascript_enabled(page: Any) -> bool:
    # Scripts evaluated through the protocol run even where page scripts are disabled, but
    # timers and promise jobs (which axe needs) do not. The HTML parser parses <noscript>
    # content as elements only when scripting is off.
    return bool(
        page.evaluate(
            """(() => { const d = document.createElement('div');
                d.innerHTML = '<noscript><b>x</b></noscript>';
                return d.querySelector('noscript b') === null; })()"""
        )
    )


def _axe_violations_without_javascript(page: Any) -> list[dict[str, Any]]:
    html = page.content()
    url = page.url.split("#", 1)[0]
    viewport = page.viewport_size
    context = page.context.browser.new_context(
        locale="vi-VN", viewport=viewport, java_script_enabled=True
    )
    try:
        sibling = context.new_page()
        sibling.route(
            lambda address: address.split("#", 1)[0] == url,
            lambda route: route.fulfill(
                status=200, body=html, content_type="text/html; charset=utf-8"
            ),
        )
        sibling.route("**/*.js", lambda route: route.abort())
        sibling.goto(url)
        return _axe_violations(sibling)
    finally:
        context.close()


# User files (uploads, results, form templates) and PDFs do not count towards a page's weight.
USER_FILE_MARKERS = ("/media/", "/documents/", "/files/", "/tep/", "/tai-ve/")


def page_weight(page: Any, *, exclude: tuple[str, ...] = ()) -> tuple[int, list[str]]:
    """Bytes this page has loaded so far (the document, its CSS and JS, htmx fragments, any
    image of ours) and the addresses on other hosts it asked for.

    Measured from the browser's resource timing, on a cold cache: each entry counts
    ``max(transferSize, encodedBodySize)``, so a stylesheet served from the cache still counts.
    Addresses containing any of ``USER_FILE_MARKERS`` or ``exclude``, and PDFs, are left out."""
    entries: list[dict[str, Any]] = page.evaluate(
        """performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
           .map(e => ({name: e.name, size: Math.max(e.transferSize, e.encodedBodySize)}))"""
    )
    origin = page.evaluate("location.origin")
    total = 0
    foreign = []
    for entry in entries:
        name = entry["name"]
        if not name.startswith(origin + "/") and name != origin:
            foreign.append(name)
            continue
        path = name[len(origin) :].split("?", 1)[0].split("#", 1)[0]
        if path.lower().endswith(".pdf") or any(m in path for m in USER_FILE_MARKERS + exclude):
            continue
        total += int(entry["size"])
    return total, foreign


def assert_page_weight(page: Any, limit: int = 100_000, *, exclude: tuple[str, ...] = ()) -> int:
    """Fail if the page has loaded more than ``limit`` bytes (see ``page_weight``) or asked
    another host for anything (no CDN). Returns the weight, for a test that wants to print it."""
    total, foreign = page_weight(page, exclude=exclude)
    assert not foreign, f"{page.url} loads from other hosts (no CDN allowed): {foreign}"
    assert total <= limit, f"{page.url} weighs {total:,} bytes, over the {limit:,} byte limit"
    return total
