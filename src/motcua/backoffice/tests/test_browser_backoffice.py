"""The back office in a browser: a leader's first login with two-factor enrolment, and a
counter officer finding a dossier by a name typed without diacritics. On a desktop and on a
tablet; the search once more without JavaScript."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from motcua.accounts import totp
from motcua.backoffice.dossier import BUTTON_LABELS
from motcua.conftest import assert_accessible, assert_page_weight, save_screenshot
from motcua.dossiers.constants import Action, Channel, Status
from motcua.dossiers.services import available_actions
from motcua.dossiers.tests.conftest import PASSWORD, World
from motcua.dossiers.tests.factories import DossierEventFactory, DossierFactory

from .conftest import DESKTOP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _dossiers(world: World) -> dict[str, Any]:
    now = timezone.now()
    a = {"agency": world.desk_a, "procedure": world.birth}
    at_commune = {**a, "current_agency": world.commune_a, "status": Status.PROCESSING}
    made = {
        "huong": DossierFactory(full_name="Đặng Thị Hường", at=now - dt.timedelta(days=1), **a),
        "late": DossierFactory(
            full_name="Trần Văn Bảy", at=now - dt.timedelta(days=6), **at_commune
        ),
        "online": DossierFactory(
            submitted=True, full_name="Lê Thị Hương", at=now - dt.timedelta(hours=2), **a
        ),
        "other": DossierFactory(
            full_name="Đặng Thị Hường", agency=world.desk_b, procedure=world.birth, at=now
        ),
    }
    for i in range(3):
        DossierFactory(
            full_name=f"Phạm Minh Khoa {i}", at=now - dt.timedelta(hours=i), **at_commune
        )
    DossierEventFactory(dossier=made["huong"], action="receive", actor=world.user("counter_a"))
    return made


def _log_in(page: Any, base: str, username: str) -> None:
    page.goto(base + "/can-bo/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_a_leader_enrols_two_factor_then_sees_the_queues(
    live_server: Any, office_page: Any, world: World
) -> None:
    page = office_page
    _dossiers(world)
    _log_in(page, live_server.url, "leader_a")

    page.wait_for_url("**/can-bo/xac-thuc-hai-buoc/")
    assert page.get_by_role("heading", name="Xác thực hai bước").is_visible()
    assert page.get_by_role("img", name=re.compile("Mã QR")).is_visible()
    save_screenshot(page, "backoffice-enrol")
    assert_accessible(page)
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    code = totp.totp(totp.decode_secret(secret), timezone.now().timestamp())
    page.get_by_label("Mã xác thực").fill(code)
    page.get_by_role("button", name="Bật xác thực hai bước").click()

    page.wait_for_url(re.compile(r".*/can-bo/$"))
    header = page.locator("header")
    assert header.get_by_text("Leader_A").is_visible()
    assert header.get_by_text("Lãnh đạo", exact=True).is_visible()
    assert header.get_by_text("Ủy ban nhân dân xã An Bình").is_visible()
    assert page.locator("#count-unit").inner_text() == "4"
    assert page.locator("#count-overdue").inner_text() == "1"
    assert page.get_by_role("link", name=re.compile(r"^Quá hạn \d")).is_visible()
    save_screenshot(page, "backoffice-leader-queues")
    assert_accessible(page)
    assert_page_weight(page)

    # The next login asks for a code of a later step than the one just used.
    page.get_by_role("button", name="Đăng xuất").click()
    _log_in(page, live_server.url, "leader_a")
    page.wait_for_url("**/can-bo/dang-nhap/ma-xac-thuc/")
    page.get_by_label("Mã xác thực").fill(code)
    page.get_by_role("button", name="Xác nhận").click()
    error = page.locator(".field-error")
    error.wait_for()
    assert "Mã không đúng hoặc đã được dùng." in error.inner_text()
    assert page.locator(".error-summary").get_by_role("link").is_visible()
    save_screenshot(page, "backoffice-code-replayed")
    assert_accessible(page)


def test_a_counter_officer_filters_searches_without_diacritics_and_opens_a_dossier(
    live_server: Any, office_page: Any, world: World
) -> None:
    page = office_page
    made = _dossiers(world)
    _log_in(page, live_server.url, "counter_a")

    page.wait_for_url(re.compile(r".*/can-bo/$"))
    assert page.locator("header").get_by_text("Cán bộ một cửa").is_visible()
    assert page.locator("#count-reception").inner_text() == "1"
    page.get_by_role("link", name=re.compile("Của đơn vị")).click()
    page.wait_for_url("**/can-bo/?queue=unit")
    assert page.locator("tbody tr").count() == 6

    page.get_by_label("Kênh nộp").select_option(Channel.COUNTER)
    expect(page.locator("#queue-results tbody tr")).to_have_count(5)
    page.get_by_label("Tìm hồ sơ").fill("dang thi huong")
    page.get_by_label("Tìm hồ sơ").press("Enter")
    expect(page.locator("#queue-results tbody tr")).to_have_count(1)
    row = page.locator("#queue-results tbody tr")
    assert row.get_by_text("Đặng Thị Hường").is_visible()
    assert made["other"].code not in page.content()  # another desk's namesake stays hidden
    save_screenshot(page, "backoffice-counter-search")
    assert_accessible(page)
    assert_page_weight(page)

    row.get_by_role("link", name=made["huong"].code).click()
    page.wait_for_url(f"**/can-bo/ho-so/{made['huong'].pk}/")
    assert page.get_by_role("heading", name=f"Hồ sơ {made['huong'].code}").is_visible()
    assert page.get_by_text("Đặng Thị Hường").is_visible()
    assert page.get_by_role("heading", name="Quá trình xử lý").is_visible()
    assert page.locator(".timeline").get_by_text("Tiếp nhận").is_visible()
    save_screenshot(page, "backoffice-dossier")
    expected = available_actions(dossier=made["huong"], viewer=world.user("counter_a"))
    assert expected  # a received dossier: the counter can at least ask for a supplement
    shown = page.locator(".action-panel > summary").all_inner_texts()
    assert shown == [str(BUTTON_LABELS.get(action) or Action(action).label) for action in expected]
    assert_accessible(page)

    # Nor can the other desk's dossier be reached by its address, or its slips and documents
    for address in (
        f"/can-bo/ho-so/{made['other'].pk}/",
        f"/can-bo/ho-so/{made['other'].pk}/phieu/receipt.pdf",
    ):
        response = page.goto(live_server.url + address)
        assert response is not None
        assert response.status == 404, address
    assert made["other"].applicant_name not in page.content()


def test_filtering_and_search_work_without_javascript(
    live_server: Any, chromium: Any, world: World
) -> None:
    made = _dossiers(world)
    context = chromium.new_context(locale="vi-VN", java_script_enabled=False, **DESKTOP)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.viewport_name = "desktop-nojs"
        _log_in(page, live_server.url, "counter_a")
        page.wait_for_url(re.compile(r".*/can-bo/$"))
        page.get_by_role("link", name=re.compile("Của đơn vị")).click()

        page.get_by_label("Tìm hồ sơ").fill("DANG THI HUONG")
        page.get_by_role("button", name="Lọc").click()

        page.wait_for_load_state()
        assert "HUONG" not in page.url.upper()  # posted: no personal data in the address
        rows = page.locator("#queue-results tbody tr")
        assert rows.count() == 1
        assert rows.get_by_role("link", name=made["huong"].code).is_visible()
        save_screenshot(page, "backoffice-search-nojs")
    finally:
        context.close()
