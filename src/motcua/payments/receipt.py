"""The electronic payment receipt (biên lai thu điện tử) of a paid payment, as an A4 PDF drawn
with the slips' machinery (national heading, bundled Vietnamese font, deterministic output)."""

from __future__ import annotations

import threading

from django.utils.translation import gettext as _
from reportlab.platypus import Flowable, Spacer

from motcua.core.formatting import money
from motcua.dossiers.slips.builders import applicant_of, header_for
from motcua.dossiers.slips.formatting import appointment
from motcua.dossiers.slips.forms import _applicant_fields, _code_line
from motcua.dossiers.slips.layout import (
    CELL,
    CELL_HEAD,
    TEXT_WIDTH,
    NationalHeading,
    build_pdf,
    field,
    grid_table,
    markup,
    para,
    signature_cell,
    signatures,
    title,
)
from motcua.dossiers.slips.typefaces import register_fonts

from .constants import Method, PaymentState
from .models import Payment

_LOCK = threading.Lock()


def payment_receipt_pdf(*, payment: Payment) -> bytes:
    """The receipt of ``payment`` (paid). The caller has checked that the viewer may see it."""
    if payment.state != PaymentState.PAID or payment.paid_at is None:
        raise ValueError("only a paid payment has a receipt")
    from reportlab.platypus import Paragraph

    dossier = payment.dossier
    header = header_for(dossier.agency, payment.paid_at)
    lines = list(payment.lines.select_related("obligation").order_by("obligation__created_at"))
    register_fonts()
    rows: list[list[object]] = [
        [
            Paragraph(markup(_("STT")), CELL_HEAD),
            Paragraph(markup(_("Khoản thu")), CELL_HEAD),
            Paragraph(markup(_("Số tiền")), CELL_HEAD),
        ]
    ]
    for number, line in enumerate(lines, start=1):
        rows.append(
            [
                Paragraph(str(number), CELL),
                Paragraph(markup(line.obligation.name), CELL),
                Paragraph(markup(money(line.amount)), CELL),
            ]
        )
    rows.append(
        [
            "",
            Paragraph(f"<b>{markup(_('Tổng cộng'))}</b>", CELL),
            Paragraph(f"<b>{markup(money(payment.amount))}</b>", CELL),
        ]
    )
    method = Method(payment.method).label
    story: list[Flowable] = [
        NationalHeading(header),
        *title(_("Biên lai thu phí, lệ phí điện tử"), _code_line(dossier.code or "")),
        para(_("%(agency)s đã thu của:") % {"agency": header.agency_name}),
        *_applicant_fields(applicant_of(dossier), label=_("Ông/Bà")),
        field(_("Nội dung"), dossier.procedure.name, bold=True),
        Spacer(1, 4),
        grid_table(rows, [TEXT_WIDTH * 0.1, TEXT_WIDTH * 0.6, TEXT_WIDTH * 0.3]),
        Spacer(1, 4),
        field(_("Hình thức thanh toán"), str(method)),
        field(_("Thời gian thanh toán"), appointment(payment.paid_at)),
    ]
    if payment.method == Method.ONLINE:
        story.append(field(_("Mã giao dịch"), payment.reference))
        story.append(field(_("Mã giao dịch tại cổng thanh toán"), payment.gateway_transaction_no))
    else:
        story.append(field(_("Số biên lai"), payment.receipt_number))
    story.append(signatures(None, signature_cell(_("Đơn vị thu"), header.agency_name)))
    with _LOCK:
        return build_pdf(
            story,
            title=_("Biên lai thu phí, lệ phí — hồ sơ %(code)s") % {"code": dossier.code or ""},
            subject=_("Biên lai thu phí, lệ phí điện tử"),
            header=header,
        )
