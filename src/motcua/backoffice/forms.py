from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.accounts.totp import DIGITS, normalise_code
from motcua.dossiers.constants import Channel

# What a date input sends, and what a person types where the browser has no date picker.
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Mã xác thực"),
        help_text=_("6 chữ số trong ứng dụng xác thực trên điện thoại của bạn."),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": r"[0-9 ]*",
                "spellcheck": "false",
            }
        ),
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if len(code) != DIGITS or not code.isascii() or not code.isdigit():
            raise forms.ValidationError(_("Nhập đủ 6 chữ số."))
        return code


class QueueFilterForm(forms.Form):
    """The filters of a queue page, read from the query string (GET form)."""

    q = forms.CharField(
        label=_("Tìm hồ sơ"),
        required=False,
        max_length=100,
        help_text=_("Mã hồ sơ, tên người nộp (gõ có dấu hoặc không dấu), số điện thoại, số CCCD."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    procedure = forms.ChoiceField(label=_("Thủ tục"), required=False)
    sector = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    channel = forms.ChoiceField(
        label=_("Kênh nộp"),
        required=False,
        choices=[("", _("Tất cả")), *Channel.choices],
    )
    date_from = forms.DateField(
        label=_("Nộp từ ngày"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("Đến ngày"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(
        self,
        *args: object,
        procedures: list[tuple[str, str]],
        sectors: list[tuple[str, str]],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        any_choice = ("", _("Tất cả"))
        self.fields["procedure"].choices = [any_choice, *procedures]  # type: ignore[attr-defined]
        self.fields["sector"].choices = [any_choice, *sectors]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return cleaned
