"""`Authorization: Bearer <token>` for the API."""

from __future__ import annotations

from typing import Any

from django.db.models import FilteredRelation, Q
from django.utils import timezone
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from motcua.core.compiled import CompiledQuery

from .constants import MEMBERSHIPS
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

_MEMBERSHIP_FIELDS = ("active__agency_id", "active__role", "active__agency__path")

# Every API request starts here: one query, compiled once (core.compiled), which also brings the
# user's active memberships (one row each; one row with NULLs when there are none), since nearly
# every request then asks what the caller may see.
_TOKEN_WITH_USER = CompiledQuery(
    lambda key_hash: (
        ApiToken.objects.filter(key_hash=key_hash)
        .order_by()
        .annotate(
            active=FilteredRelation(
                "user__memberships", condition=Q(user__memberships__is_active=True)
            )
        )
        .values(*_TOKEN_FIELDS, *(f"user__{name}" for name in _USER_FIELDS), *_MEMBERSHIP_FIELDS)
    ),
    params=("key_hash",),
)
_USER_END = len(_TOKEN_FIELDS) + len(_USER_FIELDS)


def _valid_token(key_hash: str) -> ApiToken | None:
    """The unrevoked, unexpired token with this hash (unique), its user loaded with their active
    memberships (``MEMBERSHIPS``), or None."""
    rows = _TOKEN_WITH_USER.rows(key_hash=key_hash)
    if not rows:
        return None
    row = rows[0]
    split = len(_TOKEN_FIELDS)
    token = ApiToken.from_db("default", _TOKEN_FIELDS, row[:split])
    if token.revoked_at is not None or token.expires_at <= timezone.now():
        return None
    user = User.from_db("default", _USER_FIELDS, row[split:_USER_END])
    user.__dict__[MEMBERSHIPS] = tuple(
        membership for r in rows if (membership := r[_USER_END:])[0] is not None
    )
    token.user = user
    return token
