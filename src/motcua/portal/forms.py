"""Forms of the citizen portal: the steps of the online application wizard.

They validate what a person typed and say what is wrong in plain Vietnamese; the dossier
services decide the rest (who may, in which status, whether a file really is a PDF).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from motcua.catalog import fees
from motcua.catalog.models import Agency, Procedure, RequiredDocument
from motcua.core.exceptions import ApplicationError
from motcua.core.formatting import amount as format_amount
from motcua.dossiers.constants import Delivery
from motcua.dossiers.exceptions import UploadTooLarge

ID_NUMBER = RegexValidator(
    r"^\d{12}$", _("Số định danh cá nhân gồm đúng 12 chữ số, in trên thẻ căn cước.")
)
PHONE = RegexValidator(
    r"^(\+84|0)\d{9,10}$", _("Số điện thoại gồm 10 chữ số, bắt đầu bằng 0 (ví dụ 0912345678).")
)
REQUEST_MAX_CHARS = 2000
ACCEPT = "application/pdf,image/jpeg,image/png"


UploadProblem = Literal["too_large", "empty", "damaged", "wrong_type"]


def upload_problem(error: ApplicationError) -> UploadProblem:
    """Which of the ways a file is refused by ``dossiers.uploads`` this error is, for a form to
    say it in its own words (the portal speaks to the citizen, the desk to the officer)."""
    if isinstance(error, UploadTooLarge):
        return "too_large"
    if error.message.startswith("Tệp trống"):
        return "empty"
    if error.message.startswith("Tệp ") and "hỏng" in error.message:
        return "damaged"
    return "wrong_type"


def add_service_error(form: forms.Form, error: ApplicationError) -> None:
    """Show a dossier service's refusal on ``form``: each message next to the field it names,
    or at the top of the form when it names none of the form's fields."""
    placed = False
    for field, messages in error.errors.items():
        if field in form.fields:
            for message in messages:
                form.add_error(field, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)


class NumberField(forms.CharField):
    """A phone or ID number: the spaces, dots and dashes people type in it are not errors."""

    def to_python(self, value: Any) -> str:
        return re.sub(r"[\s.\-]", "", super().to_python(value) or "")


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


APPLICANT_FIELDS = ("full_name", "id_number", "phone", "email", "address")


class ApplicantFieldsMixin(forms.Form):
    """The applicant's details as API.md's ``applicant`` holds them, in one place for both
    forms that take them: the citizen's own, in the portal's wizard (``ApplicantForm``), and
    someone else's typed by an officer at a desk (``backoffice.counter_forms``), which calls
    ``typed_at_a_desk``."""

    full_name = forms.CharField(label=_("Họ và tên"), max_length=200)
    id_number = NumberField(
        label=_("Số định danh cá nhân (số căn cước)"),
        max_length=20,
        validators=[ID_NUMBER],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = NumberField(
        label=_("Số điện thoại"),
        max_length=20,
        validators=[PHONE],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "type": "tel"}),
    )
    email = forms.EmailField(
        label=_("Thư điện tử (nếu có)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address = forms.CharField(
        label=_("Địa chỉ liên hệ"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )

    def typed_at_a_desk(self) -> None:
        """An officer types a visitor's details: named as the applicant's, a phone only if
        they have one, and nothing filled in from the officer's own browser."""
        self.fields["full_name"].label = _("Họ và tên người nộp")
        self.fields["phone"].required = False
        for name in APPLICANT_FIELDS:
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def applicant(self) -> dict[str, str]:
        """The cleaned details as the dossier services take them (``ApplicantData``)."""
        data = self.cleaned_data
        return {
            "type": "citizen",
            "full_name": " ".join(data["full_name"].split()),
            "id_number": data["id_number"],
            "phone": data.get("phone") or "",
            "email": data.get("email") or "",
            "address": data["address"].strip(),
        }


class ApplicantForm(ApplicantFieldsMixin):
    """Step 1: who applies, where, and for whom."""

    agency = AgencyChoiceField(
        label=_("Nơi nộp hồ sơ"),
        queryset=Agency.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": _("Bạn chọn nơi nộp hồ sơ.")},
    )
    on_behalf = forms.BooleanField(label=_("Tôi nộp thay cho người khác"), required=False)
    behalf_full_name = forms.CharField(
        label=_("Họ và tên người được nộp thay"), max_length=200, required=False
    )
    behalf_id_number = NumberField(
        label=_("Số định danh của người đó (nếu có)"),
        max_length=20,
        required=False,
        validators=[ID_NUMBER],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    behalf_relationship = forms.CharField(
        label=_("Quan hệ của bạn với người đó (ví dụ: cha, mẹ, con)"),
        max_length=100,
        required=False,
    )

    def __init__(self, *args: Any, procedure: Procedure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = procedure.agencies.filter(is_active=True).order_by("path")
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = agencies
        if len(agencies) == 1:
            field.initial = agencies[0].pk
            field.widget = forms.HiddenInput()
        self.single_agency = agencies[0] if len(agencies) == 1 else None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("on_behalf") and not cleaned.get("behalf_full_name", "").strip():
            self.add_error(
                "behalf_full_name", _("Bạn ghi họ và tên người mà bạn nộp hồ sơ thay cho.")
            )
        return cleaned

    def on_behalf_of(self) -> dict[str, str] | None:
        data = self.cleaned_data
        if not data.get("on_behalf"):
            return None
        return {
            "full_name": data["behalf_full_name"].strip(),
            "id_number": data.get("behalf_id_number") or "",
            "relationship": (data.get("behalf_relationship") or "").strip(),
        }

    @staticmethod
    def initial_from(
        applicant: dict[str, Any], on_behalf_of: dict[str, Any] | None
    ) -> dict[str, Any]:
        initial = {name: applicant.get(name, "") for name in APPLICANT_FIELDS}
        if on_behalf_of:
            initial.update(
                on_behalf=True,
                behalf_full_name=on_behalf_of.get("full_name", ""),
                behalf_id_number=on_behalf_of.get("id_number", ""),
                behalf_relationship=on_behalf_of.get("relationship", ""),
            )
        return initial


# The numbers a per-copy or per-page fee is charged for, asked for only where the procedure has
# such a fee: the field's name is the form-data key ``catalog.fees`` reads it from first.
QUANTITY_FIELDS = {fees.PER_COPY: "so_ban", fees.PER_PAGE: "so_trang"}


class QuantityField(forms.IntegerField):
    """A whole number as people type it: spaces and Vietnamese thousands dots allowed
    ("1.000" is a thousand, never one), nothing else."""

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = re.sub(r"\s", "", value)
            if re.fullmatch(r"\d{1,3}(\.\d{3})+", value):
                value = value.replace(".", "")
            elif value and not re.fullmatch(r"-?\d+", value):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


def _unit_prices(rules: Sequence[fees.FeeRule], unit: str) -> str:
    """Each non-free fee row of this unit with its price ("Phí cấp bản sao: 8.000 đ")."""
    return "; ".join(
        f"{rule.name}: {format_amount(rule.amount)}"
        for rule in rules
        if rule.unit == unit and rule.amount > 0
    )


def quantity_fields(
    rules: Sequence[fees.FeeRule], form_data: Mapping[str, Any] | None
) -> dict[str, forms.Field]:
    """The fields "Số bản sao cần cấp" and "Số trang" for a procedure whose fee rows charge per
    copy or per page (non-free), keyed by their form-data key, filled with what the form data
    already declares (or the default: no copy, one page). Fixed fees ask for nothing."""
    units = {rule.unit for rule in rules if rule.amount > 0}
    found: dict[str, forms.Field] = {}
    for unit, label, help_text, messages in (
        (
            fees.PER_COPY,
            _("Số bản sao cần cấp"),
            _("%(prices)s mỗi bản. Ghi 0 nếu không cần bản sao."),
            {
                "required": _("Ghi số bản sao cần cấp, 0 nếu không cần."),
                "invalid": _("Ghi số bản sao bằng chữ số, ví dụ 2."),
                "range": _("Số bản sao từ 0 đến 100."),
            },
        ),
        (
            fees.PER_PAGE,
            _("Số trang"),
            _("%(prices)s mỗi trang."),
            {
                "required": _("Ghi số trang, ít nhất 1."),
                "invalid": _("Ghi số trang bằng chữ số, ví dụ 3."),
                "range": _("Số trang từ 1 đến 10.000."),
            },
        ),
    ):
        if unit not in units:
            continue
        least, most = fees.QUANTITY_RANGE[unit]
        try:
            initial = fees.quantity(unit, form_data)
        except fees.FeeError:
            initial = fees.DEFAULT_QUANTITY[unit]
        found[QUANTITY_FIELDS[unit]] = QuantityField(
            label=label,
            help_text=help_text % {"prices": _unit_prices(rules, unit)},
            min_value=least,
            max_value=most,
            initial=initial,
            widget=forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "off", "class": "quantity"}
            ),
            error_messages={
                "required": messages["required"],
                "invalid": messages["invalid"],
                "min_value": messages["range"],
                "max_value": messages["range"],
            },
        )
    return found


class QuantitiesMixin(forms.Form):
    """A form that asks for the quantities of the procedure's per-copy and per-page fees."""

    quantity_names: tuple[str, ...] = ()

    def add_quantities(
        self, rules: Sequence[fees.FeeRule], form_data: Mapping[str, Any] | None = None
    ) -> None:
        added = quantity_fields(rules, form_data)
        self.fields.update(added)
        self.quantity_names = tuple(added)

    @property
    def quantity_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.quantity_names]

    def quantities(self) -> dict[str, int]:
        """The declared numbers, keyed as the dossier's form data holds them."""
        return {name: self.cleaned_data[name] for name in self.quantity_names}


class RequestForm(QuantitiesMixin):
    """Step 2: what the applicant asks for. The catalogue holds no structured form fields for
    procedures, so the request is written out in the applicant's words; and how many copies or
    pages, when the procedure charges for them (``add_quantities``)."""

    request = forms.CharField(
        label=_("Nội dung yêu cầu"),
        help_text=_(
            "Viết ngắn gọn bạn đề nghị cơ quan giải quyết việc gì, cho ai "
            "(ví dụ: đăng ký khai sinh cho con tôi, tên Nguyễn Bảo An, sinh ngày 02/11/2026)."
        ),
        max_length=REQUEST_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Bạn viết nội dung yêu cầu.")},
    )


def document_field_name(required: RequiredDocument) -> str:
    return f"doc-{required.pk}"


class UploadForm(forms.Form):
    """Step 3: one file input per document the procedure asks for. Type and size are judged by
    the dossier services from the content (PDF, JPEG, PNG), not here."""

    def __init__(self, *args: Any, required_documents: list[RequiredDocument], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.required_documents = required_documents
        for required in required_documents:
            self.fields[document_field_name(required)] = forms.FileField(
                label=required.name,
                required=False,
                widget=forms.FileInput(attrs={"accept": ACCEPT}),
            )

    def uploads(self) -> list[tuple[RequiredDocument, Any]]:
        """The files chosen in this post, with the document each is for."""
        chosen = []
        for required in self.required_documents:
            uploaded = self.files.get(self.add_prefix(document_field_name(required)))
            if uploaded is not None:
                chosen.append((required, uploaded))
        return chosen


class DeliveryForm(forms.Form):
    """Step 4: where the applicant collects the result."""

    result_delivery = forms.ChoiceField(
        label=_("Bạn muốn nhận kết quả ở đâu?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Bạn chọn nơi nhận kết quả.")},
    )
    delivery_address = forms.CharField(
        label=_("Địa chỉ nhận kết quả qua bưu điện"),
        help_text=_("Chỉ cần ghi khi bạn chọn nhận qua bưu chính."),
        max_length=255,
        required=False,
    )

    def __init__(self, *args: Any, procedure: Procedure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(Delivery.COUNTER.value, _("Tại bộ phận một cửa nơi tôi nộp hồ sơ"))]
        choices.append((Delivery.POST.value, _("Qua bưu chính, gửi về địa chỉ của tôi")))
        if procedure.online == "full":
            choices.append((Delivery.ONLINE.value, _("Trực tuyến, tải về trên cổng này")))
        field = self.fields["result_delivery"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("result_delivery") == Delivery.POST
            and not cleaned.get("delivery_address", "").strip()
        ):
            self.add_error("delivery_address", _("Bạn ghi địa chỉ để bưu điện mang kết quả đến."))
        return cleaned
