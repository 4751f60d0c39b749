"""Forms of the citizen's account pages: they check what was typed; services do the writing."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .contact import InvalidPhone, normalise_email, normalise_phone
from .models import User

ID_NUMBER = re.compile(r"\d{12}")


class AccessibleFormMixin:
    """Ties each field's error message to its input (``aria-describedby``) so screen readers
    read it with the field; templates show it next to the field and in the error summary."""

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        form: forms.Form = self  # type: ignore[assignment]
        for name in form.errors:
            if name not in form.fields:
                continue
            bound = form[name]
            ids = [f"{bound.auto_id}_error"]
            if bound.help_text:
                ids.append(f"{bound.auto_id}_helptext")
            form.fields[name].widget.attrs["aria-describedby"] = " ".join(ids)


def clean_phone_value(raw: str) -> str:
    if not raw.strip():
        return ""
    try:
        return normalise_phone(raw)
    except InvalidPhone:
        raise ValidationError(
            _("Số điện thoại chưa đúng. Nhập 10 chữ số, ví dụ 0912 345 678."),
            code="invalid_phone",
        ) from None


def _phone_field(required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=_("Số điện thoại"),
        required=required,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )


def _email_field() -> forms.EmailField:
    return forms.EmailField(
        label=_("Email"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Địa chỉ email chưa đúng, ví dụ ten@example.com.")},
    )


class ContactFormMixin:
    """Phone (normalised to 0xxxxxxxxx) and email (lower-cased): at least one of the two."""

    def clean_phone(self) -> str:
        return clean_phone_value(self.cleaned_data.get("phone", ""))  # type: ignore[attr-defined]

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data.get("email", ""))  # type: ignore[attr-defined]

    def require_phone_or_email(self, cleaned: dict[str, Any]) -> None:
        form: forms.Form = self  # type: ignore[assignment]
        if (
            "phone" in cleaned
            and "email" in cleaned
            and not cleaned["phone"]
            and not cleaned["email"]
        ):
            form.add_error(
                "phone", _("Nhập số điện thoại hoặc email (hoặc cả hai) để dùng khi đăng nhập.")
            )


class LoginForm(AccessibleFormMixin, forms.Form):
    identifier = forms.CharField(
        label=_("Số điện thoại hoặc email"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class RegisterForm(AccessibleFormMixin, ContactFormMixin, forms.Form):
    full_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = _phone_field()
    email = _email_field()
    password1 = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        max_length=256,
        help_text=_("Ít nhất 8 ký tự, không chỉ gồm chữ số, không dễ đoán."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.require_phone_or_email(cleaned)
        password = cleaned.get("password1")
        if password and cleaned.get("password2") and password != cleaned["password2"]:
            self.add_error("password2", _("Hai mật khẩu không giống nhau."))
        elif password:
            probe = User(
                full_name=cleaned.get("full_name", ""),
                email=cleaned.get("email", ""),
                phone=cleaned.get("phone", ""),
            )
            try:
                validate_password(password, user=probe)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class DetailsForm(AccessibleFormMixin, ContactFormMixin, forms.Form):
    """The details reused in every application (``selectors.citizen_profile``)."""

    full_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_number = forms.CharField(
        label=_("Số định danh cá nhân"),
        required=False,
        max_length=20,  # people type it in groups ("0831 9000 0123"); 12 digits are kept
        help_text=_("12 chữ số in trên thẻ căn cước."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    date_of_birth = forms.DateField(
        label=_("Ngày sinh"),
        required=False,
        # Typed as people write dates here (day/month/year): a date picker would show the
        # browser's own order, often month first.
        input_formats=["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"],
        help_text=_("Ngày/tháng/năm, ví dụ 17/05/1990."),
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"autocomplete": "bday", "inputmode": "numeric"}
        ),
        error_messages={"invalid": _("Ngày sinh chưa đúng, ví dụ 17/05/1990.")},
    )
    phone = _phone_field()
    email = _email_field()
    address = forms.CharField(
        label=_("Địa chỉ"),
        required=False,
        max_length=255,
        help_text=_("Số nhà, đường, ấp hoặc khu phố, xã hoặc phường, tỉnh."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )

    def clean_id_number(self) -> str:
        value = re.sub(r"\s", "", self.cleaned_data.get("id_number", ""))
        if value and not ID_NUMBER.fullmatch(value):
            raise ValidationError(
                _("Số định danh cá nhân gồm đúng 12 chữ số."), code="invalid_id_number"
            )
        return value

    def clean_date_of_birth(self) -> dt.date | None:
        born: dt.date | None = self.cleaned_data.get("date_of_birth")
        if born is not None and not dt.date(1900, 1, 1) <= born <= timezone.localdate():
            raise ValidationError(_("Ngày sinh chưa đúng."), code="invalid_date_of_birth")
        return born

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.require_phone_or_email(cleaned)
        return cleaned


class PasswordResetRequestForm(AccessibleFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Email đã đăng ký"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Địa chỉ email chưa đúng, ví dụ ten@example.com.")},
    )


class NewPasswordForm(AccessibleFormMixin, SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Mật khẩu mới")
        self.fields["new_password1"].help_text = _(
            "Ít nhất 8 ký tự, không chỉ gồm chữ số, không dễ đoán."
        )
        self.fields["new_password2"].label = _("Nhập lại mật khẩu mới")
