"""The whole path of a liên thông dossier in a browser, on a desktop and on a tablet: received
walk-in at a commune's one-stop desk (the desk's registration screen), forwarded to the provincial
department (Sở Xây dựng), processed by its specialist, approved by its leader with the result
uploaded, and the result returned at the commune desk. Each person logs in and works on the
dossier screen; axe on every page; screenshots of each stage."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from motcua.conftest import assert_accessible, save_screenshot
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Document, Dossier, DossierStep
from motcua.dossiers.tests.conftest import World
from motcua.portal.tests.files import make_jpeg, make_pdf

from .conftest import browser_office_login
from .test_browser_dossier import action_done, log_out, open_from_queue, status_is

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCUMENT = "Đơn đề nghị cấp giấy phép xây dựng"


def receive_walk_in(page: Any, scan: Any) -> Dossier:
    """The commune desk registers the applicant's papers on its registration screen."""
    page.get_by_role("link", name="Tiếp nhận hồ sơ").click()
    page.get_by_label("Tìm thủ tục").fill("giay phep xay dung")
    page.get_by_role("button", name="Tìm").click()
    page.get_by_role("link", name="Cấp giấy phép xây dựng").click()
    page.get_by_label("Họ và tên người nộp").fill("Huỳnh Văn Lực")
    page.get_by_label("Số định danh cá nhân (số căn cước)").fill("086190004444")
    page.get_by_label("Số điện thoại").fill("0914000444")
    page.get_by_label("Địa chỉ liên hệ").fill("Ấp 2, xã An Bình")
    page.get_by_label(f"Đã nhận bản giấy: {DOCUMENT}").check()
    page.get_by_label(f"Tệp quét: {DOCUMENT}").set_input_files(str(scan))
    page.get_by_label("Nhận tại bộ phận một cửa").check()
    save_screenshot(page, "full-path-1-desk-form")
    assert_accessible(page)
    page.get_by_role("button", name="Tiếp nhận và in phiếu").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đã tiếp nhận hồ sơ")
    assert_accessible(page)
    dossier = Dossier.objects.get(applicant_name="Huỳnh Văn Lực")
    page.get_by_role("link", name="Xem hồ sơ").click()
    page.wait_for_url(f"**/can-bo/ho-so/{dossier.pk}/")
    return dossier


def test_a_walk_in_dossier_through_a_provincial_department_and_back(
    live_server: Any, office_page: Any, world: World, tmp_path: Any
) -> None:
    page = office_page
    scan = tmp_path / "don-de-nghi.jpg"
    scan.write_bytes(make_jpeg())
    result = tmp_path / "giay-phep-xay-dung.pdf"
    result.write_bytes(make_pdf("GIAY PHEP XAY DUNG"))

    # 1. The commune desk receives it and forwards it to Sở Xây dựng's specialist (liên thông).
    browser_office_login(page, live_server.url, world, "counter_a")
    dossier = receive_walk_in(page, scan)
    status_is(page, "Đã tiếp nhận")
    expect(page.get_by_role("img", name="Ảnh chụp: don-de-nghi.jpg")).to_be_visible()
    save_screenshot(page, "full-path-2-received")
    assert_accessible(page)
    page.get_by_text("Chuyển xử lý", exact=True).first.click()
    panel = page.locator("#thao-tac-forward")
    expect(panel.get_by_label("Chuyển đến bước")).to_have_value("2")
    expect(panel.get_by_label("Chuyển đến bước").locator("option:checked")).to_contain_text(
        "Sở Xây dựng"
    )
    panel.get_by_label("Người xử lý").select_option("specialist_xd")
    panel.get_by_role("button", name="Chuyển xử lý").click()
    action_done(page, "Chuyển xử lý")
    status_is(page, "Đang giải quyết")
    expect(page.locator(".pairs").first).to_contain_text("Sở Xây dựng")
    # The desk keeps sight of it, but processing is the department's now.
    expect(page.locator(".action-panel")).to_have_count(0)
    save_screenshot(page, "full-path-3-forwarded-to-department")
    assert_accessible(page)
    log_out(page)

    # 2. The department's specialist processes it and passes it to the department's leader.
    browser_office_login(page, live_server.url, world, "specialist_xd")
    open_from_queue(page, "Giao cho tôi", dossier)
    expect(page.get_by_role("img", name="Ảnh chụp: don-de-nghi.jpg")).to_be_visible()
    save_screenshot(page, "full-path-4-specialist")
    assert_accessible(page)
    page.get_by_text("Chuyển xử lý", exact=True).first.click()
    panel = page.locator("#thao-tac-forward")
    panel.get_by_label("Người xử lý").select_option("leader_xd")
    panel.get_by_label("Ghi chú").fill("Đủ điều kiện cấp phép.")
    panel.get_by_role("button", name="Chuyển xử lý").click()
    action_done(page, "Chuyển xử lý")
    expect(page.locator("#timeline")).to_contain_text("Đủ điều kiện cấp phép.")
    assert_accessible(page)
    log_out(page)

    # 3. The department's leader approves with the permit uploaded.
    browser_office_login(page, live_server.url, world, "leader_xd")
    open_from_queue(page, "Giao cho tôi", dossier)
    page.get_by_text("Phê duyệt, ban hành kết quả", exact=True).first.click()
    panel = page.locator("#thao-tac-approve")
    panel.get_by_label("Tải lên văn bản kết quả").set_input_files(str(result))
    panel.get_by_role("button", name="Phê duyệt, ban hành kết quả").click()
    action_done(page, "Phê duyệt")
    status_is(page, "Đã có kết quả")
    expect(page.get_by_role("link", name="giay-phep-xay-dung.pdf")).to_be_visible()
    save_screenshot(page, "full-path-5-approved-by-leader")
    assert_accessible(page)
    log_out(page)

    # 4. Back at the commune desk, the result is handed over.
    browser_office_login(page, live_server.url, world, "counter_a")
    open_from_queue(page, "Chờ trả kết quả", dossier)
    page.get_by_text("Trả kết quả", exact=True).first.click()
    page.locator("#thao-tac-return_result").get_by_role("button", name="Trả kết quả").click()
    action_done(page, "Trả kết quả")
    status_is(page, "Đã trả kết quả")
    control = page.locator("#control-slip tbody tr")
    expect(control).to_have_count(3)
    expect(control.nth(0)).to_contain_text("Sở Xây dựng")  # desk → department's specialist
    expect(control.nth(2)).to_contain_text("Bộ phận Một cửa xã An Bình")  # result back
    save_screenshot(page, "full-path-6-returned-at-commune")
    assert_accessible(page)

    returned = Dossier.objects.get(pk=dossier.pk)
    assert returned.status == Status.RETURNED
    assert returned.agency == world.desk_a
    assert list(
        DossierStep.objects.filter(dossier=dossier)
        .order_by("position")
        .values_list("agency__code", flat=True)
    ) == [world.desk_a.code, world.construction.code, world.construction.code]
    assert Document.objects.filter(dossier=dossier, kind=Document.Kind.RESULT).count() == 1
    assert re.match(r"H56\.101\.1-\d{6}-\d{4}$", str(returned.code))
