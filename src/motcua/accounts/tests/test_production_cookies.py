"""In production the session and CSRF cookies go over HTTPS only, and scripts cannot read the
session cookie."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]


def test_production_session_cookie_is_secure_and_http_only() -> None:
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY, "
        "settings.CSRF_COOKIE_SECURE, settings.LOGIN_URL)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "motcua.settings.production",
            "DJANGO_SECRET_KEY": "x7!" + "k2Lq9vZr4Tm8Wn1Yb6Hc3Pd5Gs0Jf" * 3,
            "DJANGO_ALLOWED_HOSTS": "dichvucong.example.vn",
            "PYTHONPATH": str(ROOT / "src"),
        }
    )
    result = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "accounts:login"]


@pytest.mark.django_db
def test_the_session_cookie_sent_after_login_is_http_only(client, settings) -> None:
    from motcua.dossiers.tests.factories import UserFactory

    UserFactory(phone="0912345678")
    response = client.post(
        "/tai-khoan/dang-nhap/",
        {"provider": "password", "identifier": "0912345678", "password": "motcua-test"},
    )
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
