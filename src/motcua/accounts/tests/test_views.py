"""The account pages through Django's test client: login, throttling, no enumeration, the
account page, "Hồ sơ của tôi", password reset, CSRF."""

import re
import zoneinfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.accounts.models import User
from motcua.dossiers.constants import Status
from motcua.dossiers.tests.factories import DossierFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "motcua-test"  # the factories' password
TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def hoa() -> User:
    return UserFactory(full_name="Phạm Thị Hoa", phone="0912345678", email="hoa@example.vn")


def log_in(client: Client, identifier: str, password: str = PASSWORD, **extra: str):
    data = {"provider": "password", "identifier": identifier, "password": password, **extra}
    return client.post("/tai-khoan/dang-nhap/", data)


@pytest.mark.parametrize("identifier", ["0912345678", "+84 912 345 678", "HOA@example.vn"])
def test_a_citizen_logs_in_with_phone_or_email(client: Client, hoa: User, identifier: str) -> None:
    response = log_in(client, identifier)
    assert response.status_code == 302
    assert response["Location"] == "/tai-khoan/ho-so/"
    assert client.session["_auth_user_id"] == str(hoa.pk)


def test_login_returns_to_the_page_asked_for_but_never_to_another_site(
    client: Client, hoa: User
) -> None:
    assert log_in(client, "0912345678", next="/tai-khoan/")["Location"] == "/tai-khoan/"
    client.post("/tai-khoan/dang-xuat/")
    evil = log_in(client, "0912345678", next="https://evil.example/")
    assert evil["Location"] == "/tai-khoan/ho-so/"


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_an_unknown_account_and_a_wrong_password_get_the_same_answer(
    client: Client, hoa: User
) -> None:
    unknown = log_in(client, "0987000000", "cay-xoai-2026")
    wrong = log_in(client, "0912345678", "cay-xoai-2026")

    assert unknown.status_code == wrong.status_code == 200
    assert "Số điện thoại, email hoặc mật khẩu không đúng." in wrong.content.decode()
    # Same page, word for word, apart from the identifier typed back into the field.
    assert _without_csrf(unknown.content.decode()).replace("0987000000", "X") == _without_csrf(
        wrong.content.decode()
    ).replace("0912345678", "X")
    assert "_auth_user_id" not in client.session


def test_a_locked_account_cannot_log_in(client: Client) -> None:
    UserFactory(phone="0912345678", is_active=False)
    assert log_in(client, "0912345678").status_code == 200
    assert "_auth_user_id" not in client.session


def test_login_attempts_are_throttled_with_the_login_scope(
    client: Client, hoa: User, settings
) -> None:
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login": "3/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    cache.clear()
    for _ in range(3):
        assert log_in(client, "0912345678", "sai-mat-khau").status_code == 200

    blocked = log_in(client, "0912345678")  # even the right password waits now

    assert blocked.status_code == 429
    assert "Bạn đã thử quá nhiều lần" in blocked.content.decode()
    assert "_auth_user_id" not in client.session
    cache.clear()


def test_registration_is_throttled_too(client: Client, settings) -> None:
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login": "1/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    cache.clear()
    data = {"full_name": "An", "phone": "0912345678", "password1": "x", "password2": "x"}
    client.post("/tai-khoan/dang-ky/", data)
    assert client.post("/tai-khoan/dang-ky/", data).status_code == 429
    cache.clear()


def test_logout_takes_a_post_and_ends_the_session(client: Client, hoa: User) -> None:
    client.force_login(hoa)
    assert client.get("/tai-khoan/dang-xuat/").status_code == 405
    response = client.post("/tai-khoan/dang-xuat/")
    assert response["Location"] == "/tai-khoan/da-dang-xuat/"
    assert "_auth_user_id" not in client.session


def test_forms_without_the_csrf_token_are_refused(hoa: User) -> None:
    client = Client(enforce_csrf_checks=True)
    assert log_in(client, "0912345678").status_code == 403
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("url", ["/tai-khoan/", "/tai-khoan/ho-so/"])
def test_account_pages_ask_to_log_in_first(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/tai-khoan/dang-nhap/?next={url}"


def test_the_header_links_to_login_or_to_the_account(client: Client, hoa: User) -> None:
    assert 'href="/tai-khoan/dang-nhap/">Đăng nhập</a>' in client.get("/").content.decode()
    client.force_login(hoa)
    assert 'href="/tai-khoan/ho-so/">Tài khoản</a>' in client.get("/").content.decode()


def test_a_taken_phone_is_explained_next_to_the_field_and_in_the_summary(
    client: Client, hoa: User
) -> None:
    data = {
        "full_name": "An",
        "phone": "0912 345 678",
        "email": "",
        "password1": "cay-xoai-2026",
        "password2": "cay-xoai-2026",
    }
    response = client.post("/tai-khoan/dang-ky/", data)

    html = response.content.decode()
    message = "Số điện thoại này đã được dùng cho một tài khoản khác."
    assert f'<p class="field-error" id="id_phone_error">{message}</p>' in html
    assert f'<a href="#id_phone">Số điện thoại: {message}</a>' in html
    assert User.objects.count() == 1


def test_the_account_page_saves_the_details(client: Client, hoa: User) -> None:
    client.force_login(hoa)
    data = {
        "full_name": "Phạm Thị Hoa",
        "id_number": "083190000123",
        "date_of_birth": "1990-05-17",
        "phone": "0912345678",
        "email": "hoa@example.vn",
        "address": "Số 5 đường 30/4",
    }
    response = client.post("/tai-khoan/", data, follow=True)
    assert "Đã lưu thông tin của bạn." in response.content.decode()
    hoa.refresh_from_db()
    assert (hoa.id_number, str(hoa.date_of_birth), hoa.address) == (
        "083190000123",
        "1990-05-17",
        "Số 5 đường 30/4",
    )


def test_my_dossiers_lists_the_citizens_own_dossiers_only(client: Client, hoa: User) -> None:
    mine = DossierFactory(owner=hoa, procedure__name="Đăng ký khai sinh")
    draft = DossierFactory(draft=True, owner=hoa, created_by=hoa, procedure__name="Cấp phép")
    other = DossierFactory(owner=UserFactory(), procedure__name="Đăng ký kết hôn")
    assisted = DossierFactory(online=True, assisted_by=hoa, procedure__name="Chứng thực")
    client.force_login(hoa)

    html = client.get("/tai-khoan/ho-so/").content.decode()

    assert f'href="/ho-so-cua-toi/{mine.pk}/">Đăng ký khai sinh</a>' in html
    assert mine.due_at is not None
    assert f"Hẹn trả kết quả</dt><dd>{mine.due_at.astimezone(TZ):%H:%M %d/%m/%Y}</dd>" in html
    assert draft.status == Status.DRAFT
    assert '<span class="card-title">Cấp phép</span>' in html  # no code yet: nothing to track
    assert "<strong>Đang soạn</strong>" in html
    assert f'href="/ho-so-nhap/{draft.pk}/buoc/1/">Tiếp tục soạn hồ sơ</a>' in html
    assert other.procedure.name not in html
    assert assisted.procedure.name not in html  # filed for someone else: not "mine"


def test_my_dossiers_reads_in_a_fixed_number_of_queries(client: Client, hoa: User) -> None:
    client.force_login(hoa)
    DossierFactory(owner=hoa)
    with CaptureQueriesContext(connection) as one:
        client.get("/tai-khoan/ho-so/")
    for _ in range(4):
        DossierFactory(owner=hoa)
    with CaptureQueriesContext(connection) as five:
        response = client.get("/tai-khoan/ho-so/")
    assert response.content.decode().count('class="card"') == 5
    assert len(five) == len(one)


def test_a_forgotten_password_is_reset_through_the_emailed_link(
    client: Client, hoa: User, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/tai-khoan/quen-mat-khau/", {"email": "hoa@example.vn"})
    assert response["Location"] == "/tai-khoan/quen-mat-khau/da-gui/"
    link = re.search(r"http://testserver(/tai-khoan/dat-lai-mat-khau/\S+/)", mailoutbox[0].body)
    assert link is not None

    form_page = client.get(link.group(1), follow=True)
    # The token left the address bar before the page was shown (no leak through Referer).
    assert form_page.redirect_chain[-1][0].endswith("/dat-mat-khau/")
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "cay-mit-2027", "new_password2": "cay-mit-2027"})
    assert done["Location"] == "/tai-khoan/dat-lai-mat-khau/xong/"

    assert log_in(Client(), "hoa@example.vn", "cay-mit-2027").status_code == 302
    reused = Client().get(link.group(1), follow=True)
    assert "không còn dùng được" in reused.content.decode()


def test_the_reset_page_answers_the_same_for_an_unknown_address(
    client: Client, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/tai-khoan/quen-mat-khau/", {"email": "ai@example.vn"})
    assert response["Location"] == "/tai-khoan/quen-mat-khau/da-gui/"
    assert mailoutbox == []


def test_account_pages_weigh_far_less_than_100_kb_with_their_stylesheet(
    client: Client, hoa: User
) -> None:
    from django.contrib.staticfiles import finders

    css = finders.find("css/motcua.css")
    assert css is not None
    with open(css, "rb") as stylesheet:
        css_bytes = len(stylesheet.read())
    anonymous = ["/tai-khoan/dang-nhap/", "/tai-khoan/dang-ky/", "/tai-khoan/quen-mat-khau/"]
    weights = {url: len(client.get(url).content) for url in anonymous}
    client.force_login(hoa)
    for _ in range(20):
        DossierFactory(owner=hoa)  # a full first page of "Hồ sơ của tôi"
    for url in ["/tai-khoan/", "/tai-khoan/ho-so/"]:
        weights[url] = len(client.get(url).content)
    assert all(html + css_bytes < 100_000 for html in weights.values()), weights
