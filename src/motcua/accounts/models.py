from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .constants import Role, UserKind


class User(AbstractUser):
    """A person who logs in: a citizen (or a business's representative) or a staff member."""

    kind = models.CharField(
        _("loại tài khoản"), max_length=16, choices=UserKind.choices, default=UserKind.CITIZEN
    )
    full_name = models.CharField(_("họ và tên"), max_length=200, blank=True)
    phone = models.CharField(
        _("số điện thoại"),
        max_length=20,
        blank=True,
        help_text=_("Lưu ở dạng 0xxxxxxxxx; dùng để đăng nhập."),
    )
    # The applicant details a citizen keeps, reused by every application (see selectors).
    id_number = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            # Phone and email identify a person at login: one account each. Services store the
            # phone normalised and the email lower-cased; the database refuses duplicates.
            models.UniqueConstraint(
                fields=["phone"], condition=~Q(phone=""), name="accounts_user_phone_unique"
            ),
            models.UniqueConstraint(
                Lower("email"), condition=~Q(email=""), name="accounts_user_email_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username


class Membership(models.Model):
    """A staff member's role in an agency. One person may hold several."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("người dùng")
    )
    agency = models.ForeignKey(
        "catalog.Agency",
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("cơ quan"),
    )
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("đang hiệu lực"), default=True)

    class Meta:
        verbose_name = _("vai trò tại cơ quan")
        verbose_name_plural = _("vai trò tại cơ quan")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="accounts_membership_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="accounts_membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.agency}"


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("người dùng")
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        _("tiền tố"),
        max_length=8,
        editable=False,
        help_text=_("Để nhận ra token, không đủ để dùng."),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"), db_index=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class ExternalIdentity(models.Model):
    """An account's identity at an external provider (e.g. a national e-ID through OIDC):
    the provider's stable subject identifier, so the next login finds the same account."""

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="external_identities",
        verbose_name=_("người dùng"),
    )
    provider = models.CharField(_("nhà cung cấp định danh"), max_length=32)
    subject = models.CharField(_("mã định danh tại nhà cung cấp"), max_length=255)
    created_at = models.DateTimeField(_("liên kết lúc"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("đăng nhập gần nhất"), null=True, blank=True)

    class Meta:
        verbose_name = _("định danh bên ngoài")
        verbose_name_plural = _("định danh bên ngoài")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject"], name="accounts_external_identity_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "provider"], name="accounts_external_identity_one_per_provider"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.user}"


class TotpDevice(models.Model):
    """A staff member's authenticator app, confirmed by a first correct code at enrolment.

    ``last_used_step`` is the time step of the last code accepted: a code of that step or an
    earlier one is refused, so a code seen over a shoulder cannot be used again (replay)."""

    user = models.OneToOneField(
        User,
        on_delete=models.CASCADE,
        related_name="totp_device",
        verbose_name=_("người dùng"),
    )
    secret = models.CharField(_("khóa bí mật"), max_length=64)
    confirmed_at = models.DateTimeField(_("kích hoạt lúc"))
    last_used_step = models.BigIntegerField(default=0)

    class Meta:
        # Kept from when the model lived in the back office app (moved by state only).
        db_table = "backoffice_totpdevice"
        verbose_name = _("thiết bị xác thực hai bước")
        verbose_name_plural = _("thiết bị xác thực hai bước")
        constraints = [
            models.CheckConstraint(condition=~Q(secret=""), name="backoffice_totp_secret_set"),
        ]

    def __str__(self) -> str:
        return f"TOTP {self.user_id}"
