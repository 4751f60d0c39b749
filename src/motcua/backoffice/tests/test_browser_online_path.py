"""The online path in one browser test: a citizen applies on the portal with the wizard (on a
phone, logging in on the way), the commune desk's counter officer logs into the back office (on
a desktop), finds the dossier in the reception queue, receives it, and the receipt (Mẫu 01) is
offered and opens as a PDF; the citizen's page then says it was received. axe on every page;
screenshots of each stage in test-artifacts/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from motcua.accounts.models import User
from motcua.conftest import DESKTOP, PHONE, assert_accessible, save_screenshot
from motcua.dossiers.constants import Channel, Status
from motcua.dossiers.models import Document, Dossier
from motcua.dossiers.tests.conftest import PASSWORD, World
from motcua.portal.tests.files import make_jpeg, make_pdf
from motcua.portal.tests.test_browser_apply import _press

from .conftest import browser_office_login
from .test_browser_dossier import open_from_queue, receive_here, status_is

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _context_page(chromium: Any, options: dict[str, Any], name: str) -> Any:
    context = chromium.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.viewport_name = name
    return page


def _citizen(world: World) -> User:
    citizen = world.user("citizen")
    citizen.full_name = "Lâm Thị Mai"
    citizen.phone = "0915000555"
    citizen.id_number = "086190005555"
    citizen.address = "Ấp 5, xã An Bình"
    citizen.save()
    return citizen


def _apply(page: Any, base: str, world: World, folder: Path) -> Dossier:
    """The citizen finds the procedure, logs in when asked, and goes through the wizard."""
    form = folder / "to-khai-khai-sinh.pdf"
    form.write_bytes(make_pdf("TO KHAI KHAI SINH"))
    certificate = folder / "giay-chung-sinh.jpg"
    certificate.write_bytes(make_jpeg())
    step = lambda n: re.compile(rf".*/ho-so-nhap/[0-9a-f-]{{36}}/buoc/{n}/$")  # noqa: E731

    page.goto(f"{base}/thu-tuc/{world.birth.code}/")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.wait_for_url(re.compile(r".*/tai-khoan/dang-nhap/\?next=.*"))
    page.get_by_label("Số điện thoại hoặc email", exact=True).fill("0915000555")
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    page.wait_for_url(f"{base}/nop-ho-so/{world.birth.code}/")
    expect(page.get_by_label("Họ và tên", exact=True)).to_have_value("Lâm Thị Mai")
    page.get_by_label("Bộ phận Một cửa xã An Bình").check()
    save_screenshot(page, "online-path-1-applicant")
    assert_accessible(page)
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    page.wait_for_url(step(2))
    page.get_by_label("Nội dung yêu cầu").fill(
        "Đăng ký khai sinh cho con tôi, sinh ngày 20/11/2026."
    )
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    page.wait_for_url(step(3))
    page.get_by_label("Tờ khai đăng ký khai sinh").set_input_files(str(form))
    page.get_by_label("Giấy chứng sinh").set_input_files(str(certificate))
    save_screenshot(page, "online-path-2-documents")
    assert_accessible(page)
    _press(page, "Lưu và tiếp tục", upload=True, javascript=True)

    page.wait_for_url(step(4))
    page.get_by_label("Tại bộ phận một cửa nơi tôi nộp hồ sơ").check()
    page.get_by_role("button", name="Lưu và tiếp tục").click()

    page.wait_for_url(step(5))
    save_screenshot(page, "online-path-3-review")
    assert_accessible(page)
    page.get_by_role("button", name="Nộp hồ sơ").click()

    dossier = Dossier.objects.get(owner__username="citizen")
    page.wait_for_url(f"{base}/ho-so-nhap/{dossier.pk}/da-nop/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bạn đã nộp hồ sơ thành công")
    expect(page.get_by_text(str(dossier.code), exact=True)).to_be_visible()
    save_screenshot(page, "online-path-4-submitted")
    assert_accessible(page)
    return dossier


def test_a_citizen_applies_online_and_the_counter_receives_it(
    live_server: Any, chromium: Any, world: World, tmp_path: Path
) -> None:
    base = live_server.url
    _citizen(world)
    phone = _context_page(chromium, PHONE, "phone")
    desk = _context_page(chromium, DESKTOP, "desktop")
    try:
        # 1. The citizen applies from a phone.
        dossier = _apply(phone, base, world, tmp_path)
        dossier.refresh_from_db()
        assert (dossier.status, dossier.channel, dossier.agency) == (
            Status.SUBMITTED,
            Channel.ONLINE,
            world.desk_a,
        )
        assert sorted(Document.objects.filter(dossier=dossier).values_list("name", flat=True)) == [
            "giay-chung-sinh.jpg",
            "to-khai-khai-sinh.pdf",
        ]

        # 2. The commune desk logs in and finds it waiting for reception.
        browser_office_login(desk, base, world, "counter_a")
        expect(desk.locator("#count-reception")).to_have_text("1")
        desk.get_by_role("link", name=re.compile("Chờ tiếp nhận")).click()
        rows = desk.locator("#queue-results tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text(str(dossier.code))
        save_screenshot(desk, "online-path-5-reception-queue")
        assert_accessible(desk)
        open_from_queue(desk, "Chờ tiếp nhận", dossier)
        status_is(desk, "Đã nộp, chờ tiếp nhận")
        expect(desk.get_by_text("Lâm Thị Mai").first).to_be_visible()
        expect(desk.get_by_role("link", name=re.compile("Mẫu 01"))).to_have_count(0)
        save_screenshot(desk, "online-path-6-dossier-waiting")
        assert_accessible(desk)

        # 3. It is received; the receipt is offered at once and opens as a PDF.
        receive_here(desk)
        receipt = desk.get_by_role("link", name=re.compile("Mẫu 01"))
        save_screenshot(desk, "online-path-7-received-receipt-offered")
        assert_accessible(desk)
        pdf = desk.request.get(base + str(receipt.get_attribute("href")))
        assert pdf.ok
        assert pdf.headers["content-type"] == "application/pdf"
        assert pdf.body().startswith(b"%PDF-")

        received = Dossier.objects.get(pk=dossier.pk)
        assert received.status == Status.RECEIVED
        assert received.received_at is not None
        assert received.due_at is not None

        # 4. The citizen's own page says so.
        phone.goto(f"{base}/ho-so-cua-toi/{dossier.pk}/")
        expect(phone.locator("main")).to_contain_text(
            "Bộ phận một cửa đã tiếp nhận hồ sơ và hẹn ngày trả kết quả."
        )
        save_screenshot(phone, "online-path-8-citizen-sees-received")
        assert_accessible(phone)
    finally:
        phone.context.close()
        desk.context.close()
