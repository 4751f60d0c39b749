"""A person finds a procedure from the home page, on a phone and on a desktop."""

import pytest

from motcua.catalog.models import Procedure
from motcua.conftest import assert_accessible, assert_page_weight, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_find_a_procedure_from_the_home_page(live_server, page, birth: Procedure) -> None:
    page.goto(live_server.url + "/")
    save_screenshot(page, "portal-home")
    assert_accessible(page)
    assert_page_weight(page)

    page.get_by_label("Bạn cần làm thủ tục gì?").fill("lam giay khai sinh")
    page.get_by_role("button", name="Tìm").click()

    page.wait_for_url("**/thu-tuc/?q=*")
    assert page.get_by_text("Tìm thấy 1 thủ tục.").is_visible()
    save_screenshot(page, "portal-search")
    assert_accessible(page)
    assert_page_weight(page)

    page.get_by_role("link", name="Đăng ký khai sinh").click()
    page.wait_for_url("**/thu-tuc/1.001193/")
    assert page.get_by_role("heading", level=1).inner_text() == "Đăng ký khai sinh"
    assert page.get_by_text("8.000 đ").first.is_visible()
    save_screenshot(page, "portal-procedure")
    assert_accessible(page)
    assert_page_weight(page)


def test_keyboard_only_search(live_server, page, birth: Procedure) -> None:
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")  # skip link
    assert page.evaluate("document.activeElement.className") == "skip"
    page.get_by_label("Bạn cần làm thủ tục gì?").focus()
    page.keyboard.type("khai sinh")
    page.keyboard.press("Enter")
    page.wait_for_url("**/thu-tuc/?q=*")
    assert page.get_by_role("link", name="Đăng ký khai sinh").is_visible()


def test_procedure_page_downloads_a_form_and_leads_to_applying(
    live_server, page, world, settings, tmp_path
) -> None:
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    document = world.permit.required_documents.get()
    document.form_name = "Mẫu số 01"
    document.save()
    document.form_template.save("don.pdf", ContentFile(b"%PDF-1.4\n1 0 obj\n%%EOF\n"))

    page.goto(f"{live_server.url}/thu-tuc/{world.permit.code}/")
    assert page.get_by_role("heading", name="Các bước giải quyết").is_visible()
    assert page.get_by_text("Chuyên viên, sở phụ trách lĩnh vực").is_visible()
    save_screenshot(page, "portal-procedure-steps")
    assert_accessible(page)
    assert_page_weight(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Tải mẫu: Mẫu số 01").click()
    assert download.value.suggested_filename == "mau-so-01.pdf"
    with open(download.value.path(), "rb") as handle:
        assert handle.read().startswith(b"%PDF-1.4")

    # Not logged in: the button leads to the login page, which then goes on to the wizard.
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.wait_for_url(f"**/tai-khoan/dang-nhap/?next=/nop-ho-so/{world.permit.code}/")


def test_sector_empty_search_and_english_pages_pass_the_bars(
    live_server, page, birth: Procedure
) -> None:
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Hộ tịch").click()
    page.wait_for_url("**/linh-vuc/HT/")
    assert page.get_by_role("link", name="Đăng ký khai sinh").is_visible()
    save_screenshot(page, "portal-sector")
    assert_accessible(page)
    assert_page_weight(page)

    page.goto(live_server.url + "/thu-tuc/?q=xyzzy")
    assert page.get_by_text("Không tìm thấy thủ tục phù hợp").is_visible()
    assert_accessible(page)

    page.goto(live_server.url + "/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    save_screenshot(page, "portal-home-en")
    assert_accessible(page)
    assert_page_weight(page)


def test_keyboard_only_from_a_procedure_to_applying(live_server, page, world) -> None:
    page.goto(f"{live_server.url}/thu-tuc/{world.birth.code}/")
    reached = []
    for _ in range(30):  # skip link, header, crumbs, then the apply button
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.textContent.trim()"))
        if reached[-1] == "Nộp hồ sơ trực tuyến":
            break
    assert reached[-1] == "Nộp hồ sơ trực tuyến", reached
    # The focused button shows a visible focus ring.
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/tai-khoan/dang-nhap/?next=/nop-ho-so/{world.birth.code}/")
