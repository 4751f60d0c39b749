"""The desk in a browser: a counter officer registers a walk-in birth registration, mostly with
the keyboard (procedure found by a name typed without diacritics, the applicant found by their
phone, documents ticked and scanned, several pages at once, a first mistake), and the receipt is
ready to print at once; a volunteer files online for a citizen who consented. On a desktop and
on a tablet; the counter once more without JavaScript."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from motcua.accounts.models import User
from motcua.catalog.tests.factories import FeeFactory
from motcua.conftest import assert_accessible, assert_page_weight, save_screenshot
from motcua.dossiers.constants import Channel, Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import World
from motcua.portal.tests.files import HTML_NAMED_PDF, make_jpeg, make_pdf

from .conftest import DESKTOP, fill_office_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _citizen(world: World) -> User:
    user = world.user("citizen")
    user.full_name = "Trần Văn Phúc"
    user.phone = "0987654321"
    user.id_number = "086090054321"
    user.address = "Ấp 1, xã An Bình"
    user.save()
    return user


def _files(folder: Path) -> dict[str, str]:
    paths = {
        "form": folder / "to-khai-trang-1.pdf",
        "form2": folder / "to-khai-trang-2.jpg",
        "certificate": folder / "giay-chung-sinh.jpg",
        "fake": folder / "giay-chung-sinh-gia.pdf",
    }
    paths["form"].write_bytes(make_pdf())
    paths["form2"].write_bytes(make_jpeg())
    paths["certificate"].write_bytes(make_jpeg())
    paths["fake"].write_bytes(HTML_NAMED_PDF)
    return {key: str(path) for key, path in paths.items()}


def _pick_birth_with_the_keyboard(page: Any, heading: str) -> None:
    """The search box, a name typed without diacritics, the suggestion reached by Tab."""
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(page)
    search = page.get_by_label("Tìm thủ tục")
    search.focus()
    page.keyboard.type("dang ky khai sinh")
    results = page.locator("#procedure-results")
    expect(results.get_by_role("heading")).to_have_text(re.compile("thủ tục phù hợp"))
    expect(results.get_by_role("link").first).to_have_text("Đăng ký khai sinh")
    page.keyboard.press("Tab")  # the search button
    page.keyboard.press("Tab")  # the first suggestion
    expect(results.get_by_role("link", name="Đăng ký khai sinh")).to_be_focused()
    save_screenshot(page, f"counter-pick-{heading[:6]}")
    assert_accessible(page)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/tiep-nhan/\?thu-tuc=1\.001193$"))


def test_a_counter_officer_registers_a_walk_in_dossier_and_prints_its_receipt(
    live_server: Any, office_page: Any, world: World, tmp_path: Path
) -> None:
    page = office_page
    citizen = _citizen(world)
    files = _files(tmp_path)
    fill_office_login(page, live_server.url, "counter_a")
    page.locator("header").get_by_role("link", name="Tiếp nhận hồ sơ").click()
    _pick_birth_with_the_keyboard(page, "Tiếp nhận hồ sơ trực tiếp")
    assert_accessible(page)
    assert_page_weight(page)

    # Pages scanned before the applicant is looked up stay chosen: htmx replaces only the
    # applicant's part of the page.
    scans = page.get_by_label("Tệp quét: Tờ khai đăng ký khai sinh")
    scans.set_input_files([files["form"], files["form2"]])
    # The applicant, found by the phone number they say aloud (htmx fills their details).
    account = page.get_by_label("Tìm tài khoản công dân")
    account.fill("0987 654 321")
    account.press("Tab")
    expect(page.get_by_role("button", name="Tìm tài khoản")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#lookup-status")).to_contain_text("Trần Văn Phúc")
    expect(page.get_by_label("Họ và tên người nộp")).to_have_value("Trần Văn Phúc")
    expect(page.get_by_label("Số định danh cá nhân (số căn cước)")).to_have_value("086090054321")
    assert scans.evaluate("input => input.files.length") == 2
    expect(page.locator(".files-lost")).to_have_count(0)
    assert "0987" not in page.url  # the lookup was posted, not put in the address
    assert_accessible(page)

    # Two pages of the declaration at once; the birth certificate is ticked but its "scan" is
    # an HTML page called .pdf.
    page.get_by_label("Đã nhận bản giấy: Tờ khai đăng ký khai sinh").focus()
    page.keyboard.press("Space")
    page.get_by_label("Đã nhận bản giấy: Giấy chứng sinh").check()
    page.get_by_label("Tệp quét: Giấy chứng sinh").set_input_files(files["fake"])
    page.get_by_role("button", name="Tiếp nhận và in phiếu").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("không phải PDF, JPG hay PNG")
    expect(page.locator(".files-lost")).to_contain_text("chọn lại tệp quét")
    expect(page.get_by_label("Họ và tên người nộp")).to_have_value("Trần Văn Phúc")
    expect(page.get_by_label("Đã nhận bản giấy: Giấy chứng sinh")).to_be_checked()
    assert Dossier.objects.count() == 0
    save_screenshot(page, "counter-error")
    assert_accessible(page)
    # The summary's link takes the keyboard to the field in error.
    summary.get_by_role("link").first.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Tệp quét: Giấy chứng sinh")).to_be_focused()

    page.get_by_label("Tệp quét: Tờ khai đăng ký khai sinh").set_input_files(
        [files["form"], files["form2"]]
    )
    page.get_by_label("Tệp quét: Giấy chứng sinh").set_input_files(files["certificate"])
    page.get_by_role("button", name="Tiếp nhận và in phiếu").click()

    page.wait_for_url(re.compile(r".*/can-bo/tiep-nhan/[0-9a-f-]{36}/$"))
    dossier = Dossier.objects.get()
    assert dossier.channel == Channel.COUNTER
    assert dossier.status == Status.RECEIVED
    assert dossier.owner == citizen
    assert dossier.documents.count() == 3
    expect(page.get_by_role("heading", level=1)).to_contain_text(dossier.code)
    button = page.get_by_role("link", name="In phiếu tiếp nhận (Mẫu 01)")
    expect(button).to_be_focused()  # autofocus: Enter prints
    receipt = page.request.get(live_server.url + button.get_attribute("href"))
    assert receipt.status == 200
    assert receipt.headers["content-type"] == "application/pdf"
    assert page.locator("#receipt-frame").get_attribute("src") == button.get_attribute("href")
    save_screenshot(page, "counter-done")
    assert_accessible(page)


def test_without_javascript_the_desk_still_works(
    live_server: Any, chromium: Any, world: World, tmp_path: Path
) -> None:
    _citizen(world)
    FeeFactory(procedure=world.birth, name="Lệ phí đăng ký khai sinh", amount=8_000)
    FeeFactory(
        procedure=world.birth, name="Phí cấp bản sao Trích lục", amount=8_000, unit="per_copy"
    )
    files = _files(tmp_path)
    context = chromium.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", java_script_enabled=False, **DESKTOP
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.viewport_name = "desktop-nojs"
    try:
        fill_office_login(page, live_server.url, "counter_a")
        page.goto(live_server.url + "/can-bo/tiep-nhan/")
        page.get_by_label("Tìm thủ tục").fill("khai sinh")
        page.get_by_role("button", name="Tìm", exact=True).click()
        page.get_by_role("link", name="Đăng ký khai sinh").click()
        assert_accessible(page)

        # A file chosen before the lookup is lost with the page: the page says so.
        page.get_by_label("Tệp quét: Tờ khai đăng ký khai sinh").set_input_files(files["form"])
        page.get_by_label("Số bộ hồ sơ").fill("2")
        page.get_by_label("Tìm tài khoản công dân").fill("086090054321")
        page.get_by_role("button", name="Tìm tài khoản").click()
        expect(page.locator("#lookup-status")).to_contain_text("Trần Văn Phúc")
        expect(page.get_by_label("Địa chỉ liên hệ")).to_have_value("Ấp 1, xã An Bình")
        expect(page.get_by_label("Số bộ hồ sơ")).to_have_value("2")
        expect(page.locator(".files-lost")).to_be_visible()
        assert "086090054321" not in page.url
        save_screenshot(page, "counter-lookup")
        assert_accessible(page)

        page.get_by_label("Đã nhận bản giấy: Tờ khai đăng ký khai sinh").check()
        page.get_by_label("Đã nhận bản giấy: Giấy chứng sinh").check()
        page.get_by_label("Nhận qua bưu chính").check()
        expect(page.get_by_label("Số bản sao cần cấp")).to_have_value("0")
        page.get_by_label("Số bản sao cần cấp").fill("2")
        page.get_by_role("button", name="Tiếp nhận và in phiếu").click()
        page.wait_for_url(re.compile(r".*/can-bo/tiep-nhan/[0-9a-f-]{36}/$"))
        dossier = Dossier.objects.get()
        assert dossier.sets_received == 2
        assert dossier.result_delivery == "post"
        assert dossier.form_data["so_ban"] == 2
        assert dossier.fees_total == 24_000
        expect(page.locator(".fee-total")).to_have_text("Tổng cộng: 24.000 đ")
        expect(page.locator(".fee-lines")).to_contain_text(
            "Phí cấp bản sao Trích lục: 2 × 8.000 đ = 16.000 đ"
        )
        save_screenshot(page, "counter-done-copies")
        assert dossier.documents.count() == 0  # a paper dossier: nothing scanned
        expect(page.get_by_role("link", name="In phiếu tiếp nhận (Mẫu 01)")).to_have_attribute(
            "href", f"/can-bo/tiep-nhan/{dossier.pk}/giay-tiep-nhan.pdf"
        )
        assert_accessible(page)
    finally:
        context.close()


def test_a_volunteer_files_online_for_a_citizen_who_consented(
    live_server: Any, office_page: Any, world: World, tmp_path: Path
) -> None:
    page = office_page
    _citizen(world)
    files = _files(tmp_path)
    fill_office_login(page, live_server.url, "assistant_a")
    page.locator("header").get_by_role("link", name="Nộp hồ sơ hỗ trợ").click()
    _pick_birth_with_the_keyboard(page, "Nộp hồ sơ hỗ trợ công dân")
    assert page.get_by_label("Số bộ hồ sơ").count() == 0

    page.get_by_label("Tìm tài khoản công dân").fill("0987654321")
    page.get_by_role("button", name="Tìm tài khoản").click()
    expect(page.get_by_label("Họ và tên người nộp")).to_have_value("Trần Văn Phúc")
    page.get_by_label("Tệp quét: Tờ khai đăng ký khai sinh").set_input_files(files["form"])
    page.get_by_label("Tệp quét: Giấy chứng sinh").set_input_files(files["certificate"])
    page.get_by_role("button", name="Nộp hồ sơ thay công dân").click()

    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Cần ghi nhận sự đồng ý của công dân")
    assert Dossier.objects.count() == 0
    save_screenshot(page, "assisted-error")
    assert_accessible(page)

    consent = page.get_by_label(re.compile("Công dân đã đồng ý"))
    consent.focus()
    page.keyboard.press("Space")
    page.get_by_label("Tệp quét: Tờ khai đăng ký khai sinh").set_input_files(files["form"])
    page.get_by_label("Tệp quét: Giấy chứng sinh").set_input_files(files["certificate"])
    page.get_by_role("button", name="Nộp hồ sơ thay công dân").click()

    page.wait_for_url(re.compile(r".*/can-bo/tiep-nhan/[0-9a-f-]{36}/$"))
    dossier = Dossier.objects.get()
    assert dossier.channel == Channel.ONLINE
    assert dossier.status == Status.SUBMITTED
    assert dossier.assisted_by == world.user("assistant_a")
    assert dossier.consent_recorded
    expect(page.get_by_role("heading", level=1)).to_contain_text(dossier.code or "")
    expect(page.get_by_text("Đã ghi nhận")).to_be_visible()
    save_screenshot(page, "assisted-done")
    assert_accessible(page)
