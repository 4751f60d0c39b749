"""From a dossier to the data of its slips (``slip_data_for``), reading only the models.

Kept apart from the renderer so that the layout can be tested without a database and this
module without reading PDFs. Where a slip's facts live:

- receipt: the dossier (times, sets, delivery), its documents or the procedure's required
  documents, and the ``receive`` event (the officer);
- supplement-request, refusal, apology: the latest ``request_supplement`` / ``refuse`` /
  ``extend`` event (items, reason, who, when, previous and new due times);
- stop-notice: the ``withdraw`` event (the applicant's request and reason) and the ``stop``
  event (who stopped it, when);
- control-slip: the dossier's steps, one hand-over between each step and the next.
"""

from __future__ import annotations

import re
from datetime import datetime
from itertools import pairwise

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from motcua.catalog.models import Agency
from motcua.dossiers.constants import Action, Delivery
from motcua.dossiers.models import Document, Dossier, DossierEvent, DossierStep

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


class SlipUnavailable(ValueError):
    """The dossier has no such slip (yet): e.g. an apology for a dossier never extended."""


# A locality's name follows its kind in an agency's name: "Ủy ban nhân dân xã Cái Nhum".
_LOCALITY = re.compile(
    r"\b(?:xã|phường|thị trấn|đặc khu|thị xã|huyện|quận|thành phố|tỉnh)\s+(.+)$", re.IGNORECASE
)


def place_of(agency: Agency) -> str:
    """The place name for the date line: the locality in the name of the agency or its nearest
    ancestor ("Cái Nhum" for a commune's one-stop desk, "Vĩnh Long" for a provincial department).

    Decree 30/2020/NĐ-CP dates a document at the locality where the agency sits; the catalogue
    has no such field, but official agency names end with it. Blank when none says it: the slip
    then prints dots to fill in.
    """
    node: Agency | None = agency
    while node is not None:
        match = _LOCALITY.search(node.name)
        if match:
            return match.group(1).strip()
        node = node.parent
    return ""


def header_for(agency: Agency, issued_at: datetime, *, number: str = "") -> SlipHeader:
    parent = agency.parent
    return SlipHeader(
        agency_name=agency.name,
        place=place_of(agency),
        issued_at=issued_at,
        parent_agency_name=parent.name if parent is not None else "",
        number=number,
    )


def applicant_of(dossier: Dossier) -> Applicant:
    given = dossier.applicant or {}
    return Applicant(
        full_name=str(given.get("full_name") or dossier.applicant_name),
        id_number=str(given.get("id_number") or dossier.applicant_id_number),
        address=str(given.get("address") or ""),
        phone=str(given.get("phone") or dossier.applicant_phone),
        email=str(given.get("email") or ""),
    )


def _latest_event(dossier: Dossier, action: str) -> DossierEvent | None:
    return (
        DossierEvent.objects.filter(dossier=dossier, action=action)
        .select_related("actor")
        .order_by("-seq")
        .first()
    )


def _actor_name(event: DossierEvent | None) -> str:
    if event is None:
        return ""
    if event.actor is not None:
        return event.actor.full_name or event.actor.username
    return event.actor_name


def _agency_of(event: DossierEvent | None, fallback: Agency) -> Agency:
    """The agency that acted in ``event`` (it issues the slip), else ``fallback``."""
    if event is not None and event.agency_code:
        found = Agency.objects.select_related("parent").filter(code=event.agency_code).first()
        if found is not None:
            return found
    return fallback


def _when(value: object, fallback: datetime | None) -> datetime | None:
    parsed = parse_datetime(value) if isinstance(value, str) else None
    return parsed if parsed is not None and parsed.tzinfo is not None else fallback


def _require(value: datetime | None, what: str) -> datetime:
    if value is None:
        raise SlipUnavailable(what)
    return value


def tracking_url(public_url: str, code: str) -> str:
    """The public tracking page of a dossier, as the QR code on the receipt encodes it."""
    return f"{public_url.rstrip('/')}/tra-cuu/{code}/"


def received_documents(dossier: Dossier) -> tuple[ReceivedDocument, ...]:
    """The receipt's table: each required document the applicant attached (with the numbers of
    originals and copies the procedure asks for), then attachments not tied to one.

    A paper dossier received at the counter has no scans: the officer received what the
    procedure requires (incompleteness is refused or sent for supplement, not received), so its
    required documents are listed. When the desk ticked the documents it received
    (``form_data["received_documents"]``, ids of the procedure's documents), those are listed,
    scanned or not.
    """
    ticked = (dossier.form_data or {}).get("received_documents")
    attached = list(
        Document.objects.filter(dossier=dossier, kind=Document.Kind.APPLICATION)
        .select_related("required_document")
        .order_by("uploaded_at", "id")
    )
    rows: list[ReceivedDocument] = []
    if isinstance(ticked, list):
        for required in dossier.procedure.required_documents.filter(pk__in=ticked).order_by(
            "position", "pk"
        ):
            rows.append(ReceivedDocument(required.name, required.originals, required.copies))
        for document in attached:
            if document.required_document is None:
                rows.append(ReceivedDocument(document.name, copies=1))
        return tuple(rows)
    if not attached:
        for required in dossier.procedure.required_documents.filter(required=True):
            rows.append(ReceivedDocument(required.name, required.originals, required.copies))
        return tuple(rows)
    seen: set[int] = set()
    linked = sorted(
        (d.required_document for d in attached if d.required_document is not None),
        key=lambda r: (r.position, r.pk),
    )
    for required in linked:
        if required.pk not in seen:
            seen.add(required.pk)
            rows.append(ReceivedDocument(required.name, required.originals, required.copies))
    for document in attached:
        if document.required_document is None:
            rows.append(ReceivedDocument(document.name, copies=1))
    return tuple(rows)


def delivery_text(dossier: Dossier) -> str:
    """Where the applicant collects the result, in words."""
    if dossier.result_delivery == Delivery.POST:
        address = applicant_of(dossier).address
        return _("Nhận qua bưu chính, tại địa chỉ: %(address)s") % {"address": address or "……"}
    if dossier.result_delivery == Delivery.ONLINE:
        return _("Nhận trực tuyến, tại trang tra cứu hồ sơ")
    agency = dossier.agency
    where = agency.name + (f", {agency.address}" if agency.address else "")
    return _("Nhận trực tiếp tại %(where)s") % {"where": where}


def processing_time_text(dossier: Dossier) -> str:
    procedure = dossier.procedure
    return f"{procedure.processing_time_value:02d} {procedure.get_processing_time_unit_display()}"


def receipt_data(dossier: Dossier, *, public_url: str) -> ReceiptData:
    received_at = _require(dossier.received_at, "not received")
    due_at = _require(dossier.original_due_at or dossier.due_at, "no appointment")
    code = dossier.code or ""
    event = _latest_event(dossier, Action.RECEIVE)
    return ReceiptData(
        header=header_for(dossier.agency, received_at),
        code=code,
        procedure_name=dossier.procedure.name,
        applicant=applicant_of(dossier),
        documents=received_documents(dossier),
        sets=dossier.sets_received,
        received_at=received_at,
        # The appointment written on the receipt is the first one; an extension gets its own slip.
        due_at=due_at,
        delivery=delivery_text(dossier),
        officer_name=_actor_name(event),
        tracking_url=tracking_url(public_url, code),
        processing_time=processing_time_text(dossier),
    )


def submission_confirmation_data(
    dossier: Dossier, *, public_url: str
) -> SubmissionConfirmationData:
    """What was sent online; raises ``SlipUnavailable`` for a dossier never submitted online."""
    submitted_at = _require(dossier.submitted_at, "not submitted online")
    code = dossier.code or ""
    return SubmissionConfirmationData(
        header=header_for(dossier.agency, submitted_at),
        code=code,
        procedure_name=dossier.procedure.name,
        applicant=applicant_of(dossier),
        submitted_at=submitted_at,
        documents=tuple(row.name for row in received_documents(dossier)),
        delivery=delivery_text(dossier),
        tracking_url=tracking_url(public_url, code),
        processing_time=processing_time_text(dossier),
    )


def supplement_request_data(dossier: Dossier) -> SupplementRequestData:
    event = _latest_event(dossier, Action.REQUEST_SUPPLEMENT)
    if event is None:
        raise SlipUnavailable("no supplement was requested")
    agency = _agency_of(event, dossier.agency)
    items = event.data.get("items") if isinstance(event.data, dict) else None
    return SupplementRequestData(
        header=header_for(agency, event.at),
        code=dossier.code or "",
        procedure_name=dossier.procedure.name,
        applicant=applicant_of(dossier),
        items=tuple(str(item) for item in items or ()),
        reason=event.note,
        officer_name=_actor_name(event),
        contact=agency.phone,
        received_at=dossier.received_at,
    )


def refusal_data(dossier: Dossier) -> RefusalData:
    event = _latest_event(dossier, Action.REFUSE)
    if event is None:
        raise SlipUnavailable("not refused")
    return RefusalData(
        header=header_for(_agency_of(event, dossier.agency), event.at),
        code=dossier.code or "",
        procedure_name=dossier.procedure.name,
        applicant=applicant_of(dossier),
        reason=event.note,
        officer_name=_actor_name(event),
        submitted_at=dossier.submitted_at,
    )


def apology_data(dossier: Dossier) -> ApologyData:
    event = _latest_event(dossier, Action.EXTEND)
    if event is None:
        raise SlipUnavailable("never extended")
    data = event.data if isinstance(event.data, dict) else {}
    return ApologyData(
        header=header_for(_agency_of(event, dossier.current_agency), event.at),
        code=dossier.code or "",
        procedure_name=dossier.procedure.name,
        applicant=applicant_of(dossier),
        received_at=_require(dossier.received_at, "not received"),
        original_due_at=_require(
            _when(data.get("previous_due_at"), dossier.original_due_at), "no appointment"
        ),
        new_due_at=_require(_when(data.get("new_due_at"), dossier.due_at), "no new appointment"),
        reason=event.note,
        signer_name=_actor_name(event),
    )


def stop_notice_data(dossier: Dossier) -> StopNoticeData:
    stopped_at = _require(dossier.stopped_at, "not stopped")
    request = _latest_event(dossier, Action.WITHDRAW)
    # Withdrawn before reception the dossier stops at once, with no separate stop by an officer.
    stop = _latest_event(dossier, Action.STOP)
    return StopNoticeData(
        header=header_for(_agency_of(stop, dossier.agency), stopped_at),
        code=dossier.code or "",
        procedure_name=dossier.procedure.name,
        applicant=applicant_of(dossier),
        received_at=_require(dossier.received_at, "not received"),
        requested_at=request.at if request is not None else stopped_at,
        stopped_at=stopped_at,
        reason=request.note if request is not None else "",
        officer_name=_actor_name(stop),
    )


def _person(user: object) -> str:
    full_name = getattr(user, "full_name", "") or getattr(user, "username", "")
    return str(full_name)


def _timeliness(step: DossierStep) -> StepTimeliness:
    value = step.timeliness
    if value == "early":
        return "early"
    if value == "on_time":
        return "on_time"
    if value == "late":
        return "late"
    return ""


def handover_rows(dossier: Dossier, steps: list[DossierStep]) -> tuple[HandoverRow, ...]:
    """One row per hand-over: from each step to the next, then the result back to the desk.

    A row's result is how the giver's step ended against that step's own deadline, which is what
    the control slip asks each holder to account for.
    """
    rows: list[HandoverRow] = []
    for previous, step in pairwise(steps):
        giver = step.handed_over_by or previous.finished_by or previous.assignee
        note = step.name
        if previous.outcome == "send_back":
            note = _("Trả lại: %(step)s") % {"step": step.name}
        rows.append(
            HandoverRow(
                giver_name=_person(giver) if giver is not None else "",
                giver_agency=previous.agency.name,
                receiver_name=_person(step.assignee) if step.assignee is not None else "",
                receiver_agency=step.agency.name,
                handed_over_at=step.started_at,
                timeliness=_timeliness(previous),
                note=note,
            )
        )
    last = steps[-1] if steps else None
    if last is not None and last.finished_at is not None and dossier.resolved_at is not None:
        rows.append(
            HandoverRow(
                giver_name=_person(last.finished_by) if last.finished_by is not None else "",
                giver_agency=last.agency.name,
                receiver_name="",
                receiver_agency=dossier.agency.name,
                handed_over_at=last.finished_at,
                timeliness=_timeliness(last),
                note=_("Chuyển kết quả để trả cho người nộp"),
            )
        )
    return tuple(rows)


def control_slip_data(dossier: Dossier, *, issued_at: datetime) -> ControlSlipData:
    received_at = _require(dossier.received_at, "not received")
    steps = list(
        DossierStep.objects.filter(dossier=dossier)
        .select_related("agency", "agency__parent", "assignee", "handed_over_by", "finished_by")
        .order_by("started_at", "id")
    )
    handling = steps[-1].agency if steps else dossier.current_agency
    others: list[str] = []
    for step in steps:
        name = step.agency.name
        # The receiving desk only passes the dossier on; it does not take part in deciding.
        if step.agency_id not in (handling.pk, dossier.agency_id) and name not in others:
            others.append(name)
    return ControlSlipData(
        header=header_for(dossier.agency, issued_at),
        code=dossier.code or "",
        procedure_name=dossier.procedure.name,
        applicant=applicant_of(dossier),
        received_at=received_at,
        due_at=_require(dossier.original_due_at or dossier.due_at, "no appointment"),
        rows=handover_rows(dossier, steps),
        handling_agency=handling.name,
        coordinating_agencies=tuple(others),
    )


def slip_data_for(dossier: Dossier, kind: str, *, public_url: str, now: datetime) -> SlipData:
    """The data of slip ``kind`` for ``dossier``.

    ``public_url`` is the portal's address (``settings.MOTCUA_PUBLIC_URL``) for the receipt's QR
    code; ``now`` dates the control slip, the only slip printed as of a moment rather than of an
    event. Raises ``ValueError`` for an unknown kind and ``SlipUnavailable`` (a ``ValueError``)
    when the dossier has no such slip.
    """
    if kind == "receipt":
        return receipt_data(dossier, public_url=public_url)
    if kind == "supplement-request":
        return supplement_request_data(dossier)
    if kind == "refusal":
        return refusal_data(dossier)
    if kind == "apology":
        return apology_data(dossier)
    if kind == "stop-notice":
        return stop_notice_data(dossier)
    if kind == "control-slip":
        return control_slip_data(dossier, issued_at=now)
    raise ValueError(f"unknown slip kind {kind!r}")
