"""The dossier screen in a browser, on a desktop and on a tablet: a counter officer opens a
dossier from the queue and asks for a supplement with a checklist (after a mistake shown next to
the field); another dossier goes through the commune: forwarded to a specialist, forwarded to
the leader, approved with a result uploaded, returned at the counter. axe on every page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from motcua.conftest import assert_accessible, save_screenshot
from motcua.dossiers.constants import Channel, Status
from motcua.dossiers.models import Document, Dossier, DossierEvent
from motcua.dossiers.services import ApplicantData, dossier_attach, dossier_create
from motcua.dossiers.tests.conftest import World
from motcua.portal.tests.files import make_jpeg, make_pdf

from .conftest import DESKTOP, browser_office_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def walk_in(world: World, name: str, *, procedure: Any = None) -> Dossier:
    return dossier_create(
        actor=world.user("counter_a"),
        procedure=procedure or world.birth,
        agency=world.desk_a,
        channel=Channel.COUNTER,
        applicant=ApplicantData(
            type="citizen", full_name=name, id_number="086190003333", phone="0913000333"
        ),
    )


def log_out(page: Any) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/can-bo/dang-nhap/")


def open_from_queue(page: Any, queue: str, dossier: Dossier) -> None:
    page.get_by_role("link", name=re.compile(queue)).click()
    page.locator("#queue-results").get_by_role("link", name=str(dossier.code)).click()
    page.wait_for_url(f"**/can-bo/ho-so/{dossier.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(dossier.code))


def action_done(page: Any, action: str) -> None:
    """Wait for the message of a successful action (the screen is redrawn in place by htmx,
    or reloaded without JavaScript)."""
    expect(page.locator(".notice")).to_contain_text(f"Đã thực hiện: {action}")


def status_is(page: Any, text: str) -> None:
    expect(page.locator("#dossier-status")).to_have_text(text)


def receive_here(page: Any) -> None:
    """Receive the online dossier open on the screen; its receipt (Mẫu 01) is then offered."""
    page.get_by_text("Tiếp nhận", exact=True).first.click()
    page.locator("#thao-tac-receive").get_by_role("button", name="Tiếp nhận").click()
    action_done(page, "Tiếp nhận")
    status_is(page, "Đã tiếp nhận")
    expect(page.get_by_role("link", name=re.compile("Mẫu 01"))).to_be_visible()


def test_an_officer_asks_for_a_supplement_with_a_checklist(
    live_server: Any, office_page: Any, world: World
) -> None:
    page = office_page
    dossier = walk_in(world, "Phan Thị Thu")
    browser_office_login(page, live_server.url, world, "counter_a")
    save_screenshot(page, "dossier-queue")
    assert_accessible(page)

    open_from_queue(page, "Giao cho tôi", dossier)
    assert page.get_by_text("Phan Thị Thu").first.is_visible()
    assert page.get_by_role("link", name=re.compile("Mẫu 01")).is_visible()
    assert page.get_by_role("link", name=re.compile("Mẫu 06")).is_visible()
    save_screenshot(page, "dossier-screen")
    assert_accessible(page)

    # A mistake: nothing ticked, nothing typed. The error is next to the checklist and in a
    # summary that links to it.
    page.get_by_text("Yêu cầu bổ sung", exact=True).first.click()
    panel = page.locator("#thao-tac-request_supplement")
    page.evaluate("window.stillHere = true")  # gone if the page reloads
    panel.get_by_role("button", name="Yêu cầu bổ sung").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Chọn ít nhất một giấy tờ")
    expect(summary).to_be_focused()
    panel = page.locator("#thao-tac-request_supplement")
    expect(panel.locator(".field-error")).to_contain_text("Chọn ít nhất một giấy tờ")
    save_screenshot(page, "dossier-supplement-error")
    assert_accessible(page)
    summary.get_by_role("link").first.click()

    panel.get_by_label("Giấy chứng sinh").check()
    panel.get_by_label("Yêu cầu khác").fill("Bản sao giấy đăng ký kết hôn của cha mẹ")
    panel.get_by_label("Lý do, hướng dẫn cho người nộp").fill("Bản chụp giấy chứng sinh bị mờ.")
    panel.get_by_role("button", name="Yêu cầu bổ sung").click()

    action_done(page, "Yêu cầu bổ sung")
    expect(page.locator(".notice")).to_contain_text("Đã thực hiện: Yêu cầu bổ sung")
    status_is(page, "Chờ bổ sung hồ sơ")
    assert page.evaluate("window.stillHere") is True  # redrawn in place by htmx
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Giấy chứng sinh")
    expect(timeline).to_contain_text("Bản sao giấy đăng ký kết hôn của cha mẹ")
    assert page.get_by_role("link", name=re.compile("Mẫu 02")).is_visible()
    save_screenshot(page, "dossier-supplement-requested")
    assert_accessible(page)
    event = DossierEvent.objects.filter(dossier=dossier).order_by("-seq").first()
    assert event is not None
    assert event.data["items"] == ["Giấy chứng sinh", "Bản sao giấy đăng ký kết hôn của cha mẹ"]


def test_forward_approve_with_a_result_and_return_at_the_counter(
    live_server: Any, office_page: Any, world: World, tmp_path: Any
) -> None:
    page = office_page
    dossier = walk_in(world, "Trương Văn Hải")
    dossier_attach(
        dossier_id=dossier.pk,
        actor=world.user("counter_a"),
        uploaded_file=SimpleUploadedFile("giay-chung-sinh.jpg", make_jpeg(), "image/jpeg"),
        kind=Document.Kind.APPLICATION,
    )
    result = tmp_path / "trich-luc-khai-sinh.pdf"
    result.write_bytes(make_pdf("TRICH LUC KHAI SINH"))

    # The counter sees the scanned paper inline and forwards to the commune's specialist.
    browser_office_login(page, live_server.url, world, "counter_a")
    open_from_queue(page, "Giao cho tôi", dossier)
    preview = page.get_by_role("img", name="Ảnh chụp: giay-chung-sinh.jpg")
    expect(preview).to_be_visible()
    # decode() waits for the picture to arrive (visible is not loaded) and fails if it is broken.
    assert preview.evaluate("img => img.decode().then(() => img.naturalWidth)") == 320
    page.get_by_text("Chuyển xử lý", exact=True).first.click()
    panel = page.locator("#thao-tac-forward")
    expect(panel.get_by_label("Chuyển đến bước")).to_have_value("2")
    panel.get_by_label("Người xử lý").select_option("specialist_a")
    panel.get_by_role("button", name="Chuyển xử lý").click()
    action_done(page, "Chuyển xử lý")
    status_is(page, "Đang giải quyết")
    expect(page.locator("#control-slip tbody tr")).to_have_count(1)
    expect(page.locator("#control-slip")).to_contain_text("Specialist_A")
    save_screenshot(page, "dossier-forwarded")
    assert_accessible(page)
    log_out(page)

    # The specialist finds it in their own queue and passes it to the leader.
    browser_office_login(page, live_server.url, world, "specialist_a")
    open_from_queue(page, "Giao cho tôi", dossier)
    assert_accessible(page)
    page.get_by_text("Chuyển xử lý", exact=True).first.click()
    page.locator("#thao-tac-forward").get_by_label("Người xử lý").select_option("leader_a")
    page.locator("#thao-tac-forward").get_by_role("button", name="Chuyển xử lý").click()
    action_done(page, "Chuyển xử lý")
    expect(page.locator("#control-slip tbody tr")).to_have_count(2)
    # Deciding is the leader's: no approval offered to the specialist.
    expect(page.locator("#thao-tac-send_back")).to_have_count(1)
    expect(page.locator("#thao-tac-approve")).to_have_count(0)
    log_out(page)

    # The leader approves with the result uploaded.
    browser_office_login(page, live_server.url, world, "leader_a")
    open_from_queue(page, "Giao cho tôi", dossier)
    page.get_by_text("Phê duyệt, ban hành kết quả", exact=True).first.click()
    panel = page.locator("#thao-tac-approve")
    panel.get_by_label("Tải lên văn bản kết quả").set_input_files(str(result))
    save_screenshot(page, "dossier-approve-form")
    assert_accessible(page)
    panel.get_by_role("button", name="Phê duyệt, ban hành kết quả").click()
    action_done(page, "Phê duyệt")
    status_is(page, "Đã có kết quả")
    expect(page.get_by_role("link", name="trich-luc-khai-sinh.pdf")).to_be_visible()
    save_screenshot(page, "dossier-approved")
    assert_accessible(page)
    log_out(page)

    # The counter returns it; the control slip prints.
    browser_office_login(page, live_server.url, world, "counter_a")
    open_from_queue(page, "Chờ trả kết quả", dossier)
    page.get_by_text("Trả kết quả", exact=True).first.click()
    panel = page.locator("#thao-tac-return_result")
    expect(panel.get_by_label("Hình thức trả kết quả")).to_have_value("counter")
    panel.get_by_role("button", name="Trả kết quả").click()
    action_done(page, "Trả kết quả")
    status_is(page, "Đã trả kết quả")
    expect(page.locator(".action-panel")).to_have_count(0)
    expect(page.locator("#control-slip tbody tr")).to_have_count(3)
    save_screenshot(page, "dossier-returned")
    assert_accessible(page)
    href = page.get_by_role("link", name=re.compile("Mẫu 06")).get_attribute("href")
    slip = page.request.get(live_server.url + str(href))
    assert slip.ok
    assert slip.headers["content-type"] == "application/pdf"

    returned = Dossier.objects.get(pk=dossier.pk)
    assert returned.status == Status.RETURNED
    assert Document.objects.get(dossier=dossier, kind=Document.Kind.RESULT).name == (
        "trich-luc-khai-sinh.pdf"
    )


def test_an_action_works_without_javascript(live_server: Any, chromium: Any, world: World) -> None:
    dossier = walk_in(world, "Đinh Văn Tư")
    context = chromium.new_context(locale="vi-VN", java_script_enabled=False, **DESKTOP)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.viewport_name = "desktop-nojs"
        browser_office_login(page, live_server.url, world, "counter_a")
        page.goto(f"{live_server.url}/can-bo/ho-so/{dossier.pk}/")
        page.get_by_text("Yêu cầu nộp phí", exact=True).first.click()  # <details>: no script
        panel = page.locator("#thao-tac-request_payment")
        panel.get_by_label("Số tiền (đồng)").fill("0")
        panel.get_by_role("button", name="Yêu cầu nộp phí").click()
        expect(page.locator(".error-summary")).to_contain_text("Số tiền (đồng)")
        save_screenshot(page, "dossier-payment-error")
        assert_accessible(page)
        panel = page.locator("#thao-tac-request_payment")
        panel.get_by_label("Số tiền (đồng)").fill("100000")
        panel.get_by_role("button", name="Yêu cầu nộp phí").click()
        action_done(page, "Yêu cầu nộp phí")
        status_is(page, "Chờ thực hiện nghĩa vụ tài chính")
        save_screenshot(page, "dossier-payment-requested")
        assert_accessible(page)
    finally:
        context.close()
    assert Dossier.objects.get(pk=dossier.pk).fees_total == 100000


def test_an_online_dossier_is_received_from_the_reception_queue(
    live_server: Any, office_page: Any, world: World
) -> None:
    from .test_dossier_screen import online_submitted

    page = office_page
    dossier = online_submitted(world)
    browser_office_login(page, live_server.url, world, "counter_a")
    expect(page.locator("#count-reception")).to_have_text("1")

    open_from_queue(page, "Chờ tiếp nhận", dossier)
    status_is(page, "Đã nộp, chờ tiếp nhận")
    documents = page.locator(".documents").first.get_by_role("link")
    expect(documents).to_have_count(2)  # each attached PDF, opened by the document view
    href = documents.first.get_attribute("href")
    pdf = page.request.get(live_server.url + str(href))
    assert pdf.ok
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith("inline;")
    expect(page.get_by_role("link", name=re.compile("Mẫu 01"))).to_have_count(0)
    save_screenshot(page, "dossier-online-waiting")
    assert_accessible(page)

    receive_here(page)
    save_screenshot(page, "dossier-online-received")
    assert_accessible(page)
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RECEIVED
