"""Without JavaScript a person still finds a procedure and tracks a dossier."""

from collections.abc import Iterator
from typing import Any

import pytest

from motcua.conftest import DESKTOP, PHONE, assert_accessible, assert_page_weight, save_screenshot
from motcua.dossiers.services import ApplicantData, dossier_act, dossier_create
from motcua.dossiers.tests.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=["phone", "desktop"])
def nojs_page(request: pytest.FixtureRequest, chromium: Any) -> Iterator[Any]:
    options = PHONE if request.param == "phone" else DESKTOP
    context = chromium.new_context(
        java_script_enabled=False, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", **options
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.viewport_name = request.param
    yield page
    context.close()


def test_search_and_read_a_procedure_without_javascript(
    live_server, nojs_page, world: World
) -> None:
    page = nojs_page
    page.goto(live_server.url + "/")
    assert page.evaluate("typeof window.htmx") == "undefined"
    page.get_by_label("Bạn cần làm thủ tục gì?").fill("giay phep xay dung")
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.wait_for_url("**/thu-tuc/?q=*")
    assert page.get_by_text("Tìm thấy 1 thủ tục.").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Cấp giấy phép xây dựng").click()
    page.wait_for_url(f"**/thu-tuc/{world.permit.code}/")
    assert page.get_by_role("heading", name="Các bước giải quyết").is_visible()
    assert page.get_by_role("link", name="Nộp hồ sơ trực tuyến").is_visible()
    save_screenshot(page, "portal-procedure-nojs")
    assert_accessible(page)
    assert_page_weight(page)


def test_track_a_dossier_without_javascript(live_server, nojs_page, world: World) -> None:
    dossier = dossier_create(
        actor=world.user("counter_a"),
        procedure=world.permit,
        agency=world.desk_a,
        channel="counter",
        applicant=ApplicantData(type="citizen", full_name="Đỗ Văn Hùng"),
    )
    dossier_act(dossier_id=dossier.pk, action="forward", actor=world.user("counter_a"))
    page = nojs_page
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Tra cứu hồ sơ").click()
    page.get_by_label("Mã hồ sơ (in trên giấy tiếp nhận)").fill(dossier.code.lower())
    page.get_by_role("button", name="Tra cứu", exact=True).click()
    page.wait_for_url(f"**/tra-cuu/{dossier.code}/")
    assert page.get_by_role("heading", name=f"Hồ sơ {dossier.code}").is_visible()
    assert page.get_by_text("Hồ sơ được chuyển đến Sở Xây dựng").is_visible()
    assert "Đỗ Văn Hùng" not in page.content()
    save_screenshot(page, "portal-track-nojs")
    assert_accessible(page)
    assert_page_weight(page)

    page.get_by_label("Mã hồ sơ (in trên giấy tiếp nhận)").fill("H56.101.1-000000-0000")
    page.get_by_role("button", name="Tra cứu", exact=True).click()
    # The error is in a summary at the top, whose link leads to the field, and next to the field.
    summary = page.get_by_role("alert")
    assert "Không tìm thấy hồ sơ có mã “H56.101.1-000000-0000”" in summary.inner_text()
    field = page.get_by_label("Mã hồ sơ (in trên giấy tiếp nhận)")
    assert field.get_attribute("aria-invalid") == "true"
    assert page.locator("#ma-error").inner_text().startswith("Không tìm thấy hồ sơ")
    save_screenshot(page, "portal-track-not-found-nojs")
    assert_accessible(page)
    summary.get_by_role("link").click()
    assert page.evaluate("location.hash") == "#ma"

    field.fill("")
    page.get_by_role("button", name="Tra cứu", exact=True).click()
    assert "Bạn nhập mã hồ sơ in trên giấy tiếp nhận." in page.get_by_role("alert").inner_text()
