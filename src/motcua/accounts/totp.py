"""Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP). Pure: no database, no Django.

Codes are the 6-digit SHA-1 codes of a 30-second step that every authenticator app (Google
Authenticator, Microsoft Authenticator, FreeOTP...) computes from a base32 secret. Verification
accepts the current step and one step either side (clock drift of up to 30 seconds), and
returns *which* step matched, so the caller can refuse a code of a step already used (replay).
"""

from __future__ import annotations

import base64
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
SECRET_BYTES = 20  # 160 bits, the HMAC-SHA1 block the RFC recommends


def new_secret() -> str:
    """A fresh random secret, base32 without padding (32 characters)."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii").rstrip("=")


def decode_secret(secret: str) -> bytes:
    """The key bytes of a base32 secret as people copy it (any case, spaces, no padding)."""
    compact = secret.replace(" ", "").upper()
    return base64.b32decode(compact + "=" * (-len(compact) % 8))


def hotp(key: bytes, counter: int, *, digits: int = DIGITS, digest: str = "sha1") -> str:
    """RFC 4226: HMAC the 8-byte big-endian counter, dynamically truncate, keep ``digits``."""
    mac = hmac.new(key, struct.pack(">Q", counter), digest).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def time_step(unix_time: float, *, step: int = STEP_SECONDS) -> int:
    """The RFC 6238 counter T = floor(unix_time / step)."""
    return int(unix_time // step)


def totp(
    key: bytes,
    unix_time: float,
    *,
    digits: int = DIGITS,
    digest: str = "sha1",
    step: int = STEP_SECONDS,
) -> str:
    """The code of the step containing ``unix_time``."""
    return hotp(key, time_step(unix_time, step=step), digits=digits, digest=digest)


def normalise_code(code: str) -> str:
    """What a person typed, without the spaces apps show in the middle ("123 456")."""
    return "".join(code.split())


def matching_step(secret: str, code: str, *, unix_time: float, window: int = 1) -> int | None:
    """The step (current, or up to ``window`` steps before or after) whose code is ``code``,
    else None. Compared in constant time; anything but exactly six digits never matches."""
    typed = normalise_code(code)
    if len(typed) != DIGITS or not typed.isascii() or not typed.isdigit():
        return None
    key = decode_secret(secret)
    current = time_step(unix_time)
    found: int | None = None
    for candidate in range(current - window, current + window + 1):
        # No early exit: every candidate is computed whatever matches.
        if hmac.compare_digest(hotp(key, candidate), typed) and found is None:
            found = candidate
    return found


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    """The ``otpauth://`` address authenticator apps read from a QR code (Key URI Format)."""
    label = quote(f"{issuer}:{account}", safe="")
    query = urlencode(
        {
            "secret": secret,
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": STEP_SECONDS,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"
