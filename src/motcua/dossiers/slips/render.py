"""``render_slip``: one entry point from a slip's kind and data to PDF bytes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from reportlab.platypus import Flowable

from . import forms
from .data import (
    ApologyData,
    ControlSlipData,
    ReceiptData,
    RefusalData,
    SlipData,
    StopNoticeData,
    SubmissionConfirmationData,
    SupplementRequestData,
)
from .layout import build_pdf
from .typefaces import register_fonts

#: The ``{form}`` of ``GET /api/v1/dossiers/{code}/forms/{form}.pdf``, in the order of Mẫu 01-06.
SLIP_KINDS = (
    "receipt",
    "supplement-request",
    "refusal",
    "apology",
    "stop-notice",
    "control-slip",
)

# kind → (data class it takes, form number, function building its content)
_FORMS: dict[str, tuple[type[Any], str, Callable[[Any], list[Flowable]]]] = {
    "receipt": (ReceiptData, "01", forms.receipt),
    "supplement-request": (SupplementRequestData, "02", forms.supplement_request),
    "refusal": (RefusalData, "03", forms.refusal),
    "apology": (ApologyData, "04", forms.apology),
    "stop-notice": (StopNoticeData, "05", forms.stop_notice),
    "control-slip": (ControlSlipData, "06", forms.control_slip),
}


_RENDER_LOCK = threading.Lock()


def render_slip(kind: str, data: SlipData) -> bytes:
    """Render the slip ``kind`` (one of ``SLIP_KINDS``) for ``data`` as an A4 PDF.

    Raises ``ValueError`` for an unknown kind or a naive datetime in ``data``, and ``TypeError``
    when ``data`` is not the data class of that kind (a receipt cannot be drawn from a refusal).
    Pure: the same data, in the same active language, gives the same bytes.
    """
    try:
        data_class, number, build = _FORMS[kind]
    except KeyError:
        raise ValueError(
            f"unknown slip kind {kind!r}; expected one of {', '.join(SLIP_KINDS)}"
        ) from None
    if not isinstance(data, data_class):
        raise TypeError(f"slip {kind!r} needs {data_class.__name__}, got {type(data).__name__}")
    # Paragraphs look their fonts up when they are created, so register before building them.
    register_fonts()
    # ReportLab keeps per-font subsetting state that concurrent documents in one process would
    # share; one slip at a time per process (a slip takes milliseconds; web workers are processes).
    with _RENDER_LOCK:
        story = build(data)
        return build_pdf(
            story,
            title=_("Mẫu %(number)s — hồ sơ %(code)s") % {"number": number, "code": data.code},
            subject=_("Thông tư 03/2025/TT-VPCP, Phụ lục I, Mẫu %(number)s") % {"number": number},
            header=data.header,
        )


def render_submission_confirmation(data: SubmissionConfirmationData) -> bytes:
    """The confirmation of an online submission as an A4 PDF.

    Not one of ``SLIP_KINDS`` (the API's Mẫu 01-06): the portal offers it to the applicant right
    after submitting, before the desk issues the receipt.
    """
    if not isinstance(data, SubmissionConfirmationData):
        raise TypeError(f"needs SubmissionConfirmationData, got {type(data).__name__}")
    register_fonts()
    with _RENDER_LOCK:
        story = forms.submission_confirmation(data)
        return build_pdf(
            story,
            title=_("Phiếu xác nhận nộp hồ sơ trực tuyến — hồ sơ %(code)s") % {"code": data.code},
            subject=_("Phiếu xác nhận nộp hồ sơ trực tuyến"),
            header=data.header,
        )
