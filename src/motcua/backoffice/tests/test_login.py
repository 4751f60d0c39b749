"""Staff login: password, then a TOTP code where the role needs one; throttled; no user
enumeration; citizens refused; replayed codes refused."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from motcua.accounts import totp
from motcua.accounts.constants import Role
from motcua.accounts.models import Membership, TotpDevice, User
from motcua.accounts.services import totp_code_accept, totp_device_confirm
from motcua.conftest import admin_login
from motcua.dossiers.tests.conftest import PASSWORD, World

from .conftest import current_code, enrol, office_login

pytestmark = pytest.mark.django_db

LOGIN = "/can-bo/dang-nhap/"
VERIFY = "/can-bo/dang-nhap/ma-xac-thuc/"
ENROL = "/can-bo/xac-thuc-hai-buoc/"
HOME = "/can-bo/"


def _post_login(client: Client, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"username": username, "password": password})


def test_login_page_has_labelled_fields_and_csrf(client: Client) -> None:
    body = client.get(LOGIN).content.decode()
    assert 'for="id_username"' in body
    assert 'for="id_password"' in body
    assert "csrfmiddlewaretoken" in body


def test_counter_officer_logs_in_with_password_only(client: Client, world: World) -> None:
    response = _post_login(client, "counter_a")

    assert response.status_code == 302
    assert response.url == HOME
    page = client.get(HOME)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Counter_A" in body  # the full name
    assert "Cán bộ một cửa" in body
    assert "Bộ phận Một cửa xã An Bình" in body


def test_wrong_password_and_unknown_user_get_the_same_answer(client: Client, world: World) -> None:
    wrong = _post_login(client, "counter_a", "not-the-password")
    unknown = _post_login(client, "nobody-here", "not-the-password")

    assert wrong.status_code == unknown.status_code == 200
    message = "Tên đăng nhập hoặc mật khẩu không đúng."
    assert message in wrong.content.decode()
    assert message in unknown.content.decode()
    # The pages differ in nothing but the CSRF token and the username typed back.
    strip = [world.user("counter_a").username, "nobody-here"]

    def normalised(body: str) -> str:
        for name in strip:
            body = body.replace(name, "")
        return "\n".join(line for line in body.splitlines() if "csrfmiddlewaretoken" not in line)

    assert normalised(wrong.content.decode()) == normalised(unknown.content.decode())
    assert "_auth_user_id" not in client.session


def test_a_citizen_is_refused_clearly_and_not_logged_in(client: Client, world: World) -> None:
    response = _post_login(client, "citizen")

    assert response.status_code == 403
    assert "Không phải tài khoản cán bộ" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(HOME).status_code == 302


def test_a_staff_account_without_an_active_membership_is_refused(
    client: Client, world: World
) -> None:
    Membership.objects.filter(user=world.user("counter_b")).update(is_active=False)

    assert _post_login(client, "counter_b").status_code == 403


def test_a_citizen_session_from_the_portal_does_not_open_the_back_office(
    client: Client, world: World
) -> None:
    client.force_login(world.user("counter_a"))  # logged in elsewhere (e.g. the admin)

    response = client.get(HOME)

    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_login_is_throttled(client: Client, world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "login": "3/minute",
        },
    }
    for _ in range(3):
        assert _post_login(client, "counter_a", "wrong").status_code == 200

    refused = _post_login(client, "counter_a")  # even the right password

    assert refused.status_code == 429
    assert "quá nhiều lần" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_leader_without_a_device_must_enrol_before_anything_else(
    client: Client, world: World
) -> None:
    leader = world.user("leader_xd")

    response = _post_login(client, "leader_xd")

    assert response.status_code == 302
    assert response.url == ENROL
    assert "_auth_user_id" not in client.session  # not logged in before the code
    assert client.get(HOME).status_code == 302
    page = client.get(ENROL)
    assert page.status_code == 200
    secret = client.session["backoffice_enrol_secret"]
    assert " ".join(secret[i : i + 4] for i in range(0, 32, 4)) in page.content.decode().replace(
        "<span>", ""
    ).replace("</span>", "")
    assert "<svg" in page.content.decode()  # the QR code

    bad = client.post(
        ENROL, {"code": "000000" if current_code_for(secret) != "000000" else "111111"}
    )
    assert bad.status_code == 200
    assert not TotpDevice.objects.filter(user=leader).exists()

    done = client.post(ENROL, {"code": current_code_for(secret)})

    assert done.status_code == 302
    assert done.url == HOME
    assert TotpDevice.objects.get(user=leader).secret == secret
    assert client.get(HOME).status_code == 200


def current_code_for(secret: str) -> str:
    return totp.totp(totp.decode_secret(secret), time.time())


def test_an_administrator_must_enrol_too(client: Client, world: World) -> None:
    Membership.objects.create(
        user=world.user("counter_b"), agency=world.desk_b, role=Role.ADMINISTRATOR
    )

    assert _post_login(client, "counter_b").url == ENROL


def test_an_enrolled_leader_gives_a_code_and_a_used_code_is_refused(world: World) -> None:
    device = enrol(world.user("leader_a"))
    code = current_code(device)
    first, second = Client(), Client()

    assert _post_login(first, "leader_a").url == VERIFY
    assert "_auth_user_id" not in first.session
    assert first.post(VERIFY, {"code": code}).url == HOME
    assert first.get(HOME).status_code == 200

    assert _post_login(second, "leader_a").url == VERIFY
    replay = second.post(VERIFY, {"code": code})

    assert replay.status_code == 200
    assert "đã được dùng" in replay.content.decode()
    assert "_auth_user_id" not in second.session


def test_a_code_of_the_previous_step_is_accepted_two_steps_back_is_not(world: World) -> None:
    device = enrol(world.user("leader_a"))
    now = time.time()
    key = totp.decode_secret(device.secret)
    old = totp.totp(key, now - 2 * totp.STEP_SECONDS)
    previous = totp.totp(key, now - totp.STEP_SECONDS)

    assert not totp_code_accept(user=device.user, code=old, unix_time=now)
    assert totp_code_accept(user=device.user, code=previous, unix_time=now)
    # Once a step is used, neither it nor an earlier one passes again.
    assert not totp_code_accept(user=device.user, code=previous, unix_time=now)


def test_enrolment_code_cannot_be_replayed_at_login(world: World) -> None:
    user = world.user("specialist_a")
    secret = totp.new_secret()
    now = time.time()
    code = totp.totp(totp.decode_secret(secret), now)

    assert totp_device_confirm(user=user, secret=secret, code=code, unix_time=now) is not None
    assert not totp_code_accept(user=user, code=code, unix_time=now)


def test_optional_enrolment_from_the_shell_then_login_asks_for_the_code(
    client: Client, world: World
) -> None:
    office_login(client, world.user("specialist_a"))
    assert client.get(ENROL).status_code == 200
    secret = client.session["backoffice_enrol_secret"]

    assert client.post(ENROL, {"code": current_code_for(secret)}).url == HOME

    client.post("/can-bo/dang-xuat/")
    assert _post_login(client, "specialist_a").url == VERIFY


def test_the_verification_step_expires(client: Client, world: World, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    device = enrol(world.user("leader_a"))
    _post_login(client, "leader_a")
    later = time.time() + 301
    monkeypatch.setattr("motcua.backoffice.access.time.time", lambda: later)

    response = client.post(VERIFY, {"code": current_code(device)})

    assert response.status_code == 302
    assert response.url == LOGIN
    assert "_auth_user_id" not in client.session


def test_next_is_followed_only_within_the_site(client: Client, world: World) -> None:
    response = client.post(
        LOGIN + "?next=https://evil.example/",
        {"username": "counter_a", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.url == HOME


def test_the_login_page_sends_a_logged_in_officer_on(client: Client, world: World) -> None:
    office_login(client, world.user("counter_a"))

    response = client.get(LOGIN)

    assert response.status_code == 302
    assert response.url == HOME


def test_logout_needs_post_and_ends_the_session(client: Client, world: World) -> None:
    office_login(client, world.user("counter_a"))

    assert client.get("/can-bo/dang-xuat/").status_code == 405
    client.post("/can-bo/dang-xuat/")

    assert client.get(HOME).status_code == 302


def test_admin_lists_devices_without_their_secret_and_can_reset_one(
    client: Client, world: World
) -> None:
    device = enrol(world.user("leader_a"))
    admin_user = User.objects.create_superuser("quantri", password=PASSWORD)
    admin_login(client, admin_user)

    page = client.get(f"/admin/accounts/totpdevice/{device.pk}/change/").content.decode()
    assert device.secret not in page
    client.post(f"/admin/accounts/totpdevice/{device.pk}/delete/", {"post": "yes"})

    assert not TotpDevice.objects.filter(pk=device.pk).exists()
    # The leader enrols again at the next login.
    assert _post_login(Client(), "leader_a").url == ENROL
