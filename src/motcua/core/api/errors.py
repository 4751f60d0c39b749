"""One exception handler that turns every error into RFC 9457 problem details."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from motcua.core.exceptions import ApplicationError

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "https://motcua.dev/problems/"

_DRF_CODES = {
    exceptions.ParseError: "parse_error",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
    exceptions.ValidationError: "invalid",
}


def problem(
    *,
    status_code: int,
    code: str,
    title: str,
    detail: str = "",
    errors: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": TYPE_BASE + code,
        "title": title,
        "status": status_code,
        "detail": detail or title,
        "code": code,
    }
    if errors:
        body["errors"] = errors
    if extra:
        body.update(extra)
    response = Response(body, status=status_code, headers=headers)
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def _flatten(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            if isinstance(value, dict):
                for sub, msgs in _flatten(value).items():
                    out[f"{key}.{sub}"] = msgs
            elif isinstance(value, list):
                out[str(key)] = [str(v) for v in value if not isinstance(v, dict)] or [
                    str(v) for v in value
                ]
            else:
                out[str(key)] = [str(value)]
        return out
    if isinstance(detail, list):
        return {"non_field_errors": [str(v) for v in detail]}
    return {"non_field_errors": [str(detail)]}


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        return problem(
            status_code=exc.status,
            code=exc.code,
            title=exc.title,
            detail=exc.message,
            errors=exc.errors or None,
            extra=exc.extra or None,
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=getattr(exc, "message_dict", None) or exc.messages)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response

    code = next((c for klass, c in _DRF_CODES.items() if isinstance(exc, klass)), None)
    code = code or (exc.default_code if isinstance(exc.default_code, str) else "error")
    headers = {
        k: v for k, v in response.items() if k in {"WWW-Authenticate", "Retry-After", "Allow"}
    }
    if isinstance(exc, exceptions.ValidationError):
        return problem(
            status_code=status.HTTP_400_BAD_REQUEST,
            code="invalid",
            title="Invalid input",
            detail="The request contains invalid data.",
            errors=_flatten(exc.detail),
            headers=headers,
        )
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    title = str(exc.default_detail)
    if "{" in title:  # a template ("Method “{method}” not allowed."): the filled-in detail
        title = str(detail)
    return problem(
        status_code=response.status_code,
        code=code,
        title=title,
        detail=str(detail),
        headers=headers,
    )
