"""Deployment checks (``manage.py check --deploy``) of the payments app."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

DEMO_SECRET = "demo-payment-secret-not-for-production"  # noqa: S105  (the default, refused)


@register(Tags.security, deploy=True)
def check_gateway_secret(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    secret = str(getattr(settings, "MOTCUA_PAYMENT_SECRET", ""))
    if secret == DEMO_SECRET or len(secret) < 16:
        return [
            Warning(
                "MOTCUA_PAYMENT_SECRET is the demo secret (or too short): anyone could sign a "
                "payment notification and mark a dossier paid.",
                hint="Set MOTCUA_PAYMENT_SECRET to the secret the payment gateway gave you.",
                id="payments.W001",
            )
        ]
    return []
