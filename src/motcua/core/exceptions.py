"""Domain errors. Every business-rule failure raises a subclass of ApplicationError.

The API maps them to RFC 9457 problem details with the stable ``code``; pages show ``message``.
"""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A domain error with a stable machine code and an HTTP status for the API."""

    code = "application_error"
    status = 422
    title = "Business rule violated"

    def __init__(
        self,
        message: str = "",
        *,
        code: str | None = None,
        errors: dict[str, list[str]] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message or self.title)
        self.message = message or self.title
        if code:
            self.code = code
        self.errors = errors or {}
        self.extra = extra or {}


class ValidationFailed(ApplicationError):
    code = "invalid"
    status = 400
    title = "Invalid input"


class NotFound(ApplicationError):
    code = "not_found"
    status = 404
    title = "Not found"


class Conflict(ApplicationError):
    code = "conflict"
    status = 409
    title = "Conflict"


class PermissionDenied(ApplicationError):
    code = "permission_denied"
    status = 403
    title = "Not allowed"
