"""The content of the six slips of Circular 03/2025/TT-VPCP, Annex I (Mẫu 01-06).

Each function turns one data class into a list of flowables. The titles are the forms' legal
names; the wording around the values is ours, in plain Vietnamese, through gettext so that another
language can be added by translation alone.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from .data import (
    ApologyData,
    Applicant,
    ControlSlipData,
    ReceiptData,
    RefusalData,
    StopNoticeData,
    SubmissionConfirmationData,
    SupplementRequestData,
)
from .formatting import appointment, date_numeric, date_words, local
from .layout import (
    CELL,
    CELL_CENTER,
    CELL_HEAD,
    CENTERED,
    FIELD,
    INDENTED,
    SMALL,
    SMALL_BOLD_ITALIC,
    TEXT_WIDTH,
    NationalHeading,
    field,
    grid_table,
    markup,
    nobreak,
    para,
    qr_code,
    rich,
    sentence,
    signature_cell,
    signatures,
    title,
)

# Marked for translation here, translated when a slip is drawn (in the language active then).
TIMELINESS_LABELS = {
    "early": gettext_noop("Trước hạn"),
    "on_time": gettext_noop("Đúng hạn"),
    "late": gettext_noop("Quá hạn"),
}


def _code_line(code: str) -> str:
    # Labels are translated outside f-strings: xgettext does not look inside them.
    label = markup(_("Mã hồ sơ"))
    return f"{label}: <b>{markup(code) if code else '……………'}</b>"


def _applicant_fields(applicant: Applicant, *, label: str) -> list[Flowable]:
    phone_label = markup(_("Số điện thoại"))
    email_label = markup(_("Thư điện tử"))
    return [
        field(label, applicant.full_name, bold=True),
        field(_("Số định danh cá nhân"), applicant.id_number),
        field(_("Địa chỉ"), applicant.address),
        Paragraph(
            f"{phone_label}: {markup(applicant.phone) or '……………'}"
            f"&nbsp;&nbsp;&nbsp;&nbsp;{email_label}: "
            f"{markup(applicant.email) or '……………'}",
            FIELD,
        ),
    ]


def receipt(data: ReceiptData) -> list[Flowable]:
    """Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả."""
    header = data.header
    story: list[Flowable] = [
        NationalHeading(header),
        *title(_("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"), _code_line(data.code)),
        para(_("%(agency)s đã tiếp nhận hồ sơ của:") % {"agency": header.agency_name}),
        *_applicant_fields(data.applicant, label=_("Ông/Bà")),
        field(_("Nội dung yêu cầu giải quyết"), data.procedure_name, bold=True),
    ]

    documents_label = markup(_("Thành phần hồ sơ đã nhận:"))
    story.append(Paragraph(f"1. {documents_label}", FIELD))
    story.append(_documents_table(data))
    story.append(Spacer(1, 4))

    labels = {
        "sets": markup(_("Số bộ hồ sơ")),
        "set_unit": markup(_("bộ")),
        "processing_time": markup(_("Thời gian giải quyết theo quy định")),
        "received_at": markup(_("Thời gian nhận hồ sơ")),
        "due_at": markup(_("Thời gian hẹn trả kết quả")),
        "delivery": markup(_("Nơi nhận kết quả")),
    }
    lines = [
        f"{labels['sets']}: <b>{data.sets:02d}</b> {labels['set_unit']}",
    ]
    if data.processing_time:
        lines.append(f"{labels['processing_time']}: {markup(data.processing_time)}")
    lines += [
        f"{labels['received_at']}: <b>{markup(appointment(data.received_at))}</b>",
        f"{labels['due_at']}: <b>{markup(appointment(data.due_at))}</b>",
        f"{labels['delivery']}: {markup(data.delivery) or '……………'}",
    ]
    for number, line in enumerate(lines, start=2):
        story.append(Paragraph(f"{number}. {line}", FIELD))

    story.append(Spacer(1, 6))
    story.append(_tracking_box(data))
    story.append(
        signatures(
            signature_cell(_("Người nộp hồ sơ"), data.applicant.full_name),
            signature_cell(_("Người tiếp nhận hồ sơ"), data.officer_name),
        )
    )
    return story


def _documents_table(data: ReceiptData) -> Table:
    widths = [10 * mm, TEXT_WIDTH - 10 * mm - 2 * 22 * mm, 22 * mm, 22 * mm]
    rows: list[list[Flowable | str]] = [
        [
            Paragraph(markup(_("TT")), CELL_HEAD),
            Paragraph(markup(_("Tên giấy tờ")), CELL_HEAD),
            Paragraph(markup(_("Bản chính")), CELL_HEAD),
            Paragraph(markup(_("Bản sao")), CELL_HEAD),
        ]
    ]
    for number, document in enumerate(data.documents, start=1):
        rows.append(
            [
                Paragraph(str(number), CELL_CENTER),
                Paragraph(markup(document.name), CELL),
                Paragraph(str(document.originals) if document.originals else "-", CELL_CENTER),
                Paragraph(str(document.copies) if document.copies else "-", CELL_CENTER),
            ]
        )
    if not data.documents:
        rows.append(["", Paragraph(markup(_("(không có)")), CELL), "", ""])
    return grid_table(rows, widths)


def _tracking_box(
    data: ReceiptData | SubmissionConfirmationData, *, bring_slip: bool = True
) -> Flowable:
    """The QR code to the public tracking page, with the same link spelled out beside it."""
    size = 30 * mm
    text = [
        Paragraph(markup(_("Tra cứu tình trạng hồ sơ")), SMALL_BOLD_ITALIC),
        Paragraph(
            markup(
                _(
                    "Quét mã QR bằng điện thoại, hoặc mở địa chỉ dưới đây, để xem hồ sơ đang ở "
                    "đâu và khi nào có kết quả. Không cần đăng nhập."
                )
            ),
            SMALL,
        ),
        Paragraph(f"<b>{markup(data.tracking_url)}</b>", SMALL),
    ]
    if bring_slip:
        text.append(
            Paragraph(
                markup(
                    _(
                        "Khi đến nhận kết quả, xin mang theo giấy này và giấy tờ tùy thân "
                        "(căn cước hoặc căn cước công dân)."
                    )
                ),
                SMALL,
            )
        )
    table = Table(
        [[qr_code(data.tracking_url, size=size), text]],
        colWidths=[size + 4 * mm, TEXT_WIDTH - size - 4 * mm],
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BOX", (0, 0), (-1, -1), 0.6, "black"),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        ),
    )
    return KeepTogether([table])


def submission_confirmation(data: SubmissionConfirmationData) -> list[Flowable]:
    """Phiếu xác nhận nộp hồ sơ trực tuyến: what was sent, and what happens next."""
    header = data.header
    story: list[Flowable] = [
        NationalHeading(header),
        *title(_("Phiếu xác nhận nộp hồ sơ trực tuyến"), _code_line(data.code)),
        para(
            _("%(agency)s xác nhận đã nhận được hồ sơ nộp trực tuyến của:")
            % {"agency": header.agency_name}
        ),
        *_applicant_fields(data.applicant, label=_("Ông/Bà")),
        field(_("Nội dung yêu cầu giải quyết"), data.procedure_name, bold=True),
        field(_("Thời gian nộp hồ sơ"), appointment(data.submitted_at), bold=True),
        Paragraph(markup(_("Giấy tờ đã gửi:")), FIELD),
    ]
    if data.documents:
        for number, name in enumerate(data.documents, start=1):
            story.append(Paragraph(f"{number}. {markup(name)}", INDENTED))
    else:
        story.append(Paragraph(markup(_("(không có tệp đính kèm)")), INDENTED))
    if data.processing_time:
        story.append(field(_("Thời gian giải quyết theo quy định"), data.processing_time))
    story.append(field(_("Nơi nhận kết quả"), data.delivery))
    story.append(Spacer(1, 4))
    story.append(Paragraph(markup(_("Tiếp theo sẽ thế nào:")), FIELD))
    steps = [
        _("Cán bộ một cửa của %(agency)s kiểm tra hồ sơ trong giờ làm việc.")
        % {"agency": header.agency_name},
        _(
            "Khi hồ sơ được tiếp nhận, bạn nhận Giấy tiếp nhận hồ sơ và hẹn trả kết quả "
            "(Mẫu 01) với ngày hẹn trả kết quả; thời gian giải quyết tính từ lúc tiếp nhận."
        ),
        _("Nếu còn thiếu giấy tờ, cơ quan sẽ báo rõ cần bổ sung gì."),
        _("Phiếu này xác nhận hồ sơ đã được gửi; phiếu này không phải giấy tiếp nhận hồ sơ."),
    ]
    for number, text in enumerate(steps, start=1):
        story.append(Paragraph(f"{number}. {markup(text)}", INDENTED))
    story.append(Spacer(1, 6))
    story.append(_tracking_box(data, bring_slip=False))
    return story


def supplement_request(data: SupplementRequestData) -> list[Flowable]:
    """Mẫu 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."""
    story: list[Flowable] = [
        NationalHeading(data.header),
        *title(_("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"), _code_line(data.code)),
        *_applicant_fields(data.applicant, label=_("Hồ sơ của Ông/Bà")),
        field(_("Nội dung yêu cầu giải quyết"), data.procedure_name, bold=True),
    ]
    if data.received_at is not None:
        story.append(field(_("Thời gian nhận hồ sơ"), appointment(data.received_at)))
    story.append(Spacer(1, 4))
    story.append(
        para(
            _("Sau khi xem xét, hồ sơ của Ông/Bà cần được bổ sung, hoàn thiện những nội dung sau:")
        )
    )
    items = data.items or ("",)
    for number, item in enumerate(items, start=1):
        story.append(Paragraph(f"{number}. {markup(item) if item.strip() else '……………'}", INDENTED))
    story.append(field(_("Lý do"), sentence(data.reason)))
    story.append(
        para(
            _(
                "Thời gian chờ Ông/Bà bổ sung không tính vào thời hạn giải quyết hồ sơ. Khi bổ "
                "sung, xin mang theo phiếu này."
            )
        )
    )
    if data.contact:
        story.append(
            rich(
                _("Nếu cần hướng dẫn thêm, Ông/Bà liên hệ %(officer)s, điện thoại %(contact)s."),
                plain={"officer": data.officer_name, "contact": nobreak(data.contact)},
            )
        )
    story.append(para(_("Xin cảm ơn Ông/Bà.")))
    story.append(signatures(None, signature_cell(_("Người hướng dẫn"), data.officer_name)))
    return story


def refusal(data: RefusalData) -> list[Flowable]:
    """Mẫu 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ."""
    story: list[Flowable] = [
        NationalHeading(data.header),
        *title(_("Phiếu từ chối tiếp nhận giải quyết hồ sơ"), _code_line(data.code)),
        *_applicant_fields(data.applicant, label=_("Hồ sơ của Ông/Bà")),
        field(_("Nội dung yêu cầu giải quyết"), data.procedure_name, bold=True),
    ]
    if data.submitted_at is not None:
        story.append(field(_("Thời gian nộp hồ sơ"), appointment(data.submitted_at)))
    story.append(Spacer(1, 4))
    story.append(
        para(
            _("%(agency)s không tiếp nhận, giải quyết hồ sơ này vì lý do sau:")
            % {"agency": data.header.agency_name}
        )
    )
    story.append(
        Paragraph(markup(sentence(data.reason)) if data.reason.strip() else "……………", INDENTED)
    )
    story.append(para(_("Xin thông báo để Ông/Bà biết.")))
    story.append(signatures(None, signature_cell(_("Người tiếp nhận hồ sơ"), data.officer_name)))
    return story


def apology(data: ApologyData) -> list[Flowable]:
    """Mẫu 04 — Phiếu xin lỗi và hẹn lại ngày trả kết quả."""
    header = data.header
    agency = header.agency_name
    number = data.header.number or "……/……"
    to_label, sir_or_madam, recipients_label = _("Kính gửi"), _("Ông/Bà"), _("Nơi nhận")
    story: list[Flowable] = [
        NationalHeading(header, reference=_("Số: %(number)s") % {"number": number}),
        *title(_("Phiếu xin lỗi và hẹn lại ngày trả kết quả"), _code_line(data.code)),
        Paragraph(
            f"{markup(to_label)}: <b>{markup(sir_or_madam)} {markup(data.applicant.full_name)}</b>",
            CENTERED,
        ),
        Spacer(1, 6),
        rich(
            _(
                "Ngày %(received)s, %(agency)s tiếp nhận hồ sơ của Ông/Bà đề nghị giải quyết "
                "thủ tục %(procedure)s. Thời gian hẹn trả kết quả ghi trên giấy tiếp nhận là "
                "%(due)s."
            ),
            bold={
                "received": date_numeric(data.received_at),
                "due": appointment(data.original_due_at),
            },
            plain={"agency": agency, "procedure": data.procedure_name},
        ),
        rich(
            _("Đến nay, %(agency)s chưa trả được kết quả đúng hẹn. Lý do: %(reason)s"),
            plain={"agency": agency, "reason": sentence(data.reason)},
        ),
        rich(
            _(
                "Sự chậm trễ này đã làm Ông/Bà mất thêm thời gian, công sức và chi phí. "
                "%(agency)s thành thật xin lỗi Ông/Bà và hẹn trả kết quả vào %(new_due)s."
            ),
            bold={"new_due": appointment(data.new_due_at)},
            plain={"agency": agency},
        ),
        para(_("Mong Ông/Bà thông cảm. Xin trân trọng cảm ơn.")),
    ]
    recipients: list[Flowable] = [
        Paragraph(f"<b><i>{markup(recipients_label)}:</i></b>", SMALL),
        Paragraph(markup(_("- Như trên;")), SMALL),
        Paragraph(markup(_("- Lưu: VT.")), SMALL),
    ]
    story.append(
        signatures(
            recipients,
            signature_cell(
                data.signer_title or _("Thủ trưởng cơ quan"),
                data.signer_name,
                hint=_("(Ký, ghi rõ họ tên và đóng dấu)"),
            ),
        )
    )
    return story


def stop_notice(data: StopNoticeData) -> list[Flowable]:
    """Mẫu 05 — Phiếu dừng giải quyết hồ sơ."""
    agency = data.header.agency_name
    story: list[Flowable] = [
        NationalHeading(data.header),
        *title(_("Phiếu dừng giải quyết hồ sơ"), _code_line(data.code)),
        *_applicant_fields(data.applicant, label=_("Hồ sơ của Ông/Bà")),
        field(_("Nội dung yêu cầu giải quyết"), data.procedure_name, bold=True),
        field(_("Thời gian nhận hồ sơ"), appointment(data.received_at)),
        Spacer(1, 4),
        rich(
            _("Ngày %(requested)s, Ông/Bà đề nghị dừng giải quyết hồ sơ này. Lý do: %(reason)s"),
            bold={"requested": date_numeric(data.requested_at)},
            plain={"reason": sentence(data.reason)},
        ),
        rich(
            _(
                "Theo đề nghị của Ông/Bà, %(agency)s dừng giải quyết hồ sơ kể từ %(stopped)s. "
                "Hồ sơ không được tiếp tục xử lý; nếu vẫn cần, Ông/Bà nộp một hồ sơ mới."
            ),
            bold={"stopped": date_words(data.stopped_at)},
            plain={"agency": agency},
        ),
        para(_("Xin thông báo để Ông/Bà biết.")),
        signatures(None, signature_cell(_("Đại diện cơ quan"), data.officer_name)),
    ]
    return story


def control_slip(data: ControlSlipData) -> list[Flowable]:
    """Mẫu 06 — Phiếu kiểm soát quá trình giải quyết hồ sơ: one row per hand-over."""
    story: list[Flowable] = [
        NationalHeading(data.header),
        *title(
            _("Phiếu kiểm soát quá trình giải quyết hồ sơ"),
            _code_line(data.code)
            + "<br/><i>"
            + markup(_("(Kèm theo giấy tiếp nhận hồ sơ và hẹn trả kết quả)"))
            + "</i>",
        ),
        field(_("Người nộp hồ sơ"), data.applicant.full_name, bold=True),
        field(_("Nội dung yêu cầu giải quyết"), data.procedure_name, bold=True),
        field(_("Thời gian nhận hồ sơ"), appointment(data.received_at)),
        field(_("Thời gian hẹn trả kết quả"), appointment(data.due_at), bold=True),
    ]
    if data.handling_agency:
        story.append(field(_("Cơ quan giải quyết hồ sơ"), data.handling_agency))
    if data.coordinating_agencies:
        story.append(field(_("Cơ quan phối hợp giải quyết"), "; ".join(data.coordinating_agencies)))
    story.append(Spacer(1, 6))
    story.append(_handover_table(data))
    return story


def _person(name: str, agency: str) -> Paragraph:
    parts = []
    if name.strip():
        parts.append(f"<b>{markup(name)}</b>")
    if agency.strip():
        parts.append(markup(agency))
    return Paragraph("<br/>".join(parts), CELL)


def _handover_time(moment: datetime) -> str:
    """``09 giờ 00 phút,`` over ``ngày 26/11/2026``: the narrow column breaks there, not mid-date."""
    at = local(moment)
    return "<br/>".join(
        (
            markup(_("%(hour)s giờ %(minute)s phút,") % {"hour": f"{at:%H}", "minute": f"{at:%M}"}),
            markup(_("ngày %(date)s") % {"date": date_numeric(at)}),
        )
    )


def _handover_table(data: ControlSlipData) -> Table:
    widths = [9 * mm, 35 * mm, 35 * mm, 32 * mm, 23 * mm]
    widths.append(TEXT_WIDTH - sum(widths))
    rows: list[list[Flowable | str]] = [
        [
            Paragraph(markup(_("TT")), CELL_HEAD),
            Paragraph(markup(_("Người giao")), CELL_HEAD),
            Paragraph(markup(_("Người nhận, cơ quan nhận")), CELL_HEAD),
            Paragraph(markup(_("Thời gian giao, nhận")), CELL_HEAD),
            Paragraph(
                markup(_("Kết quả"))
                + "<br/><font size=9>"
                + markup(_("(Trước hạn / Đúng hạn / Quá hạn)"))
                + "</font>",
                CELL_HEAD,
            ),
            Paragraph(markup(_("Ghi chú")), CELL_HEAD),
        ]
    ]
    for number, row in enumerate(data.rows, start=1):
        label = TIMELINESS_LABELS.get(row.timeliness, "")
        rows.append(
            [
                Paragraph(str(number), CELL_CENTER),
                _person(row.giver_name, row.giver_agency),
                _person(row.receiver_name, row.receiver_agency),
                Paragraph(_handover_time(row.handed_over_at), CELL),
                Paragraph(f"<b>{markup(_(label))}</b>" if label else "", CELL_CENTER),
                Paragraph(markup(row.note), CELL),
            ]
        )
    if not data.rows:
        rows.append(["", "", "", "", "", ""])
    return grid_table(rows, widths)
