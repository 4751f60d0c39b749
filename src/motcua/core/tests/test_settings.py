"""Production settings pass Django's deployment checklist with no warnings."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]


def _run_check(extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "motcua.settings.production",
            "DJANGO_SECRET_KEY": "x7!" + "k2Lq9vZr4Tm8Wn1Yb6Hc3Pd5Gs0Jf" * 3,
            "DJANGO_ALLOWED_HOSTS": "dichvucong.example.vn",
            "MOTCUA_PAYMENT_SECRET": "Q7wz" + "payment-gateway-secret" * 2,
            **extra_env,
        }
    )
    return subprocess.run(  # noqa: S603 - fixed argv, our own manage.py
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy_without_warnings() -> None:
    result = _run_check({})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_check_warns_about_the_demo_payment_secret() -> None:
    result = _run_check({"MOTCUA_PAYMENT_SECRET": "demo-payment-secret-not-for-production"})
    assert result.returncode != 0
    assert "payments.W001" in result.stdout + result.stderr


def test_production_settings_refuse_the_development_secret_key() -> None:
    result = _run_check({"DJANGO_SECRET_KEY": "insecure-dev-key-change-me-in-production"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("module", ["motcua.settings.dev", "motcua.settings.test"])
def test_embedded_settings_default_to_sqlite_and_vietnamese(module: str) -> None:
    code = (
        "import django, os; from django.conf import settings; django.setup(); "
        "print(settings.DATABASES['default']['ENGINE'], settings.LANGUAGE_CODE, settings.TIME_ZONE)"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env["DJANGO_SETTINGS_MODULE"] = module
    env["PYTHONPATH"] = str(ROOT / "src")
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    assert out.stdout.split() == ["django.db.backends.sqlite3", "vi", "Asia/Ho_Chi_Minh"]


@pytest.mark.parametrize(("checks", "expected"), [(None, "False"), ("true", "True")])
def test_database_url_selects_postgresql(checks: str | None, expected: str) -> None:
    code = (
        "import django; from django.conf import settings; d = settings.DATABASES['default'];"
        " print(d['ENGINE'], d['CONN_HEALTH_CHECKS'], d['OPTIONS'].get('prepare_threshold'))"
    )
    env = dict(os.environ)
    env.pop("DATABASE_CONN_HEALTH_CHECKS", None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "motcua.settings.dev",
            "PYTHONPATH": str(ROOT / "src"),
            "DATABASE_URL": "postgres://motcua@db.internal:5432/motcua",
        }
    )
    if checks is not None:
        env["DATABASE_CONN_HEALTH_CHECKS"] = checks
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    # Server-side binding with prepared statements unless turned off.
    assert out.stdout.strip() == f"django.db.backends.postgresql {expected} 5"


def test_embedded_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    code = (
        "import django; django.setup(); from django.db import connection; "
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]); "
        "c.execute('PRAGMA foreign_keys'); print(c.fetchone()[0])"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "motcua.settings.dev",
            "PYTHONPATH": str(ROOT / "src"),
            "SQLITE_PATH": str(tmp_path / "motcua.sqlite3"),
        }
    )
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    assert out.stdout.split() == ["wal", "1"]


@pytest.mark.parametrize("bucket", [None, "motcua-ho-so"])
def test_a_bucket_name_moves_uploads_to_s3_compatible_storage(bucket: str | None) -> None:
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps(settings.STORAGES['default']))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["DJANGO_SETTINGS_MODULE"] = "motcua.settings.dev"
    env["PYTHONPATH"] = str(ROOT / "src")
    if bucket:
        env["AWS_STORAGE_BUCKET_NAME"] = bucket
        env["AWS_S3_ENDPOINT_URL"] = "https://s3.tinh.example.vn"
    out = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    storage = json.loads(out.stdout)
    if bucket is None:
        assert storage == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    else:
        assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
        assert storage["OPTIONS"] == {
            "bucket_name": "motcua-ho-so",
            "endpoint_url": "https://s3.tinh.example.vn",
            "region_name": None,
            "default_acl": None,
            "querystring_auth": True,  # downloads by signed, expiring links only
            "file_overwrite": False,  # a name already taken is never overwritten
        }
