"""``Idempotency-Key`` for creating POSTs: replay the first response, create nothing new."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from rest_framework.request import Request
from rest_framework.response import Response

from .exceptions import ApplicationError
from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


class IdempotencyKeyReused(ApplicationError):
    code = "idempotency_key_reused"
    status = 422
    title = "Idempotency key reused with a different request"


class IdempotencyInFlight(ApplicationError):
    code = "idempotency_in_flight"
    status = 409
    title = "A request with this idempotency key is still being processed"


def _owner(request: Request) -> str:
    user = request.user
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"anon:{request.META.get('REMOTE_ADDR', '')}"


def _request_hash(request: Request) -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode() if request.method else b"")
    digest.update(request.path.encode())
    # The media type without its parameters: a multipart body's boundary is random per request.
    media_type = (request.content_type or "").split(";", 1)[0].strip().lower()
    digest.update(media_type.encode())
    # The raw body for JSON; for multipart the parsed parts (the raw body has a random boundary).
    if request.content_type and request.content_type.startswith("multipart/"):
        for name in sorted(request.data.keys()):
            digest.update(name.encode())
            for value in request.data.getlist(name):  # type: ignore[attr-defined]  # a QueryDict here
                digest.update(str(value).encode())
        for name in sorted(request.FILES.keys()):
            for upload in request.FILES.getlist(name):
                file_digest = hashlib.sha256()
                for chunk in upload.chunks():
                    file_digest.update(chunk)
                upload.seek(0)
                digest.update(name.encode() + file_digest.digest())
    else:
        digest.update(request.body)
    return digest.hexdigest()


def idempotent(view: Callable[..., Response]) -> Callable[..., Response]:
    """Decorate an APIView's ``post``: with the header, the first response is stored and replayed."""

    @functools.wraps(view)
    def wrapper(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get(HEADER, "").strip()
        if not key:
            return view(self, request, *args, **kwargs)
        if len(key) > MAX_KEY_LENGTH:
            raise ApplicationError(
                "Idempotency-Key is too long.",
                code="invalid_idempotency_key",
                errors={HEADER: ["max 255"]},
            )
        owner, request_hash = _owner(request), _request_hash(request)
        existing = IdempotencyRecord.objects.filter(owner=owner, key=key).first()
        if existing is None:
            try:
                with transaction.atomic():
                    existing = IdempotencyRecord.objects.create(
                        owner=owner,
                        key=key,
                        method=request.method or "",
                        path=request.path,
                        request_hash=request_hash,
                    )
                created = True
            except IntegrityError:
                existing = IdempotencyRecord.objects.get(owner=owner, key=key)
                created = False
        else:
            created = False
        if not created:
            if existing.request_hash != request_hash:
                raise IdempotencyKeyReused(
                    "Idempotency-Key was already used for a different request."
                )
            if existing.status_code == 0:
                raise IdempotencyInFlight(
                    "The first request with this Idempotency-Key is still running."
                )
            replay = Response(status=existing.status_code)
            replay.content = bytes(existing.body)
            replay["Content-Type"] = existing.content_type
            if existing.location:
                replay["Location"] = existing.location
            if existing.etag:
                replay["ETag"] = existing.etag
            replay["Idempotent-Replayed"] = "true"
            return replay
        try:
            response = view(self, request, *args, **kwargs)
        except Exception:
            existing.delete()  # nothing was created: the key may be used again
            raise
        if response.status_code >= 500:
            existing.delete()
            return response
        response = self.finalize_response(request, response, *args, **kwargs)
        response.render()
        existing.status_code = response.status_code
        existing.body = response.content
        existing.content_type = response.get("Content-Type", "")
        existing.location = response.get("Location", "")
        existing.etag = response.get("ETag", "")
        existing.save(update_fields=["status_code", "body", "content_type", "location", "etag"])
        return response

    return wrapper
