"""The forms of the dossier screen's actions: one per action of the status machine an officer
can take, each with the fields the action needs and the dossier's ``version``.

They check input only (required, numbers, dates). Whether the action may be taken, and every
rule about its fields (a later step, an assignee of the receiving agency, an extension once and
to a later time), is the dossier services' business: their errors are put on these forms.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.constants import Action, Delivery
from motcua.dossiers.models import Document

from .dossier_selectors import ForwardTarget

NOTE_MAX_CHARS = 2000
ACCEPT = "application/pdf,image/jpeg,image/png"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (a scanner's pages, a result and its annex)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _note(label: Any, *, required: bool = False, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=NOTE_MAX_CHARS,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ActionForm(forms.Form):
    """The base: the version the officer saw, and a note."""

    action: str = ""
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    note = _note(_("Ghi chú"))

    def __init__(self, *args: Any, dossier: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", self.action)
        kwargs.setdefault("initial", {"version": dossier.version})
        super().__init__(*args, **kwargs)
        self.dossier = dossier
        # The note last, after the fields the action is about.
        self.order_fields([name for name in self.fields if name != "note"] + ["note"])

    def mark_errors(self) -> None:
        """Tie each field in error to the message shown next to it (WCAG 3.3.1, 1.3.1)."""
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self[name].auto_id}_error"

    def service_fields(self) -> dict[str, Any]:
        """The ``fields`` of ``dossier_act``."""
        return {"note": self.cleaned_data.get("note", "").strip()}

    def uploads(self) -> list[tuple[str, Any]]:
        """(kind, file) to attach before the action, through ``dossier_attach``."""
        return []


class ReceiveForm(ActionForm):
    action = Action.RECEIVE


class RefuseForm(ActionForm):
    action = Action.REFUSE
    note = _note(_("Lý do từ chối tiếp nhận"), required=True)


class RequestSupplementForm(ActionForm):
    action = Action.REQUEST_SUPPLEMENT
    items = forms.MultipleChoiceField(
        label=_("Giấy tờ cần bổ sung"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Đánh dấu các thành phần hồ sơ người nộp cần bổ sung."),
    )
    other_items = forms.CharField(
        label=_("Yêu cầu khác"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        help_text=_("Mỗi dòng một yêu cầu."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note = _note(_("Lý do, hướng dẫn cho người nộp"))

    def __init__(self, *args: Any, dossier: Any, **kwargs: Any) -> None:
        super().__init__(*args, dossier=dossier, **kwargs)
        names = [rd.name for rd in dossier.procedure.required_documents.all()]
        cast(forms.ChoiceField, self.fields["items"]).choices = [(name, name) for name in names]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("items") and not (cleaned.get("other_items") or "").strip():
            self.add_error(
                "items", _("Chọn ít nhất một giấy tờ, hoặc ghi yêu cầu khác ở ô bên dưới.")
            )
        return cleaned

    def service_fields(self) -> dict[str, Any]:
        others = [line.strip() for line in self.cleaned_data["other_items"].splitlines()]
        return {
            **super().service_fields(),
            "items": [*self.cleaned_data["items"], *(line for line in others if line)],
        }


class SupplementForm(ActionForm):
    """The counter takes the missing papers from a walk-in applicant and scans them."""

    action = Action.SUPPLEMENT
    attachments = MultipleFileField(
        label=_("Bản chụp giấy tờ bổ sung"), help_text=_("PDF, JPG hoặc PNG; chọn được nhiều tệp.")
    )

    def uploads(self) -> list[tuple[str, Any]]:
        return [(Document.Kind.APPLICATION, f) for f in self.cleaned_data["attachments"]]


class ForwardForm(ActionForm):
    action = Action.FORWARD
    to_step = forms.TypedChoiceField(label=_("Chuyển đến bước"), coerce=int)
    assignee = forms.ChoiceField(
        label=_("Người xử lý"),
        required=False,
        help_text=_("Để trống: đơn vị nhận tự phân công."),
    )

    def __init__(
        self, *args: Any, dossier: Any, targets: list[ForwardTarget], **kwargs: Any
    ) -> None:
        super().__init__(*args, dossier=dossier, **kwargs)
        cast(forms.ChoiceField, self.fields["to_step"]).choices = [
            (t.position, f"{t.position}. {t.name} — {t.agency.name}") for t in targets
        ]
        if targets:
            self.initial.setdefault("to_step", targets[0].position)
        # Grouped by step, so the choice works without JavaScript; the service checks that the
        # person belongs to the agency of the chosen step.
        groups: list[tuple[str, Any]] = [("", _("— Chưa phân công —"))]
        for t in targets:
            people = [(u.username, u.full_name or u.username) for u in t.candidates]
            if people:
                groups.append((f"{t.position}. {t.name} — {t.agency.name}", people))
        cast(forms.ChoiceField, self.fields["assignee"]).choices = groups

    def service_fields(self) -> dict[str, Any]:
        return {
            **super().service_fields(),
            "to_step": self.cleaned_data["to_step"],
            "assignee": self.cleaned_data["assignee"] or None,
        }


class SendBackForm(ActionForm):
    action = Action.SEND_BACK
    note = _note(_("Lý do trả lại bước trước"), required=True)


class RequestPaymentForm(ActionForm):
    action = Action.REQUEST_PAYMENT
    amount = forms.IntegerField(
        label=_("Số tiền (đồng)"),
        min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "1000"}),
    )

    def service_fields(self) -> dict[str, Any]:
        return {**super().service_fields(), "amount": self.cleaned_data["amount"]}


class PayForm(ActionForm):
    """Cash (or a transfer) taken at the counter: the payments ledger records it with the number
    of the receipt handed over (required while something is owed; an exempted dossier goes on
    without one)."""

    action = Action.PAY
    method = forms.ChoiceField(
        label=_("Hình thức nộp"),
        choices=[("cash", _("Tiền mặt")), ("transfer", _("Chuyển khoản"))],
    )
    receipt_number = forms.CharField(
        label=_("Số biên lai"),
        required=False,
        max_length=64,
        help_text=_("Số của biên lai thu phí, lệ phí đã giao cho người nộp."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, dossier: Any, **kwargs: Any) -> None:
        super().__init__(*args, dossier=dossier, **kwargs)
        self.owed = dossier.fees_paid < dossier.fees_total
        if self.owed:
            self.fields["receipt_number"].widget.attrs["required"] = "required"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.owed and not (cleaned.get("receipt_number") or "").strip():
            self.add_error("receipt_number", _("Nhập số biên lai đã giao cho người nộp."))
        return cleaned

    def service_fields(self) -> dict[str, Any]:
        return {
            **super().service_fields(),
            "method": self.cleaned_data["method"],
            "receipt_number": self.cleaned_data["receipt_number"].strip(),
        }


class ApproveForm(ActionForm):
    action = Action.APPROVE
    result_documents = forms.MultipleChoiceField(
        label=_("Tệp kết quả đã có"), required=False, widget=forms.CheckboxSelectMultiple
    )
    attachments = MultipleFileField(
        label=_("Tải lên văn bản kết quả"),
        help_text=_("PDF, JPG hoặc PNG; chọn được nhiều tệp."),
    )

    def __init__(self, *args: Any, dossier: Any, **kwargs: Any) -> None:
        super().__init__(*args, dossier=dossier, **kwargs)
        results = [d for d in dossier.documents.all() if d.kind == Document.Kind.RESULT]
        cast(forms.ChoiceField, self.fields["result_documents"]).choices = [
            (str(d.pk), d.name) for d in results
        ]
        self.initial.setdefault("result_documents", [str(d.pk) for d in results])

    def service_fields(self) -> dict[str, Any]:
        return {
            **super().service_fields(),
            "result_documents": self.cleaned_data["result_documents"],
        }

    def uploads(self) -> list[tuple[str, Any]]:
        return [(Document.Kind.RESULT, f) for f in self.cleaned_data["attachments"]]


class RejectForm(ActionForm):
    action = Action.REJECT
    note = _note(_("Lý do không giải quyết"), required=True)


class ExtendForm(ActionForm):
    action = Action.EXTEND
    new_due_at = forms.DateTimeField(
        label=_("Thời hạn mới"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Chỉ gia hạn được một lần, trước khi đến hạn."),
    )
    note = _note(
        _("Lý do gia hạn (ghi vào phiếu xin lỗi)"),
        required=True,
    )

    def service_fields(self) -> dict[str, Any]:
        new_due: dt.datetime = self.cleaned_data["new_due_at"]
        if timezone.is_naive(new_due):
            new_due = timezone.make_aware(new_due)
        return {**super().service_fields(), "new_due_at": new_due}


class StopForm(ActionForm):
    action = Action.STOP


class ReturnResultForm(ActionForm):
    action = Action.RETURN_RESULT
    delivery = forms.ChoiceField(label=_("Hình thức trả kết quả"), choices=Delivery.choices)

    def __init__(self, *args: Any, dossier: Any, **kwargs: Any) -> None:
        super().__init__(*args, dossier=dossier, **kwargs)
        self.initial.setdefault("delivery", dossier.result_delivery)

    def service_fields(self) -> dict[str, Any]:
        return {**super().service_fields(), "delivery": self.cleaned_data["delivery"]}


REASSIGN = "reassign"  # not an action of the status machine: ``dossier_reassign``


class ReassignForm(ActionForm):
    """A leader gives the dossier's current step to another officer of the holding agency."""

    action = REASSIGN
    assignee = forms.ChoiceField(label=_("Giao cho"))

    def __init__(self, *args: Any, dossier: Any, officers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, dossier=dossier, **kwargs)
        cast(forms.ChoiceField, self.fields["assignee"]).choices = [
            ("", _("— Chọn người —")),
            *((u.username, u.full_name or u.username) for u in officers),
        ]

    def service_fields(self) -> dict[str, Any]:
        return {**super().service_fields(), "assignee": self.cleaned_data["assignee"]}


ACTION_FORMS: dict[str, type[ActionForm]] = {
    form.action: form
    for form in (
        ReceiveForm,
        RequestSupplementForm,
        SupplementForm,
        RefuseForm,
        ForwardForm,
        SendBackForm,
        RequestPaymentForm,
        PayForm,
        ApproveForm,
        RejectForm,
        ExtendForm,
        StopForm,
        ReturnResultForm,
        ReassignForm,
    )
}
