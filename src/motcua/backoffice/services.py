"""Writes of the back office: a staff member's two-factor device, and the code asked of those
who must give one when they take an API token."""

from __future__ import annotations

import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import User

from . import totp
from .exceptions import OtpInvalid, OtpNotEnrolled, OtpRequired
from .models import TotpDevice
from .selectors import has_totp_device, staff_memberships, two_factor_mandatory


@transaction.atomic
def totp_device_confirm(
    *, user: User, secret: str, code: str, unix_time: float | None = None
) -> TotpDevice | None:
    """Enrol ``user``'s authenticator: if ``code`` is right for ``secret`` (±1 step), store the
    secret as the user's device (replacing an earlier one) and return it; else None.

    The step of the confirming code counts as used, so the same code cannot log in again."""
    now = time.time() if unix_time is None else unix_time
    step = totp.matching_step(secret, code, unix_time=now)
    if step is None:
        return None
    device, _ = TotpDevice.objects.update_or_create(
        user=user,
        defaults={"secret": secret, "confirmed_at": timezone.now(), "last_used_step": step},
    )
    return device


def totp_code_accept(*, user: User, code: str, unix_time: float | None = None) -> bool:
    """Whether ``code`` proves ``user`` holds their device now: right for the current step or
    one either side, and of a later step than any code accepted before (no replay).

    The step is recorded by one conditional UPDATE, so of two requests racing with the same
    code only one succeeds."""
    now = time.time() if unix_time is None else unix_time
    device = TotpDevice.objects.filter(user=user).order_by().first()
    if device is None:
        return False
    step = totp.matching_step(device.secret, code, unix_time=now)
    if step is None or step <= device.last_used_step:
        return False
    updated = TotpDevice.objects.filter(pk=device.pk, last_used_step__lt=step).update(
        last_used_step=step
    )
    return updated == 1


def api_second_factor_check(*, user: User, otp: str, unix_time: float | None = None) -> None:
    """For ``POST /api/v1/auth/token/``: a user who may log in only with a code (leader,
    administrator, an admin account) must send ``otp``, their authenticator's current code,
    accepted once like at the back office's login. Others pass whatever ``otp`` says.

    Raises ``OtpRequired`` (401) without a code, ``OtpInvalid`` (401) for a wrong or replayed
    one, ``OtpNotEnrolled`` (403) when the account has no authenticator yet (it is set up at
    the back office's first login)."""
    if not settings.MOTCUA_API_TOKEN_REQUIRES_OTP:
        return  # the demo's choice (settings.dev): API.md's password-only token login
    if not two_factor_mandatory(user=user, memberships=staff_memberships(user=user)):
        return
    if not has_totp_device(user=user):
        raise OtpNotEnrolled(
            "Tài khoản phải đăng nhập bằng mã xác thực nhưng chưa cài ứng dụng xác thực: "
            "đăng nhập trang cán bộ một lần để cài đặt."
        )
    if not otp.strip():
        message = "Tài khoản này cần mã xác thực (trường otp) để nhận token."
        raise OtpRequired(message, errors={"otp": [message]})
    if not totp_code_accept(user=user, code=otp.strip(), unix_time=unix_time):
        message = "Mã xác thực không đúng hoặc đã được dùng."
        raise OtpInvalid(message, errors={"otp": [message]})
