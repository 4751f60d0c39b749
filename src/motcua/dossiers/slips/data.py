"""What each slip shows, as plain frozen values.

The renderer reads nothing else: no model, no query, no setting. Whoever prints a slip (the API, the
back office, a test) builds one of these first, so the layout can be checked without a database and
the data can be checked without reading a PDF. Strings are printed as given; datetimes must be
aware and are shown in Vietnam's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, TypeAlias

#: How a step of the control slip ended compared with its own deadline; "" while it is still open.
StepTimeliness = Literal["early", "on_time", "late", ""]


@dataclass(frozen=True)
class SlipHeader:
    """The top of every slip: who issues it, where and when.

    ``agency_name`` is the issuing agency or unit ("Ủy ban nhân dân xã Cái Nhum", or "Bộ phận Một
    cửa" under a ``parent_agency_name``); both are printed in capitals as official documents do.
    ``issued_at`` gives the place-and-date line and the PDF's creation date.
    """

    agency_name: str
    place: str
    issued_at: datetime
    parent_agency_name: str = ""
    #: The document number ("15/PXL-UBND") where the agency numbers its letters; dots when blank.
    number: str = ""


@dataclass(frozen=True)
class Applicant:
    """The person or organisation the dossier belongs to, as they gave their details."""

    full_name: str
    id_number: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class ReceivedDocument:
    """One line of the receipt's table of documents: how many originals and copies were handed in."""

    name: str
    originals: int = 0
    copies: int = 0


@dataclass(frozen=True)
class ReceiptData:
    """Mẫu 01: the receipt with the appointment to collect the result."""

    header: SlipHeader
    code: str
    procedure_name: str
    applicant: Applicant
    documents: tuple[ReceivedDocument, ...]
    sets: int
    received_at: datetime
    due_at: datetime
    #: Where and how the result will be handed over, already worded for the applicant.
    delivery: str
    officer_name: str
    #: The public tracking page of this dossier; encoded in the QR code and printed under it.
    tracking_url: str
    #: The processing time as the procedure states it ("05 ngày làm việc"); left out when blank.
    processing_time: str = ""


@dataclass(frozen=True)
class SubmissionConfirmationData:
    """Phiếu xác nhận nộp hồ sơ trực tuyến: what the applicant sent online, before the desk has
    received it. Not one of Mẫu 01-06: the receipt (Mẫu 01) with the appointment follows once the
    desk receives the dossier."""

    header: SlipHeader
    code: str
    procedure_name: str
    applicant: Applicant
    submitted_at: datetime
    #: The names of the documents sent, in the order the procedure lists them.
    documents: tuple[str, ...]
    #: Where and how the result will be handed over, already worded for the applicant.
    delivery: str
    #: The public tracking page of this dossier; encoded in the QR code and printed under it.
    tracking_url: str
    #: The processing time as the procedure states it ("05 ngày làm việc"); left out when blank.
    processing_time: str = ""


@dataclass(frozen=True)
class SupplementRequestData:
    """Mẫu 02: what the applicant must add or correct, and why."""

    header: SlipHeader
    code: str
    procedure_name: str
    applicant: Applicant
    items: tuple[str, ...]
    reason: str
    officer_name: str
    #: How to reach the officer for help ("0270 3822 123"); left out when blank.
    contact: str = ""
    received_at: datetime | None = None


@dataclass(frozen=True)
class RefusalData:
    """Mẫu 03: the dossier is not accepted, with the reason."""

    header: SlipHeader
    code: str
    procedure_name: str
    applicant: Applicant
    reason: str
    officer_name: str
    submitted_at: datetime | None = None


@dataclass(frozen=True)
class ApologyData:
    """Mẫu 04: the agency apologises for missing the appointment and sets a new one."""

    header: SlipHeader
    code: str
    procedure_name: str
    applicant: Applicant
    received_at: datetime
    original_due_at: datetime
    new_due_at: datetime
    reason: str
    signer_name: str
    #: The signer's title in capitals ("CHỦ TỊCH"); the form's "THỦ TRƯỞNG CƠ QUAN" when blank.
    signer_title: str = ""


@dataclass(frozen=True)
class StopNoticeData:
    """Mẫu 05: processing stops because the applicant asked for it."""

    header: SlipHeader
    code: str
    procedure_name: str
    applicant: Applicant
    received_at: datetime
    #: When the applicant asked to withdraw the dossier.
    requested_at: datetime
    stopped_at: datetime
    reason: str
    officer_name: str


@dataclass(frozen=True)
class HandoverRow:
    """One hand-over of the control slip: who gave the dossier to whom, when, and how the giver's
    step ended against its deadline."""

    giver_name: str
    giver_agency: str
    receiver_name: str
    receiver_agency: str
    handed_over_at: datetime
    timeliness: StepTimeliness = ""
    note: str = ""


@dataclass(frozen=True)
class ControlSlipData:
    """Mẫu 06: the control slip that travels with the dossier between agencies."""

    header: SlipHeader
    code: str
    procedure_name: str
    applicant: Applicant
    received_at: datetime
    due_at: datetime
    rows: tuple[HandoverRow, ...]
    #: The agency that decides on the dossier; left out when blank.
    handling_agency: str = ""
    #: Other agencies that take part (liên thông).
    coordinating_agencies: tuple[str, ...] = ()


SlipData: TypeAlias = (
    ReceiptData
    | SupplementRequestData
    | RefusalData
    | ApologyData
    | StopNoticeData
    | ControlSlipData
)
