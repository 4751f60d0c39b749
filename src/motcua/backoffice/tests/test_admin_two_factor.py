"""Two-factor beyond the back office's pages (ADR 0007): the Django admin admits only a session
that logged in through the back office with a TOTP code; the API's token endpoint asks an
``otp`` of leaders and administrators, and of nobody else."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client

from motcua.accounts import totp
from motcua.accounts.constants import Role
from motcua.accounts.models import ApiToken, Membership, TotpDevice, User
from motcua.dossiers.tests.conftest import PASSWORD, World

from .conftest import current_code, enrol, office_login

pytestmark = pytest.mark.django_db

LOGIN = "/can-bo/dang-nhap/"
VERIFY = "/can-bo/dang-nhap/ma-xac-thuc/"
ENROL = "/can-bo/xac-thuc-hai-buoc/"
TOKEN = "/api/v1/auth/token/"


@pytest.fixture
def administrator(world: World) -> User:
    """An administrator of the province who may use the Django admin."""
    user = User.objects.create_user(
        username="quantri", password=PASSWORD, kind="staff", is_staff=True, is_superuser=True
    )
    Membership.objects.create(user=user, agency=world.province, role=Role.ADMINISTRATOR)
    return user


# --- the Django admin ---------------------------------------------------------------------


def test_the_admin_sends_its_login_to_the_back_office_and_takes_no_password(
    client: Client, administrator: User
) -> None:
    # when someone opens the admin, or posts a right password to the admin's own login form
    opened = client.get("/admin/")
    form = client.get("/admin/login/?next=/admin/accounts/user/")
    posted = client.post(
        "/admin/login/?next=/admin/", {"username": "quantri", "password": PASSWORD}
    )

    # then each is sent to the back office's login, with the way back, and nobody logged in
    assert opened.status_code == 302
    assert opened["Location"] == "/admin/login/?next=/admin/"
    assert form.status_code == 302
    assert form["Location"] == "/can-bo/dang-nhap/?next=%2Fadmin%2Faccounts%2Fuser%2F"
    assert posted.status_code == 302
    assert posted["Location"] == "/can-bo/dang-nhap/?next=%2Fadmin%2F"
    assert "_auth_user_id" not in client.session


def test_a_password_session_does_not_open_the_admin(client: Client, administrator: User) -> None:
    # given an administrator logged in with a password alone (as another login page would)
    client.force_login(administrator)

    # when they open the admin
    response = client.get("/admin/accounts/user/")

    # then they are sent to log in with a code; the back office's login asks for it again
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert client.get(LOGIN).status_code == 200  # the form, not a loop back to the admin


def test_the_back_office_login_with_a_code_opens_the_admin(
    client: Client, administrator: User
) -> None:
    # given the administrator's authenticator
    device = enrol(administrator)

    # when they log in at the back office, heading for the admin
    password = client.post(
        f"{LOGIN}?next=/admin/", {"username": "quantri", "password": PASSWORD, "next": "/admin/"}
    )
    assert (password.status_code, password["Location"]) == (302, VERIFY)
    assert client.get("/admin/").status_code == 302  # not before the code
    code = client.post(VERIFY, {"code": current_code(device)})

    # then the code leads to the admin, which opens
    assert (code.status_code, code["Location"]) == (302, "/admin/")
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200


def test_an_admin_account_without_a_membership_logs_in_with_a_code_too(client: Client) -> None:
    # given a superuser made with createsuperuser: no role at any agency, no authenticator yet
    User.objects.create_superuser(username="root", password=PASSWORD)

    # when they log in at the back office for the admin
    response = client.post(LOGIN, {"username": "root", "password": PASSWORD, "next": "/admin/"})

    # then they must set up an authenticator first, and are not logged in before
    assert (response.status_code, response["Location"]) == (302, ENROL)
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302

    # and once its first code is given, the admin opens (the back office's pages do not)
    assert client.get(ENROL).status_code == 200
    secret = client.session["backoffice_enrol_secret"]
    code = totp.totp(totp.decode_secret(secret), time.time())
    enrolled = client.post(ENROL, {"code": code})
    assert (enrolled.status_code, enrolled["Location"]) == (302, "/admin/")
    assert client.get("/admin/").status_code == 200
    assert client.get("/can-bo/").status_code == 403  # no role at any agency


def test_admin_access_makes_the_code_mandatory_for_a_specialist(
    client: Client, world: World
) -> None:
    # given a specialist who was also given access to the admin
    specialist = world.user("specialist_a")
    specialist.is_staff = True
    specialist.save(update_fields=["is_staff"])

    # when they log in at the back office
    response = client.post(LOGIN, {"username": "specialist_a", "password": PASSWORD})

    # then they must enrol, like a leader
    assert (response.status_code, response["Location"]) == (302, ENROL)
    assert not TotpDevice.objects.filter(user=specialist).exists()


def test_someone_with_a_code_but_no_admin_access_is_told_so(client: Client, world: World) -> None:
    # given a leader logged in at the back office with a code, without admin access
    office_login(client, world.user("leader_a"))

    # when they open the admin
    response = client.get("/admin/", follow=True)

    # then a clear 403, not a round trip between the two logins
    assert response.status_code == 403
    assert "Không có quyền vào trang quản trị" in response.content.decode()


# --- the API's token ------------------------------------------------------------------------


def _token(client: Client, username: str, **extra: str) -> object:
    return client.post(
        TOKEN,
        {"username": username, "password": PASSWORD, **extra},
        content_type="application/json",
    )


def test_a_leader_needs_a_code_for_a_token(client: Client, world: World) -> None:
    # given a leader with an authenticator
    device = enrol(world.user("leader_a"))

    # when they ask for a token without a code, with a wrong one, then with the right one
    missing = _token(client, "leader_a")
    wrong_code = "000000" if current_code(device) != "000000" else "111111"
    wrong = _token(client, "leader_a", otp=wrong_code)
    refused = ApiToken.objects.count()
    code = current_code(device)
    right = _token(client, "leader_a", otp=code)
    replayed = _token(client, "leader_a", otp=code)

    # then only the right code, once, gives a token
    assert missing.status_code == 401  # type: ignore[attr-defined]
    assert missing.json()["code"] == "otp_required"  # type: ignore[attr-defined]
    assert missing.json()["errors"] == {  # type: ignore[attr-defined]
        "otp": ["Tài khoản này cần mã xác thực (trường otp) để nhận token."]
    }
    assert wrong.status_code == 401  # type: ignore[attr-defined]
    assert wrong.json()["code"] == "otp_invalid"  # type: ignore[attr-defined]
    assert refused == 0
    assert right.status_code == 201  # type: ignore[attr-defined]
    assert set(right.json()) == {"token", "expires_at"}  # type: ignore[attr-defined]
    assert replayed.status_code == 401  # type: ignore[attr-defined]
    assert replayed.json()["code"] == "otp_invalid"  # type: ignore[attr-defined]
    assert ApiToken.objects.filter(user=world.user("leader_a")).count() == 1


def test_a_leader_without_an_authenticator_gets_no_token(client: Client, world: World) -> None:
    response = _token(client, "leader_xd", otp="123456")

    assert response.status_code == 403  # type: ignore[attr-defined]
    assert response.json()["code"] == "otp_not_enrolled"  # type: ignore[attr-defined]
    assert not ApiToken.objects.exists()


def test_the_demo_setting_gives_leaders_a_token_for_the_password_alone(
    client: Client, world: World, settings: Any
) -> None:
    # Given the demo's settings (settings.dev): API.md's token login, password only
    settings.MOTCUA_API_TOKEN_REQUIRES_OTP = False

    response = _token(client, "leader_xd")

    assert response.status_code == 201  # type: ignore[attr-defined]
    assert ApiToken.objects.filter(user=world.user("leader_xd")).count() == 1


def test_the_demo_settings_module_relaxes_only_the_api_token() -> None:
    from motcua.settings import base, dev

    assert base.MOTCUA_API_TOKEN_REQUIRES_OTP is True
    assert dev.MOTCUA_API_TOKEN_REQUIRES_OTP is False


def test_a_wrong_password_is_refused_before_the_code_is_looked_at(
    client: Client, world: World
) -> None:
    enrol(world.user("leader_a"))

    response = client.post(
        TOKEN, {"username": "leader_a", "password": "sai"}, content_type="application/json"
    )

    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"  # nothing said about a code
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("username", ["counter_a", "specialist_a", "supervisor", "citizen"])
def test_citizens_and_other_staff_need_no_code(client: Client, world: World, username: str) -> None:
    # an otp sent by such an account is ignored, not checked
    assert _token(client, username).status_code == 201  # type: ignore[attr-defined]
    assert _token(client, username, otp="garbage").status_code == 201  # type: ignore[attr-defined]
    assert ApiToken.objects.filter(user=world.user(username)).count() == 2


def test_the_schema_documents_the_otp_field() -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    fields = schema["components"]["schemas"]["TokenRequestRequest"]["properties"]
    assert set(fields) == {"username", "password", "otp"}
    assert "otp_required" in fields["otp"]["description"]
    assert sorted(schema["components"]["schemas"]["TokenRequestRequest"]["required"]) == [
        "password",
        "username",
    ]
