"""Channel settings: Django settings first, then the environment, then defaults for the demo
(the local fake servers of ``manage.py notifications_fake_server``)."""

from __future__ import annotations

import os

from django.conf import settings


def setting(name: str, default: str) -> str:
    value = getattr(settings, name, None)
    if value is None:
        return os.environ.get(name, default)
    return str(value)


def sms_url() -> str:
    return setting("MOTCUA_SMS_GATEWAY_URL", "http://127.0.0.1:8701/sms")


def sms_api_key() -> str:
    return setting("MOTCUA_SMS_API_KEY", "demo-sms-key")


def sms_sender() -> str:
    return setting("MOTCUA_SMS_SENDER", "MOTCUA")


def zalo_url() -> str:
    return setting("MOTCUA_ZALO_API_URL", "http://127.0.0.1:8702/message/template")


def zalo_access_token() -> str:
    return setting("MOTCUA_ZALO_ACCESS_TOKEN", "demo-zalo-token")


def http_timeout() -> float:
    """Seconds to wait for a gateway; well below the outbox lease (300 s)."""
    return float(setting("MOTCUA_NOTIFY_HTTP_TIMEOUT", "10"))


def public_url() -> str:
    return str(getattr(settings, "MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000")).rstrip("/")
