"""Writes about accounts: API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from .exceptions import InvalidCredentials
from .models import ApiToken, User


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_issue(
    *, username: str, password: str, request: HttpRequest | None = None
) -> tuple[str, ApiToken]:
    """Check the credentials and issue a bearer token; returns (the token, its record).

    The same error for an unknown user, a wrong password and an inactive account, so the
    endpoint does not tell which usernames exist.
    """
    user = authenticate(request, username=username, password=password)
    if not isinstance(user, User) or not user.is_active:
        raise InvalidCredentials("Tên đăng nhập hoặc mật khẩu không đúng.")
    raw = secrets.token_urlsafe(32)
    ttl = dt.timedelta(hours=settings.MOTCUA_API_TOKEN_TTL_HOURS)
    token = ApiToken.objects.create(
        user=user, key_hash=hash_token(raw), prefix=raw[:8], expires_at=timezone.now() + ttl
    )
    # Expired tokens of this user serve no purpose: drop them while we are here.
    ApiToken.objects.filter(user=user, expires_at__lt=timezone.now()).delete()
    return raw, token


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke a token (logout); it stops working at once."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
