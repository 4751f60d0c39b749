"""A person applies online for a birth registration: two documents to upload, a mistake, a
change of device half-way, the submission and its receipt. On a phone and on a desktop, with
JavaScript (uploads with a progress bar) and without it (plain form posts)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from motcua.accounts.models import User
from motcua.conftest import DESKTOP, PHONE, assert_accessible, assert_page_weight, save_screenshot
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import World

from .files import HTML_NAMED_PDF, make_jpeg, make_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH_PROGRESS = """() => {
  window.progressSeen = [];
  const text = document.querySelector(".progress-text");
  new MutationObserver(() => window.progressSeen.push(text.textContent))
    .observe(text, {childList: true, characterData: true, subtree: true});
}"""


@pytest.fixture(params=[True, False], ids=["js", "nojs"])
def javascript(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


def _device(chromium: Any, viewport: str, javascript: bool) -> Any:
    """A new browser context: another device of the same kind."""
    options = PHONE if viewport == "phone" else DESKTOP
    context = chromium.new_context(
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        java_script_enabled=javascript,
        **options,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.viewport_name = viewport if javascript else f"{viewport}-nojs"
    return page


def _files(folder: Path) -> dict[str, str]:
    paths = {
        "pdf": folder / "to-khai-khai-sinh.pdf",
        "jpeg": folder / "giay-chung-sinh.jpg",
        "fake": folder / "to-khai-that.pdf",
    }
    paths["pdf"].write_bytes(make_pdf())
    paths["jpeg"].write_bytes(make_jpeg())
    paths["fake"].write_bytes(HTML_NAMED_PDF)
    return {key: str(path) for key, path in paths.items()}


def _press(page: Any, name: str, *, upload: bool, javascript: bool) -> None:
    """Click a button of the documents step; with JavaScript the files go up by XHR."""
    button = page.get_by_role("button", name=name, exact=True)
    if upload and javascript:
        with page.expect_response(
            lambda r: r.request.method == "POST" and r.request.resource_type == "xhr"
        ):
            button.click()
        page.wait_for_load_state()
    else:
        button.click()


def test_apply_online_with_a_change_of_device(
    live_server: Any,
    page: Any,
    chromium: Any,
    world: World,
    logged_in_page: Callable[..., Any],
    javascript: bool,
    tmp_path: Path,
) -> None:
    citizen: User = world.user("citizen")
    citizen.full_name = "Nguyễn Thị Hoa"
    citizen.id_number = "086190001234"
    citizen.phone = "0912345678"
    citizen.address = "Ấp 3, xã An Bình"
    citizen.save()
    files = _files(tmp_path)
    viewport = page.viewport_name
    if not javascript:
        page = _device(chromium, viewport, javascript=False)
    base = live_server.url

    def step(n: int) -> re.Pattern[str]:
        return re.compile(rf".*/ho-so-nhap/[0-9a-f-]{{36}}/buoc/{n}/$")

    # The procedure page leads to the wizard, through the login page for a stranger.
    page.goto(f"{base}/thu-tuc/{world.birth.code}/")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.wait_for_url(re.compile(r".*/tai-khoan/dang-nhap/\?next=/nop-ho-so/1.001193/$"))
    logged_in_page(citizen, page)
    page.goto(f"{base}/thu-tuc/{world.birth.code}/")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()

    # 1. Applicant: prefilled from the account; a mistake first, then right.
    page.wait_for_url(f"{base}/nop-ho-so/{world.birth.code}/")
    assert page.get_by_label("Họ và tên", exact=True).input_value() == "Nguyễn Thị Hoa"
    assert page.get_by_label("Số điện thoại").input_value() == "0912345678"
    save_screenshot(page, "apply-1-applicant")
    assert_accessible(page)
    assert_page_weight(page)
    page.get_by_label("Số định danh cá nhân (số căn cước)").fill("08619")
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    summary = page.get_by_role("alert")
    assert "Bạn cần sửa những chỗ sau" in summary.inner_text()
    assert summary.get_by_role("link", name=re.compile("Nơi nộp hồ sơ")).is_visible()
    assert page.locator("#id_id_number-error").inner_text().startswith("Số định danh cá nhân gồm")
    save_screenshot(page, "apply-1-applicant-errors")
    assert_accessible(page)
    assert_page_weight(page)
    summary.get_by_role("link", name=re.compile("Số định danh cá nhân")).click()
    assert page.url.endswith("#id_id_number")
    page.get_by_label("Số định danh cá nhân (số căn cước)").fill("086 190 001 234")
    page.get_by_label("Bộ phận Một cửa xã An Bình").check()
    page.locator("summary", has_text="Nộp thay cho người khác").click()
    page.get_by_label("Tôi nộp thay cho người khác").check()
    page.get_by_label("Họ và tên người được nộp thay").fill("Nguyễn Bảo An")
    page.get_by_label("Quan hệ của bạn với người đó").fill("con")
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    # 2. The request, in the person's words.
    page.wait_for_url(step(2))
    dossier = Dossier.objects.get(owner=citizen)
    assert dossier.on_behalf_of is not None
    assert dossier.on_behalf_of["full_name"] == "Nguyễn Bảo An"
    assert page.get_by_role("heading", level=1).inner_text() == "Nội dung yêu cầu"
    page.get_by_label("Nội dung yêu cầu").fill(
        "Đăng ký khai sinh cho con tôi, Nguyễn Bảo An, sinh ngày 02/11/2026 tại Bệnh viện tỉnh."
    )
    save_screenshot(page, "apply-2-request")
    assert_accessible(page)
    assert_page_weight(page)
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    # 3. Documents: an HTML page called .pdf is refused next to its field; the photo is kept.
    page.wait_for_url(step(3))
    assert page.get_by_role("heading", level=1).inner_text() == "Giấy tờ"
    page.get_by_label("Tờ khai đăng ký khai sinh").set_input_files(files["fake"])
    page.get_by_label("Giấy chứng sinh").set_input_files(files["jpeg"])
    if javascript:  # record what the progress bar says while the files go up
        page.evaluate(WATCH_PROGRESS)
    _press(page, "Lưu và tiếp tục", upload=True, javascript=javascript)
    if javascript:
        assert page.evaluate("window.progressSeen")[-1] == "100%"
    error = page.locator(".upload.has-error .field-error")
    assert "không phải PDF, JPG hay PNG" in error.inner_text()
    assert page.get_by_text("Đã tải lên: giay-chung-sinh.jpg").is_visible()
    assert page.get_by_role("alert").get_by_role("link").count() == 1
    save_screenshot(page, "apply-3-documents-error")
    assert_accessible(page)
    assert_page_weight(page)

    # Another device: the draft is there, and goes on where it stopped.
    other = _device(chromium, viewport, javascript)
    logged_in_page(citizen, other)
    other.goto(f"{base}/thu-tuc/{world.birth.code}/")
    other.get_by_role("link", name="Hồ sơ nháp của bạn").click()
    other.wait_for_url(f"{base}/ho-so-nhap/")
    save_screenshot(other, "apply-drafts")
    assert_accessible(other)
    assert_page_weight(other)
    other.get_by_role("link", name=re.compile(r"^Tiếp tục")).click()
    other.wait_for_url(step(3))
    assert str(dossier.pk) in other.url
    other.get_by_label("Tờ khai đăng ký khai sinh").set_input_files(files["pdf"])
    _press(other, "Lưu và tiếp tục", upload=True, javascript=javascript)

    # 4. Where to collect the result.
    other.wait_for_url(step(4))
    other.get_by_label("Tại bộ phận một cửa nơi tôi nộp hồ sơ").check()
    save_screenshot(other, "apply-4-delivery")
    assert_accessible(other)
    assert_page_weight(other)
    other.get_by_role("button", name="Lưu và tiếp tục").click()

    # 5. Review, then submit.
    other.wait_for_url(step(5))
    review = other.locator("main").inner_text()
    assert "Nguyễn Thị Hoa" in review
    assert "Nguyễn Bảo An (con)" in review
    assert "to-khai-khai-sinh.pdf" in review
    assert "giay-chung-sinh.jpg" in review
    assert "Nhận tại bộ phận một cửa" in review
    save_screenshot(other, "apply-5-review")
    assert_accessible(other)
    assert_page_weight(other)
    other.get_by_role("button", name="Nộp hồ sơ").click()

    # The receipt page: the code, its QR code, what happens next.
    other.wait_for_url(f"{base}/ho-so-nhap/{dossier.pk}/da-nop/")
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    assert other.get_by_role("heading", level=1).inner_text() == "Bạn đã nộp hồ sơ thành công"
    assert other.get_by_text(dossier.code, exact=True).is_visible()
    qr = other.get_by_role("img", name=f"Mã QR để tra cứu hồ sơ {dossier.code}")
    box = qr.bounding_box()
    assert box is not None
    assert box["width"] >= 120
    assert "sẽ kiểm tra hồ sơ trong giờ làm việc" in other.locator("main").inner_text()
    save_screenshot(other, "apply-6-receipt")
    assert_accessible(other)
    assert_page_weight(other)

    # The confirmation of submission, as a PDF, from the receipt page's link.
    link = other.get_by_role("link", name="Tải phiếu xác nhận (PDF)")
    href = link.get_attribute("href")
    assert href == f"/ho-so-nhap/{dossier.pk}/phieu-xac-nhan.pdf"
    with other.expect_response(lambda response: response.url.endswith(str(href))) as opened:
        link.click()
    assert opened.value.status == 200
    assert opened.value.headers["content-type"] == "application/pdf"
    pdf = other.request.get(f"{base}{href}")  # the same session's cookies
    assert pdf.ok
    assert pdf.body().startswith(b"%PDF-")
    other.goto(f"{base}/ho-so-nhap/{dossier.pk}/da-nop/")

    # The first device, reloaded, now shows the receipt too.
    page.goto(f"{base}/ho-so-nhap/{dossier.pk}/buoc/3/")
    page.wait_for_url(f"{base}/ho-so-nhap/{dossier.pk}/da-nop/")
    other.context.close()
    if not javascript:
        page.context.close()
