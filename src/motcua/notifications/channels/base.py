from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Protocol

from motcua.outbox.exceptions import DeliveryFailed, PermanentFailure


@dataclass(frozen=True)
class OutgoingMessage:
    channel: str
    event: str
    recipient: str
    subject: str
    body: str
    idempotency_key: str
    data: dict[str, str] = field(default_factory=dict)  # template parameters (Zalo)


class Sender(Protocol):
    def send(self, message: OutgoingMessage) -> str:
        """Send; return the provider's id for the message."""
        ...


RETRYABLE_STATUS = frozenset({408, 425, 429})


def post_json(
    url: str, body: dict[str, Any], *, headers: dict[str, str], timeout: float
) -> dict[str, Any]:
    """POST ``body`` as JSON and return the JSON answer.

    Connection errors, timeouts, 408/425/429 and 5xx: ``DeliveryFailed``; other 4xx:
    ``PermanentFailure``. The body is never part of an error text (it has the recipient)."""
    if not url.startswith(("http://", "https://")):
        raise PermanentFailure(f"gateway URL must be http(s): {url!r}")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8", **headers},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            raw = response.read()
    except urllib.error.HTTPError as error:
        if error.code in RETRYABLE_STATUS or error.code >= 500:
            raise DeliveryFailed(f"gateway answered {error.code}") from None
        raise PermanentFailure(f"gateway refused the request: {error.code}") from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        reason = getattr(error, "reason", error)
        raise DeliveryFailed(f"gateway unreachable: {type(reason).__name__}") from None
    try:
        answer = json.loads(raw.decode("utf-8") or "{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise DeliveryFailed("gateway answered something other than JSON") from None
    if not isinstance(answer, dict):
        raise DeliveryFailed("gateway answered something other than a JSON object")
    return answer
