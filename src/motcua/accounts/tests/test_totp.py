"""The pure TOTP module against the test vectors of RFC 4226 (HOTP) and RFC 6238 (TOTP)."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlsplit

import pytest

from motcua.accounts import totp

RFC_KEY = b"12345678901234567890"


@pytest.mark.parametrize(
    ("counter", "code"),
    list(
        enumerate(
            [
                "755224",
                "287082",
                "359152",
                "969429",
                "338314",
                "254676",
                "287922",
                "162583",
                "399871",
                "520489",
            ]
        )
    ),
)
def test_hotp_matches_rfc4226_appendix_d(counter: int, code: str) -> None:
    assert totp.hotp(RFC_KEY, counter) == code


@pytest.mark.parametrize(
    ("unix_time", "code"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_totp_sha1_matches_rfc6238_appendix_b(unix_time: int, code: str) -> None:
    assert totp.totp(RFC_KEY, unix_time, digits=8) == code


def test_sha256_vector_of_rfc6238() -> None:
    key = b"12345678901234567890123456789012"
    assert totp.totp(key, 59, digits=8, digest="sha256") == "46119246"


def test_new_secret_is_160_random_bits_in_base32() -> None:
    secret = totp.new_secret()
    assert len(secret) == 32
    assert len(totp.decode_secret(secret)) == 20
    assert totp.new_secret() != secret


def test_decode_secret_accepts_lower_case_spaces_and_no_padding() -> None:
    secret = base64.b32encode(RFC_KEY).decode().rstrip("=")
    spaced = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)).lower()
    assert totp.decode_secret(spaced) == RFC_KEY


def _secret() -> str:
    return base64.b32encode(RFC_KEY).decode()


def test_matching_step_accepts_one_step_either_side_only() -> None:
    now = 1111111111.0
    step = totp.time_step(now)
    for delta in (-1, 0, 1):
        code = totp.hotp(RFC_KEY, step + delta)
        assert totp.matching_step(_secret(), code, unix_time=now) == step + delta
    for delta in (-2, 2):
        code = totp.hotp(RFC_KEY, step + delta)
        assert totp.matching_step(_secret(), code, unix_time=now) is None


def test_matching_step_takes_a_code_typed_with_a_space_and_refuses_non_digits() -> None:
    now = 1234567890.0
    code = totp.totp(RFC_KEY, now)
    assert totp.matching_step(_secret(), f"{code[:3]} {code[3:]}", unix_time=now) is not None
    assert totp.matching_step(_secret(), "", unix_time=now) is None
    assert totp.matching_step(_secret(), "12345", unix_time=now) is None
    assert totp.matching_step(_secret(), "１２３４５６", unix_time=now) is None  # full-width


def test_provisioning_uri_is_the_key_uri_format() -> None:
    uri = totp.provisioning_uri("JBSWY3DPEHPK3PXP", account="lanhdao.xd", issuer="Một cửa")
    parts = urlsplit(uri)
    assert parts.scheme == "otpauth"
    assert parts.netloc == "totp"
    assert parts.path == "/M%E1%BB%99t%20c%E1%BB%ADa%3Alanhdao.xd"
    assert parse_qs(parts.query) == {
        "secret": ["JBSWY3DPEHPK3PXP"],
        "issuer": ["Một cửa"],
        "algorithm": ["SHA1"],
        "digits": ["6"],
        "period": ["30"],
    }
