"""The identity-provider registry: the login flows work with any provider that follows the
interface. A redirect provider (the shape of OIDC) is exercised with a test double defined here;
no such provider ships with motcua yet (docs/adr/0006-identity-providers.md)."""

import secrets
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.test import Client

from motcua.accounts import identity
from motcua.accounts.identity import (
    IdentityError,
    PasswordProvider,
    RedirectProvider,
    VerifiedIdentity,
)
from motcua.accounts.models import ExternalIdentity, User

pytestmark = pytest.mark.django_db


class StateCheckingProvider(RedirectProvider):
    """Test double of an OIDC provider: "logs the person in" by echoing a subject back, and
    checks the state it kept in the session, as a real one must."""

    key = "thu-nghiem"
    label = "Định danh thử nghiệm"

    def begin(self, request: HttpRequest, *, callback_url: str) -> HttpResponse:
        state = secrets.token_urlsafe(16)
        request.session["test_state"] = state
        return HttpResponseRedirect(f"{callback_url}?{urlencode({'state': state, 'sub': 'S-1'})}")

    def complete(self, request: HttpRequest) -> VerifiedIdentity:
        expected = request.session.pop("test_state", None)
        if not expected or request.GET.get("state") != expected:
            raise IdentityError("state")
        return VerifiedIdentity(provider=self.key, subject=request.GET["sub"], full_name="Lê Na")


@pytest.fixture
def with_test_provider(settings) -> Iterator[None]:
    settings.MOTCUA_IDENTITY_PROVIDERS = [
        "motcua.accounts.identity.PasswordProvider",
        f"{__name__}.StateCheckingProvider",
    ]
    identity.reset_registry()
    yield
    identity.reset_registry()


def test_the_default_configuration_has_the_password_provider_only() -> None:
    identity.reset_registry()
    assert [type(p) for p in identity.providers()] == [PasswordProvider]
    assert identity.provider_get("password") is identity.providers()[0]
    assert identity.provider_get("vneid") is None


def test_two_providers_cannot_share_a_key(settings) -> None:
    settings.MOTCUA_IDENTITY_PROVIDERS = ["motcua.accounts.identity.PasswordProvider"] * 2
    identity.reset_registry()
    with pytest.raises(ValueError, match="password"):
        identity.providers()
    identity.reset_registry()


def test_a_configured_redirect_provider_gets_a_button_on_the_login_page(
    client: Client, with_test_provider: None
) -> None:
    html = client.get("/tai-khoan/dang-nhap/").content.decode()
    assert 'action="/tai-khoan/dang-nhap/thu-nghiem/"' in html
    assert "Đăng nhập bằng Định danh thử nghiệm" in html
    assert 'name="identifier"' in html  # the password form is still there


def test_the_login_flows_log_in_through_a_redirect_provider(
    client: Client, with_test_provider: None
) -> None:
    start = client.post("/tai-khoan/dang-nhap/thu-nghiem/", {"next": "/tai-khoan/"})
    assert start.status_code == 302
    assert start["Location"].startswith(
        "http://testserver/tai-khoan/dang-nhap/thu-nghiem/xac-thuc/"
    )

    back = client.get(start["Location"])

    assert back["Location"] == "/tai-khoan/"
    link = ExternalIdentity.objects.get(provider="thu-nghiem", subject="S-1")
    assert link.user.full_name == "Lê Na"
    assert client.session["_auth_user_id"] == str(link.user.pk)


def test_an_answer_the_provider_cannot_vouch_for_logs_nobody_in(
    client: Client, with_test_provider: None
) -> None:
    response = client.get("/tai-khoan/dang-nhap/thu-nghiem/xac-thuc/?state=forged&sub=S-1")
    assert response.status_code == 400
    assert "Không đăng nhập được" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == 0


def test_unknown_providers_and_the_wrong_kind_are_refused(
    client: Client, with_test_provider: None
) -> None:
    assert client.post("/tai-khoan/dang-nhap/vneid/").status_code == 400
    assert client.post("/tai-khoan/dang-nhap/password/").status_code == 400  # not a redirect
    assert client.get("/tai-khoan/dang-nhap/thu-nghiem/").status_code == 405
    forged = client.post("/tai-khoan/dang-nhap/", {"provider": "thu-nghiem"})
    assert forged.status_code == 400  # not a form provider
