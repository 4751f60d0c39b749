"""`Authorization: Bearer <token>` for the API."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from motcua.core.compiled import CompiledQuery

from .models import ApiToken, User
from .services import hash_token


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Malformed Authorization header.")
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed("Malformed token.") from exc
        token = _valid_token(hash_token(raw))
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid or expired token.")
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'


_TOKEN_FIELDS = tuple(f.attname for f in ApiToken._meta.concrete_fields)
_USER_FIELDS = tuple(f.attname for f in User._meta.concrete_fields)

# Every API request starts here: one query, compiled once (core.compiled).
_TOKEN_WITH_USER = CompiledQuery(
    lambda key_hash: (
        ApiToken.objects.filter(key_hash=key_hash)
        .order_by()
        .values(*_TOKEN_FIELDS, *(f"user__{name}" for name in _USER_FIELDS))[:1]
    ),
    columns=(*_TOKEN_FIELDS, *(f"user__{name}" for name in _USER_FIELDS)),
    params=("key_hash",),
)


def _valid_token(key_hash: str) -> ApiToken | None:
    """The unrevoked, unexpired token with this hash (unique), its user loaded, or None."""
    row = _TOKEN_WITH_USER.first_row(key_hash=key_hash)
    if row is None:
        return None
    split = len(_TOKEN_FIELDS)
    token = ApiToken.from_db("default", _TOKEN_FIELDS, row[:split])
    if token.revoked_at is not None or token.expires_at <= timezone.now():
        return None
    token.user = User.from_db("default", _USER_FIELDS, row[split:])
    return token
