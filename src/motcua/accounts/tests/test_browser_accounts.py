"""A person opens a citizen account and uses it, on a phone and on a desktop: registers, logs
out, logs in with the phone number and with the email, keeps their details, resets a forgotten
password through the emailed link, and finds their dossier under "Hồ sơ của tôi"."""

import re
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from motcua.accounts.models import User
from motcua.accounts.selectors import citizen_profile
from motcua.conftest import PHONE, assert_accessible, assert_page_weight, save_screenshot
from motcua.dossiers.services import ApplicantData, dossier_create
from motcua.dossiers.tests.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "cay-xoai-vuon-nha-2026"
NEW_PASSWORD = "cay-mit-truoc-ngo-2027"


def log_in(page: Any, identifier: str, password: str) -> None:
    page.get_by_role("link", name="Đăng nhập").first.click()
    page.wait_for_url("**/tai-khoan/dang-nhap/")
    page.get_by_label("Số điện thoại hoặc email", exact=True).fill(identifier)
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def log_out(page: Any) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/tai-khoan/da-dang-xuat/")


def test_a_citizen_account_from_registration_to_my_dossiers(
    live_server, page, world: World
) -> None:
    # Registers, first forgetting the phone and email: the errors say what to fix.
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Đăng nhập").click()
    page.get_by_role("link", name="Đăng ký tài khoản").click()
    page.wait_for_url("**/tai-khoan/dang-ky/")
    save_screenshot(page, "accounts-register")
    assert_accessible(page)
    assert_page_weight(page)
    page.get_by_label("Họ và tên").fill("Phạm Thị Hoa")
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng ký").click()
    summary = page.get_by_role("alert")
    assert summary.get_by_role("heading", name="Có lỗi cần sửa").is_visible()
    save_screenshot(page, "accounts-register-errors")
    assert_accessible(page)
    assert_page_weight(page)
    summary.get_by_role("link", name=re.compile("^Số điện thoại:")).click()
    assert page.evaluate("document.activeElement.id") == "id_phone"  # the link leads to the field
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_label("Email").fill("Hoa.Pham@Example.VN")
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)  # browsers never refill passwords
    page.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng ký").click()

    page.wait_for_url("**/tai-khoan/")
    assert page.get_by_text("Đã tạo tài khoản.").is_visible()
    user = User.objects.get(kind="citizen", full_name="Phạm Thị Hoa")
    assert (user.phone, user.email) == ("0912345678", "hoa.pham@example.vn")

    # Logs out, then in with the phone number written the international way.
    log_out(page)
    save_screenshot(page, "accounts-logged-out")
    assert_accessible(page)
    assert_page_weight(page)
    page.get_by_role("link", name="Đăng nhập lại").click()
    page.get_by_label("Số điện thoại hoặc email", exact=True).fill("+84 912 345 678")
    page.get_by_label("Mật khẩu", exact=True).fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    assert page.get_by_text("Số điện thoại, email hoặc mật khẩu không đúng.").is_visible()
    save_screenshot(page, "accounts-login-error")
    assert_accessible(page)
    assert_page_weight(page)
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/tai-khoan/ho-so/")
    assert page.get_by_text("Bạn chưa có hồ sơ nào.").is_visible()

    # Logs out, then in with the email; keeps their details for the next application.
    log_out(page)
    log_in(page, "hoa.pham@example.vn", PASSWORD)
    page.wait_for_url("**/tai-khoan/ho-so/")
    page.get_by_role("link", name="Thông tin của tôi").click()
    page.get_by_label("Số định danh cá nhân").fill("0831 9000 0123")
    page.get_by_label("Ngày sinh").fill("17/05/1990")
    page.get_by_label("Địa chỉ").fill("Số 5 đường 30/4, phường 1, tỉnh Vĩnh Long")
    page.get_by_role("button", name="Lưu thông tin").click()
    assert page.get_by_text("Đã lưu thông tin của bạn.").is_visible()
    assert page.get_by_label("Số định danh cá nhân").input_value() == "083190000123"
    assert page.get_by_label("Ngày sinh").input_value() == "17/05/1990"
    save_screenshot(page, "accounts-details")
    assert_accessible(page)
    assert_page_weight(page)
    user.refresh_from_db()
    profile = citizen_profile(user)
    assert profile is not None
    assert profile.missing == []
    assert str(profile.date_of_birth) == "1990-05-17"

    # Forgets the password: asks for a link, follows the email, sets a new one.
    log_out(page)
    page.get_by_role("link", name="Đăng nhập lại").click()
    page.get_by_role("link", name="Quên mật khẩu?").click()
    save_screenshot(page, "accounts-password-reset")
    assert_accessible(page)
    assert_page_weight(page)
    page.get_by_label("Email đã đăng ký").fill("hoa.pham@example.vn")
    page.get_by_role("button", name="Gửi đường dẫn").click()
    page.wait_for_url("**/quen-mat-khau/da-gui/")
    save_screenshot(page, "accounts-password-reset-sent")
    assert_accessible(page)
    assert_page_weight(page)
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/tai-khoan/dat-lai-mat-khau/\S+/", mail.outbox[0].body)
    assert link is not None
    page.goto(link.group(0))
    page.wait_for_url("**/dat-mat-khau/")  # the token is out of the address bar
    page.get_by_label("Mật khẩu mới", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Nhập lại mật khẩu mới").fill(NEW_PASSWORD)
    save_screenshot(page, "accounts-password-new")
    assert_accessible(page)
    assert_page_weight(page)
    page.get_by_role("button", name="Lưu mật khẩu mới").click()
    page.wait_for_url("**/dat-lai-mat-khau/xong/")
    assert page.get_by_role("heading", name="Đã đổi mật khẩu").is_visible()

    # The counter registers a dossier for her; she finds it under "Hồ sơ của tôi".
    dossier = dossier_create(
        actor=world.user("counter_a"),
        procedure=world.birth,
        agency=world.desk_a,
        channel="counter",
        applicant=ApplicantData(**profile.applicant()),
        owner=user,
    )
    page.get_by_role("main").get_by_role("link", name="Đăng nhập").click()
    page.get_by_label("Số điện thoại hoặc email", exact=True).fill("hoa.pham@example.vn")
    page.get_by_label("Mật khẩu", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/tai-khoan/ho-so/")
    card = page.get_by_role("listitem").filter(has_text=dossier.code)
    assert card.get_by_text("Đã tiếp nhận", exact=True).is_visible()
    assert dossier.due_at is not None
    due = timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y")
    assert card.get_by_text(due).is_visible()
    save_screenshot(page, "accounts-my-dossiers")
    assert_accessible(page)
    assert_page_weight(page)
    card.get_by_role("link", name="Đăng ký khai sinh").click()
    page.wait_for_url(f"**/ho-so-cua-toi/{dossier.pk}/")
    assert page.get_by_text(dossier.code, exact=True).is_visible()


def test_register_and_log_in_without_javascript_using_the_keyboard(
    live_server, chromium, world: World
) -> None:
    context = chromium.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", java_script_enabled=False, **PHONE
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.viewport_name = "phone-nojs"
    try:
        page.goto(live_server.url + "/tai-khoan/dang-ky/")
        page.get_by_label("Họ và tên").fill("Trần Văn Bình")
        page.get_by_label("Số điện thoại").fill("0987.654.321")
        page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
        page.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url("**/tai-khoan/")
        log_out(page)

        page.goto(live_server.url + "/tai-khoan/ho-so/")  # asks to log in, then comes back
        page.wait_for_url("**/tai-khoan/dang-nhap/?next=/tai-khoan/ho-so/")
        page.get_by_label("Số điện thoại hoặc email", exact=True).focus()
        page.keyboard.type("0987654321")
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"^http://[^/]+/tai-khoan/ho-so/$"))
        assert page.get_by_role("heading", name="Hồ sơ của tôi").is_visible()
        save_screenshot(page, "accounts-nojs-my-dossiers")
        assert_accessible(page)
        assert_page_weight(page)
    finally:
        context.close()
