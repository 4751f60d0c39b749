"""`POST /api/v1/auth/token/`: exchange a username and password for a bearer token."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.core import ratelimit
from motcua.core.api.throttles import FailureThrottle
from motcua.core.exceptions import ApplicationError

from .authentication import BearerTokenAuthentication
from .models import ApiToken
from .services import api_second_factor_check, api_token_issue, api_token_revoke


class TokenRequestSerializer(serializers.Serializer[dict[str, Any]]):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False)
    otp = serializers.CharField(
        max_length=12,
        required=False,
        allow_blank=True,
        default="",
        help_text=(
            "The current 6-digit code of the account's authenticator app (TOTP, RFC 6238), each "
            "code accepted once. Required for accounts that must use two-factor login (leaders, "
            "administrators, Django-admin accounts): without it the answer is 401 with code "
            "`otp_required`, a wrong or reused one 401 `otp_invalid`, an account without an "
            "authenticator yet 403 `otp_not_enrolled` (set it up at the back office's login). "
            "Ignored for everyone else."
        ),
    )


class TokenSerializer(serializers.Serializer[dict[str, Any]]):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


class TokenApi(APIView):
    """Log in: `{"username", "password"}` (and `"otp"` for accounts that must use two-factor
    login) → `{"token", "expires_at"}`; send `Authorization: Bearer <token>`."""

    authentication_classes = (BearerTokenAuthentication,)
    # Failed logins only (wrong password or code): a client may log in as many accounts as it
    # has, while guessing is cut off after the `login` rate's number of failures (ADR 0013).
    throttle_classes = (FailureThrottle,)
    throttle_scope = "login"
    serializer_class = TokenRequestSerializer

    def get_throttles(self) -> list[Any]:
        # Logging out cannot fail: never refused.
        return [] if self.request.method == "DELETE" else super().get_throttles()

    def get_permissions(self) -> list[Any]:
        # Logging in needs no credentials; logging out needs the token being revoked.
        return [IsAuthenticated()] if self.request.method == "DELETE" else [AllowAny()]

    @extend_schema(
        tags=["auth"],
        request=TokenRequestSerializer,
        responses={201: TokenSerializer, 400: None, 401: None, 403: None, 429: None},
        description=(
            "Log in with a username and password. Accounts that must use two-factor login "
            "(leaders, administrators) also send `otp`, their authenticator app's current code. "
            "Failed attempts are limited per client (429 once spent); successful ones are not."
        ),
    )
    def post(self, request: Request) -> Response:
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        otp = str(fields.pop("otp", ""))
        try:
            raw, token = api_token_issue(
                **fields,
                request=request._request,
                second_factor=lambda user: api_second_factor_check(user=user, otp=otp),
            )
        except ApplicationError as error:
            if error.status == status.HTTP_401_UNAUTHORIZED:
                ratelimit.record(request._request, self.throttle_scope)
            raise
        return Response(
            TokenSerializer({"token": raw, "expires_at": token.expires_at}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        tags=["auth"],
        request=None,
        responses={204: None},
        description="Log out: revoke the bearer token used for this request.",
    )
    def delete(self, request: Request) -> Response:
        if isinstance(request.auth, ApiToken):
            api_token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)
