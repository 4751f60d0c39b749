"""Token login of API.md: POST /api/v1/auth/token/, then Authorization: Bearer <token>."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from motcua.accounts.authentication import BearerTokenAuthentication
from motcua.accounts.models import ApiToken, User

VN = ZoneInfo("Asia/Ho_Chi_Minh")

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/token/"


@pytest.fixture
def officer() -> User:
    return User.objects.create_user(username="tiepnhan", password="motcua-demo", kind="staff")


def login(client, username: str = "tiepnhan", password: str = "motcua-demo"):
    return client.post(
        URL, {"username": username, "password": password}, content_type="application/json"
    )


def test_login_returns_a_token_and_its_expiry(client, officer: User) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 26, 9, 0, tzinfo=VN), tick=False):
        response = login(client)
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"token", "expires_at"}
    assert body["expires_at"] == "2026-11-26T21:00:00+07:00"  # 12 hours later, in Vietnam time
    stored = ApiToken.objects.get()
    assert stored.key_hash != body["token"]  # only the hash is kept
    assert body["token"].startswith(stored.prefix)


def test_the_token_authenticates_api_requests(client, officer: User) -> None:
    token = login(client).json()["token"]
    request = APIRequestFactory().get("/api/v1/procedures/", HTTP_AUTHORIZATION=f"Bearer {token}")

    user, auth = BearerTokenAuthentication().authenticate(Request(request))
    assert user == officer
    assert auth.user == officer


@pytest.mark.parametrize(
    ("username", "password"),
    [("tiepnhan", "wrong"), ("nobody", "motcua-demo"), ("", "")],
)
def test_bad_credentials_are_refused_without_saying_which_part(
    client, officer: User, username, password
) -> None:
    response = login(client, username, password)
    if username == "":
        assert response.status_code == 400
        assert set(response.json()["errors"]) == {"username", "password"}
    else:
        assert response.status_code == 401
        assert response.json()["code"] == "invalid_credentials"
    assert ApiToken.objects.count() == 0


def test_inactive_accounts_cannot_log_in(client, officer: User) -> None:
    officer.is_active = False
    officer.save()
    assert login(client).status_code == 401
    assert ApiToken.objects.count() == 0


def test_expired_and_revoked_tokens_are_refused(client, officer: User) -> None:
    token = login(client).json()["token"]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    logout = client.delete(URL, **headers)
    assert logout.status_code == 204
    again = client.delete(URL, **headers)
    assert again.status_code == 401
    assert again.json()["code"] == "authentication_failed"
    assert again["WWW-Authenticate"] == 'Bearer realm="api"'

    token2 = login(client).json()["token"]
    with time_machine.travel(dt.timedelta(hours=13)):
        expired = client.delete(URL, HTTP_AUTHORIZATION=f"Bearer {token2}")
    assert expired.status_code == 401


def test_logout_without_a_token_is_401(client) -> None:
    response = client.delete(URL)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_login_is_throttled(client, officer: User, settings) -> None:
    cache.clear()
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login": "3/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    statuses = [login(client, password="wrong").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    throttled = login(client)
    assert throttled.status_code == 429
    assert throttled.json()["code"] == "throttled"
    assert "Retry-After" in throttled
    assert ApiToken.objects.count() == 0
    cache.clear()


def test_successful_logins_do_not_spend_the_login_budget(client, officer: User, settings) -> None:
    # Given a login budget of 3 failures a minute and several accounts on one client
    cache.clear()
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login": "3/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    for name in ("chuyenvien", "lanhdao", "giamsat"):
        User.objects.create_user(username=name, password="motcua-demo", kind="staff")
    # When the client logs in six times with the right passwords, then fails twice
    ok = [login(client, username=u).status_code for u in ["tiepnhan", "chuyenvien", "lanhdao"] * 2]
    failed = [login(client, password="wrong").status_code for _ in range(2)]
    # Then every login succeeded and the failures are still answered (budget not yet spent)
    assert ok == [201] * 6
    assert failed == [401, 401]
    assert ApiToken.objects.count() == 6
    # And the third failure spends it: the next request, even with the right password, is 429
    assert login(client, password="wrong").status_code == 401
    assert login(client, username="giamsat").status_code == 429
    assert ApiToken.objects.count() == 6
    cache.clear()


def test_logout_is_never_throttled(client, officer: User, settings) -> None:
    # Given a token, then a spent login budget
    cache.clear()
    token = login(client).json()["token"]
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login": "1/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    assert login(client, password="wrong").status_code == 401
    assert login(client).status_code == 429
    # When the client logs out
    response = client.delete(URL, HTTP_AUTHORIZATION=f"Bearer {token}")
    # Then the token is revoked
    assert response.status_code == 204
    assert ApiToken.objects.get().revoked_at is not None
    cache.clear()
