"""Cross-cutting records: idempotency of creating requests."""

from __future__ import annotations

from django.db import models


class IdempotencyRecord(models.Model):
    """The response to a creating POST sent with an ``Idempotency-Key`` (API.md "Conventions").

    A repeat with the same key and the same body gets the stored response and creates nothing;
    the same key with another body is refused. ``status_code`` 0 marks a request in flight.
    """

    owner = models.CharField(max_length=80)  # "user:<id>" or "anon:<ip>"
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(default=0)
    body = models.BinaryField(default=b"")
    content_type = models.CharField(max_length=100, blank=True)
    location = models.CharField(max_length=500, blank=True)
    etag = models.CharField(max_length=100, blank=True)  # a created dossier's version
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="idempotency_owner_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.owner} {self.key}"
