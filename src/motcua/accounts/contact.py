"""Phone numbers and email addresses as people type them, and as accounts store them (pure).

A phone number is stored in the domestic form ``0xxxxxxxxx`` whatever the person typed
(``+84 912 345 678``, ``0912.345.678``, ``84912345678``), so the same number always finds the same
account; an email address is stored lower-cased.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s.\-()]")
# Mobile numbers: ten digits, networks 03x, 05x, 07x, 08x, 09x (since the 2018 renumbering).
# Fixed lines: eleven digits, area code 02xx (since 2017): 024 Hà Nội, 0270 Vĩnh Long …
_MOBILE = re.compile(r"0[35789]\d{8}")
_FIXED = re.compile(r"02\d{9}")


class InvalidPhone(ValueError):
    """Not a Vietnamese phone number."""


def normalise_phone(raw: str) -> str:
    """``raw`` as ``0xxxxxxxxx`` (mobile) or ``02xxxxxxxxx`` (fixed line); InvalidPhone if it is
    not a Vietnamese number."""
    digits = _SEPARATORS.sub("", raw.strip())
    for prefix in ("+84", "0084", "84"):
        # "84…" is a country code only when it is followed by a whole national number.
        if digits.startswith(prefix) and (prefix != "84" or len(digits) in (11, 12)):
            national = digits[len(prefix) :]
            digits = national if national.startswith("0") else "0" + national
            break
    if not digits.isdigit() or not (_MOBILE.fullmatch(digits) or _FIXED.fullmatch(digits)):
        raise InvalidPhone(raw)
    return digits


def normalise_email(raw: str) -> str:
    """The address without surrounding spaces, lower-cased."""
    return raw.strip().lower()


def is_email(identifier: str) -> bool:
    """Whether a login identifier ("phone or email") is meant as an email address."""
    return "@" in identifier
