"""Writes about accounts: citizens' accounts and details, password resets, external
identities, API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from . import totp
from .constants import UserKind
from .contact import normalise_email, normalise_phone
from .exceptions import ContactTaken, InvalidCredentials, OtpInvalid, OtpNotEnrolled, OtpRequired
from .models import ApiToken, ExternalIdentity, TotpDevice, User
from .selectors import has_totp_device, staff_memberships, two_factor_mandatory

if TYPE_CHECKING:
    from .identity import VerifiedIdentity

# -- citizens' accounts ------------------------------------------------------------------------


def _contact(phone: str, email: str) -> tuple[str, str]:
    return (normalise_phone(phone) if phone.strip() else ""), normalise_email(email)


def _ensure_contact_free(*, phone: str, email: str, user: User | None = None) -> None:
    """Raise ContactTaken (per field) when another account holds this phone or email."""
    others = User.objects.exclude(pk=user.pk) if user is not None else User.objects.all()
    errors: dict[str, list[str]] = {}
    if phone and others.filter(phone=phone).exists():
        errors["phone"] = [_("Số điện thoại này đã được dùng cho một tài khoản khác.")]
    if email and others.filter(email__iexact=email).exists():
        errors["email"] = [_("Địa chỉ email này đã được dùng cho một tài khoản khác.")]
    if errors:
        raise ContactTaken(" ".join(m for ms in errors.values() for m in ms), errors=errors)


def _save_or_conflict(user: User, *, phone: str, email: str, **kwargs: object) -> None:
    # The check above answers nicely; the database's unique constraints decide when two
    # requests race for the same phone or email.
    try:
        with transaction.atomic():
            user.save(**kwargs)  # type: ignore[arg-type]
    except IntegrityError as exc:
        _ensure_contact_free(phone=phone, email=email, user=user if user.pk else None)
        raise ContactTaken(_("Số điện thoại hoặc email đã được dùng.")) from exc


@transaction.atomic
def citizen_register(*, full_name: str, phone: str, email: str, password: str) -> User:
    """Open a citizen account identified by a phone number and/or an email address.

    The phone is stored as 0xxxxxxxxx and the email lower-cased; both must be free (ContactTaken).
    Password rules are the form's business (AUTH_PASSWORD_VALIDATORS); the hash is Argon2.
    """
    phone, email = _contact(phone, email)
    if not phone and not email:
        raise ContactTaken(
            _("Cần số điện thoại hoặc email để đăng nhập."),
            code="contact_required",
            errors={"phone": [_("Cần số điện thoại hoặc email để đăng nhập.")]},
        )
    _ensure_contact_free(phone=phone, email=email)
    # The username is internal (staff and the API use it); citizens log in with phone or email,
    # which would put personal data in a field Django logs and shows in many places.
    user = User(
        username=f"cd-{secrets.token_hex(8)}",
        kind=UserKind.CITIZEN,
        full_name=full_name.strip(),
        phone=phone,
        email=email,
    )
    user.set_password(password)
    _save_or_conflict(user, phone=phone, email=email)
    return user


@transaction.atomic
def citizen_details_update(
    *,
    user: User,
    full_name: str,
    id_number: str,
    date_of_birth: dt.date | None,
    phone: str,
    email: str,
    address: str,
) -> User:
    """Keep the details the citizen reuses in every application (``selectors.citizen_profile``).
    Phone or email stays, since the person logs in with one of them."""
    phone, email = _contact(phone, email)
    if not phone and not email:
        raise ContactTaken(
            _("Cần số điện thoại hoặc email để đăng nhập."),
            code="contact_required",
            errors={"phone": [_("Cần số điện thoại hoặc email để đăng nhập.")]},
        )
    _ensure_contact_free(phone=phone, email=email, user=user)
    user.full_name = full_name.strip()
    user.id_number = id_number.strip()
    user.date_of_birth = date_of_birth
    user.phone = phone
    user.email = email
    user.address = address.strip()
    fields = ["full_name", "id_number", "date_of_birth", "phone", "email", "address"]
    _save_or_conflict(user, phone=phone, email=email, update_fields=fields)
    return user


def password_reset_request(*, email: str, base_url: str) -> bool:
    """Email a one-time link to set a new password to the account with this address, if any.

    Returns whether a message was queued; the page must not show it (no way to learn who has an
    account). The link carries Django's token (it expires after PASSWORD_RESET_TIMEOUT and once
    the password changes); the message goes out after the transaction commits.
    """
    user = (
        User.objects.filter(email__iexact=normalise_email(email), is_active=True)
        # An unusable password ("!…"): the account logs in through an external provider.
        .exclude(password__startswith="!")  # noqa: S106
        .first()
    )
    if user is None or not user.email:
        return False
    link = base_url.rstrip("/") + reverse(
        "accounts:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {
        "user": user,
        "link": link,
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        "site_name": settings.MOTCUA_SITE_NAME,
    }
    subject = "".join(
        render_to_string("accounts/emails/password_reset_subject.txt", context).splitlines()
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("accounts/emails/password_reset.txt", context),
        to=[user.email],
    )
    transaction.on_commit(message.send)
    return True


@transaction.atomic
def external_identity_login(*, identity: VerifiedIdentity) -> User:
    """The account an external provider's identity belongs to, linked on first use.

    First login: the citizen account with the same email or phone is linked if there is exactly
    one (the provider verified them); otherwise a citizen account is opened with the provider's
    claims (without a phone or email another account holds). Staff accounts are never linked
    this way. Later logins find the account by (provider, subject) alone.
    """
    link = (
        ExternalIdentity.objects.select_for_update()
        .select_related("user")
        .filter(provider=identity.provider, subject=identity.subject)
        .first()
    )
    if link is None:
        phone = normalise_phone(identity.phone) if identity.phone else ""
        email = normalise_email(identity.email)
        match = Q(pk__in=[])
        if phone:
            match |= Q(phone=phone)
        if email:
            match |= Q(email=email)
        candidates = list(User.objects.filter(match)[:2])
        if len(candidates) == 1 and candidates[0].kind == UserKind.CITIZEN:
            user = candidates[0]
        else:
            user = User(
                username=f"cd-{secrets.token_hex(8)}",
                kind=UserKind.CITIZEN,
                full_name=identity.full_name,
                id_number=identity.id_number,
                date_of_birth=identity.date_of_birth,
                phone="" if candidates else phone,
                email="" if candidates else email,
            )
            user.set_unusable_password()
            user.save()
        link = ExternalIdentity.objects.create(
            user=user, provider=identity.provider, subject=identity.subject
        )
    link.last_login_at = timezone.now()
    link.save(update_fields=["last_login_at"])
    if not link.user.is_active:
        raise InvalidCredentials(_("Tài khoản này đã bị khóa."))
    return link.user


# -- API tokens --------------------------------------------------------------------------------


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_issue(
    *,
    username: str,
    password: str,
    request: HttpRequest | None = None,
    second_factor: Callable[[User], None] | None = None,
) -> tuple[str, ApiToken]:
    """Check the credentials and issue a bearer token; returns (the token, its record).

    The same error for an unknown user, a wrong password and an inactive account, so the
    endpoint does not tell which usernames exist. ``second_factor``, given by the caller, is
    called with the user once the password is right and raises when that user must prove more
    (the back office's TOTP code for leaders and administrators, ADR 0007); no token then.
    """
    user = authenticate(request, username=username, password=password)
    if not isinstance(user, User) or not user.is_active:
        raise InvalidCredentials("Tên đăng nhập hoặc mật khẩu không đúng.")
    if second_factor is not None:
        second_factor(user)
    raw = secrets.token_urlsafe(32)
    ttl = dt.timedelta(hours=settings.MOTCUA_API_TOKEN_TTL_HOURS)
    token = ApiToken.objects.create(
        user=user, key_hash=hash_token(raw), prefix=raw[:8], expires_at=timezone.now() + ttl
    )
    # Expired tokens of this user serve no purpose: drop them while we are here.
    ApiToken.objects.filter(user=user, expires_at__lt=timezone.now()).delete()
    return raw, token


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke a token (logout); it stops working at once."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


# -- two-factor login ------------------------------------------------------------------------


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
