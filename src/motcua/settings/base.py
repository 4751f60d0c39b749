"""Settings shared by every environment.

Everything comes from environment variables with defaults that make the embedded mode
(SQLite under ``var/``, files on local disk) work untouched. See README "Configuration".
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent  # src/motcua
PROJECT_DIR = BASE_DIR.parent.parent  # repository root
VAR_DIR = Path(os.environ.get("MOTCUA_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-dev-key-change-me-in-production")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "motcua.backoffice.admin_apps.StaffAdminConfig",  # django.contrib.admin behind 2FA
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "motcua.core",
    "motcua.accounts",
    "motcua.catalog",
    "motcua.worktime",
    "motcua.workflow",
    "motcua.dossiers",
    "motcua.outbox",
    "motcua.notifications",
    "motcua.payments",
    "motcua.reports",
    "motcua.portal",
    "motcua.backoffice",
    "motcua.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "motcua.core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "motcua.core.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# Default: embedded SQLite in WAL mode under var/. DATABASE_URL=postgres://... selects PostgreSQL.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
            # A SELECT 1 before each request's first query; off by default (Django's default):
            # after a database restart one request per worker fails, then it reconnects.
            conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", False),
        )
    }
    if env_bool("DATABASE_PREPARED_STATEMENTS", True) and DATABASES["default"]["ENGINE"].endswith(
        "postgresql"
    ):
        # Parameters bound by the server, and a statement run five times on a connection
        # prepared there: PostgreSQL then skips parsing and planning, most of its CPU for the
        # short queries a request makes. Turn off behind a transaction-mode pooler that cannot
        # keep prepared statements (PgBouncer before 1.21).
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {"server_side_binding": True, "prepare_threshold": 5}
        )
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "motcua.sqlite3")),
            "OPTIONS": {
                # WAL lets readers proceed while one writer commits; IMMEDIATE avoids
                # "database is locked" upgrades inside write transactions.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",  # username: staff, the API, the admin
    "motcua.accounts.backends.PhoneOrEmailBackend",  # citizens: phone or email
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dossiers"
PASSWORD_RESET_TIMEOUT = int(os.environ.get("MOTCUA_PASSWORD_RESET_SECONDS", str(24 * 3600)))
# How people may log in (accounts/identity.py; docs/adr/0006-identity-providers.md).
MOTCUA_IDENTITY_PROVIDERS = env_list(
    "MOTCUA_IDENTITY_PROVIDERS", "motcua.accounts.identity.PasswordProvider"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "no-reply@localhost")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
FORMAT_MODULE_PATH = ["motcua.formats"]
USE_TZ = True

# --- Static and media files -----------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT: Path | None = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    # S3-compatible object storage for uploaded files (requires `pip install django-storages[s3]`).
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# --- Caches ---------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background work ------------------------------------------------------------------------
# Django's Tasks API (the django-tasks backport) with the database backend: no broker to run.
# Workers: `manage.py db_worker` (started by `make demo`).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "motcua.core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_RENDERER_CLASSES": ["motcua.core.api.renderers.UTF8JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "motcua.accounts.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "EXCEPTION_HANDLER": "motcua.core.api.errors.problem_exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("MOTCUA_THROTTLE_ANON", "600/minute"),
        "user": os.environ.get("MOTCUA_THROTTLE_USER", "3000/minute"),
        "login": os.environ.get("MOTCUA_THROTTLE_LOGIN", "10/minute"),
        "tracking": os.environ.get("MOTCUA_THROTTLE_TRACKING", "60/minute"),
    },
    "DATETIME_FORMAT": "iso-8601",
    # How many of our own proxies stand in front: X-Forwarded-For is believed that far only.
    "NUM_PROXIES": int(os.environ.get("MOTCUA_NUM_PROXIES", "0")),
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "motcua API",
    "DESCRIPTION": (
        "HTTP API of motcua, the one-stop system for administrative procedures. "
        "Errors are RFC 9457 problem details (application/problem+json)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SORT_OPERATIONS": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "DeliveryEnum": "motcua.dossiers.constants.Delivery",
        "DossierStatusEnum": "motcua.dossiers.constants.Status",
        "ChannelEnum": "motcua.dossiers.constants.Channel",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "motcua.core.api.schema.add_problem_responses",
    ],
}

# --- motcua ---------------------------------------------------------------------------------
MOTCUA_SITE_NAME = os.environ.get("MOTCUA_SITE_NAME", "Cổng dịch vụ công tỉnh Vĩnh Long")
MOTCUA_SERVICE_CENTER_NAME = os.environ.get(
    "MOTCUA_SERVICE_CENTER_NAME", "Trung tâm Phục vụ hành chính công tỉnh Vĩnh Long"
)
MOTCUA_PUBLIC_URL = os.environ.get("MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000")
MOTCUA_API_TOKEN_TTL_HOURS = int(os.environ.get("MOTCUA_API_TOKEN_TTL_HOURS", "12"))
# Leaders and administrators send their authenticator's code (`otp`) for an API token (ADR 0007).
MOTCUA_API_TOKEN_REQUIRES_OTP = env_bool("MOTCUA_API_TOKEN_REQUIRES_OTP", True)
MOTCUA_UPLOAD_MAX_BYTES = int(os.environ.get("MOTCUA_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))

# Online payment (payments.gateway): a VNPay-style gateway. The defaults point at the local
# simulator (`manage.py payment_gateway_simulator --port 8010`) with a demo secret; production
# sets the gateway's merchant code, secret and URLs.
MOTCUA_PAYMENT_GATEWAY = os.environ.get("MOTCUA_PAYMENT_GATEWAY", "vnpay")
MOTCUA_PAYMENT_MERCHANT_CODE = os.environ.get("MOTCUA_PAYMENT_MERCHANT_CODE", "MOTCUA01")
MOTCUA_PAYMENT_SECRET = os.environ.get(
    "MOTCUA_PAYMENT_SECRET", "demo-payment-secret-not-for-production"
)
MOTCUA_PAYMENT_PAY_URL = os.environ.get(
    "MOTCUA_PAYMENT_PAY_URL", "http://127.0.0.1:8010/paymentv2/vpcpay.html"
)
MOTCUA_PAYMENT_RETURN_URL = os.environ.get(
    "MOTCUA_PAYMENT_RETURN_URL", f"{MOTCUA_PUBLIC_URL}/thanh-toan/ket-qua/"
)
MOTCUA_PAYMENT_IPN_URL = os.environ.get(
    "MOTCUA_PAYMENT_IPN_URL", f"{MOTCUA_PUBLIC_URL}/api/v1/payments/ipn/vnpay/"
)
MOTCUA_PAYMENT_EXPIRE_MINUTES = int(os.environ.get("MOTCUA_PAYMENT_EXPIRE_MINUTES", "15"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # One line per task run and state is too much beside the web server's log; failures
        # are still logged (and kept on the task and outbox rows).
        "django_tasks": {"level": os.environ.get("TASKS_LOG_LEVEL", "WARNING")},
    },
}
