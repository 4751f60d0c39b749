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
