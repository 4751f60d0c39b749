"""The standard slips (Circular 03/2025/TT-VPCP, Annex I, Mẫu 01-06) as PDF.

A pure rendering layer: build one of the frozen data classes of ``data`` and pass it to
``render_slip``. Nothing here reads the database or settings; ``builders`` turns a dossier into
those data classes.
"""

from .data import (
    ApologyData,
    Applicant,
    ControlSlipData,
    HandoverRow,
    ReceiptData,
    ReceivedDocument,
    RefusalData,
    SlipData,
    SlipHeader,
    StepTimeliness,
    StopNoticeData,
    SubmissionConfirmationData,
    SupplementRequestData,
)
from .layout import qr_code
from .render import SLIP_KINDS, render_slip, render_submission_confirmation

__all__ = [
    "SLIP_KINDS",
    "ApologyData",
    "Applicant",
    "ControlSlipData",
    "HandoverRow",
    "ReceiptData",
    "ReceivedDocument",
    "RefusalData",
    "SlipData",
    "SlipHeader",
    "StepTimeliness",
    "StopNoticeData",
    "SubmissionConfirmationData",
    "SupplementRequestData",
    "qr_code",
    "render_slip",
    "render_submission_confirmation",
]
