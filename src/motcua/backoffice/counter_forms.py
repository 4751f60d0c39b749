"""The form of the desk: a walk-in dossier at the counter, or an online dossier a volunteer
files on a citizen's behalf (the same form, in "assisted" mode).

It checks what was typed; the dossier services decide the rest (whether the desk receives the
procedure, whether a file really is a PDF, JPEG or PNG, whether the citizen consented)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalog.fees import FeeRule
from motcua.catalog.models import Procedure, RequiredDocument
from motcua.dossiers.constants import Delivery
from motcua.portal.forms import (
    ACCEPT,
    APPLICANT_FIELDS,
    REQUEST_MAX_CHARS,
    ApplicantFieldsMixin,
    QuantitiesMixin,
)

MAX_SETS = 20


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (a scanner's pages, or photos of each page). Their content
    is judged by the dossier services, not here."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def received_field_name(required: RequiredDocument) -> str:
    return f"received-{required.pk}"


def files_field_name(required: RequiredDocument) -> str:
    return f"files-{required.pk}"


class RegistrationForm(ApplicantFieldsMixin, QuantitiesMixin):
    """One page: the applicant (typed or found by an account), the documents, the number of
    copies or pages when the procedure charges for them, the result."""

    field_order = ["submission", "account", *APPLICANT_FIELDS]

    # One per form shown: the same form sent twice creates one dossier (see counter.py).
    submission = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)
    account = forms.CharField(
        label=_("Tìm tài khoản công dân"),
        help_text=_(
            "Số điện thoại, thư điện tử hoặc số căn cước của người nộp, nếu họ có tài khoản "
            "trên cổng: hồ sơ sẽ hiện trong tài khoản của họ. Bỏ trống nếu không có."
        ),
        required=False,
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    request = forms.CharField(
        label=_("Nội dung yêu cầu (nếu cần ghi)"),
        required=False,
        max_length=REQUEST_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    sets_received = forms.IntegerField(
        label=_("Số bộ hồ sơ"),
        min_value=1,
        max_value=MAX_SETS,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    result_delivery = forms.ChoiceField(
        label=_("Hình thức nhận kết quả"),
        widget=forms.RadioSelect,
        initial=Delivery.COUNTER,
        error_messages={"required": _("Chọn hình thức nhận kết quả.")},
    )
    delivery_address = forms.CharField(
        label=_("Địa chỉ nhận kết quả qua bưu chính"),
        help_text=_("Chỉ ghi khi nhận qua bưu chính; bỏ trống thì gửi về địa chỉ liên hệ."),
        max_length=255,
        required=False,
    )
    consent = forms.BooleanField(
        label=_(
            "Công dân đã đồng ý để tôi nộp hồ sơ trực tuyến thay cho họ, "
            "với các thông tin và giấy tờ trên"
        ),
        error_messages={"required": _("Cần ghi nhận sự đồng ý của công dân trước khi nộp thay.")},
    )

    def __init__(
        self,
        *args: Any,
        procedure: Procedure,
        required_documents: list[RequiredDocument],
        assisted: bool,
        fee_rules: Sequence[FeeRule] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.typed_at_a_desk()
        self.add_quantities(fee_rules)
        self.procedure = procedure
        self.required_documents = required_documents
        self.assisted = assisted
        if assisted:
            del self.fields["sets_received"]  # paper sets are the counter's business
        else:
            del self.fields["consent"]
        choices = [
            (Delivery.COUNTER.value, _("Nhận tại bộ phận một cửa")),
            (Delivery.POST.value, _("Nhận qua bưu chính")),
        ]
        if procedure.online == "full":
            choices.append((Delivery.ONLINE.value, _("Nhận trực tuyến (cần tài khoản công dân)")))
        field = self.fields["result_delivery"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
        for required in required_documents:
            if not assisted:
                self.fields[received_field_name(required)] = forms.BooleanField(
                    label=_("Đã nhận bản giấy: %(name)s") % {"name": required.name}, required=False
                )
            self.fields[files_field_name(required)] = MultipleFileField(
                label=_("Tệp quét: %(name)s") % {"name": required.name}, required=False
            )

    def document_rows(self) -> list[dict[str, Any]]:
        """Each document of the procedure with its fields, in the procedure's order."""
        return [
            {
                "document": required,
                "received": (None if self.assisted else self[received_field_name(required)]),
                "files": self[files_field_name(required)],
            }
            for required in self.required_documents
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not re.fullmatch(r"[0-9a-f]{32}", cleaned.get("submission") or ""):
            self.add_error(None, _("Trang đã cũ. Tải lại trang rồi gửi lại."))
        for required in self.required_documents:
            chosen = cleaned.get(files_field_name(required)) or []
            if self.assisted:
                if required.required and not chosen:
                    self.add_error(
                        files_field_name(required),
                        _("Nộp trực tuyến cần bản quét hoặc ảnh chụp của giấy tờ bắt buộc này."),
                    )
            elif required.required and not (cleaned.get(received_field_name(required)) or chosen):
                self.add_error(
                    received_field_name(required),
                    _(
                        "Giấy tờ bắt buộc: chưa nhận đủ thì không tiếp nhận, "
                        "hướng dẫn người nộp bổ sung."
                    ),
                )
        return cleaned

    def received(self) -> tuple[RequiredDocument, ...]:
        if self.assisted:
            return ()
        return tuple(
            required
            for required in self.required_documents
            if self.cleaned_data.get(received_field_name(required))
        )

    def uploads(self) -> tuple[tuple[RequiredDocument, Any], ...]:
        """Every chosen file with the document it is a scan of."""
        return tuple(
            (required, uploaded)
            for required in self.required_documents
            for uploaded in self.cleaned_data.get(files_field_name(required)) or []
        )
