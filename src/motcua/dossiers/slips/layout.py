"""Building blocks shared by the six slips: page, styles, national heading, fields, signatures, QR.

Sizes follow the presentation rules for administrative documents (Decree 30/2020/NĐ-CP): A4,
margins of 20 mm top and bottom, 30 mm left (binding) and 20 mm right, a Times-like face at 13 pt
for the body, capitals for the agency and the title.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.graphics.barcode.qr import QrCode
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from .data import SlipHeader
from .formatting import local, place_and_date
from .typefaces import BOLD, ITALIC, REGULAR, register_fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 20 * mm
MARGIN_LEFT = 30 * mm
MARGIN_RIGHT = 20 * mm
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT

BODY_SIZE = 13
BODY_LEADING = 16
TABLE_SIZE = 11.5
TABLE_LEADING = 14

#: Printed where a value is missing, so the officer can write it in by hand.
BLANK = "…………………………"

BODY = ParagraphStyle(
    "slip-body",
    fontName=REGULAR,
    fontSize=BODY_SIZE,
    leading=BODY_LEADING,
    alignment=TA_JUSTIFY,
    spaceAfter=2,
)
FIELD = ParagraphStyle("slip-field", parent=BODY, alignment=TA_LEFT)
CENTERED = ParagraphStyle("slip-centered", parent=BODY, alignment=TA_CENTER)
INDENTED = ParagraphStyle("slip-indented", parent=FIELD, leftIndent=8 * mm)
TITLE = ParagraphStyle(
    "slip-title",
    fontName=BOLD,
    fontSize=14,
    leading=18,
    alignment=TA_CENTER,
    spaceBefore=8,
    spaceAfter=2,
)
SUBTITLE = ParagraphStyle(
    "slip-subtitle",
    fontName=REGULAR,
    fontSize=BODY_SIZE,
    leading=BODY_LEADING,
    alignment=TA_CENTER,
    spaceAfter=6,
)
CELL = ParagraphStyle(
    "slip-cell", fontName=REGULAR, fontSize=TABLE_SIZE, leading=TABLE_LEADING, alignment=TA_LEFT
)
CELL_CENTER = ParagraphStyle("slip-cell-center", parent=CELL, alignment=TA_CENTER)
CELL_HEAD = ParagraphStyle("slip-cell-head", parent=CELL_CENTER, fontName=BOLD)
SIGN_ROLE = ParagraphStyle(
    "slip-sign-role", fontName=BOLD, fontSize=BODY_SIZE, leading=BODY_LEADING, alignment=TA_CENTER
)
SIGN_HINT = ParagraphStyle("slip-sign-hint", parent=SIGN_ROLE, fontName=ITALIC)
SIGN_NAME = SIGN_ROLE
SMALL = ParagraphStyle("slip-small", fontName=REGULAR, fontSize=11, leading=14, alignment=TA_LEFT)
SMALL_BOLD_ITALIC = ParagraphStyle("slip-small-bi", parent=SMALL, fontName=BOLD)

GRID = colors.black


def clean(text: str) -> str:
    """``text`` in composed form (NFC).

    Text typed on some systems arrives decomposed (a base letter followed by combining tone marks);
    ReportLab places no combining marks, so those tones would print beside the letter. Composing
    first uses the font's precomposed Vietnamese letters instead.
    """
    return unicodedata.normalize("NFC", text)


def markup(text: str) -> str:
    """User data made safe for ReportLab's paragraph mark-up (``&``, ``<`` are mark-up there)."""
    return escape(clean(text))


def para(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    """A paragraph of plain text (no mark-up interpreted)."""
    return Paragraph(markup(text), style)


def rich(
    template: str,
    style: ParagraphStyle = BODY,
    *,
    bold: Mapping[str, str] | None = None,
    plain: Mapping[str, str] | None = None,
) -> Paragraph:
    """A paragraph from a translated ``template`` with ``%(name)s`` values filled in.

    Values in ``bold`` are the facts a reader looks for (dates, the new appointment) and are set
    bold; those in ``plain`` are not. Missing values print as dots to fill in by hand. The template
    is ours (from gettext), so only the values need escaping.
    """
    values: dict[str, str] = {}
    for key, value in (plain or {}).items():
        values[key] = markup(value) if value.strip() else BLANK
    for key, value in (bold or {}).items():
        values[key] = f"<b>{markup(value)}</b>" if value.strip() else BLANK
    return Paragraph(escape(clean(template)) % values, style)


def sentence(text: str) -> str:
    """``text`` ending in a full stop, since free-text reasons are spliced into sentences."""
    text = text.strip()
    return text if not text or text[-1] in ".!?…" else f"{text}."


def nobreak(text: str) -> str:
    """``text`` with no-break spaces, so that a phone number or a time stays on one line."""
    return text.replace(" ", "\u00a0")


def field(
    label: str, value: str, *, bold: bool = False, style: ParagraphStyle = FIELD
) -> Paragraph:
    """``Label: value``, with dots to fill in by hand when the value is missing."""
    shown = markup(value) if value.strip() else BLANK
    if bold and value.strip():
        shown = f"<b>{shown}</b>"
    return Paragraph(f"{markup(label)}: {shown}", style)


def title(text: str, subtitle: str = "") -> list[Flowable]:
    """The form's title in capitals, with an optional line under it (the dossier code)."""
    parts: list[Flowable] = [Paragraph(markup(text.upper()), TITLE)]
    if subtitle:
        parts.append(Paragraph(subtitle, SUBTITLE))
    else:
        parts.append(Spacer(1, 6))
    return parts


def _fit_caps(text: str, font: str, width: float) -> tuple[list[str], float]:
    """Lines and size for an agency name in the heading's narrow left column.

    Always 12 pt: Decree 30/2020/NĐ-CP sets agency names at 12-13 pt, so a long name wraps rather
    than shrinks. Two lines are broken where they come out most even; among nearly even breaks the
    one with the longer first line wins, which keeps "ỦY BAN NHÂN DÂN / XÃ CÁI NHUM" together the
    way agencies write their names (a greedy wrap would leave "NHUM" alone on the second line).
    Longer names wrap greedily.
    """
    if stringWidth(text, font, 12.0) <= width:
        return [text], 12.0
    size = 12.0
    words = text.split()
    greedy = simpleSplit(text, font, size, width)
    if len(greedy) != 2:
        return greedy, size
    splits = []
    for cut in range(1, len(words)):
        first, second = " ".join(words[:cut]), " ".join(words[cut:])
        widest = max(stringWidth(first, font, size), stringWidth(second, font, size))
        if widest <= width:
            splits.append((widest, cut, [first, second]))
    best = min(widest for widest, _cut, _lines in splits)
    nearly_even = [item for item in splits if item[0] <= best * 1.15]
    return max(nearly_even, key=lambda item: item[1])[2], size


class NationalHeading(Flowable):
    """The heading of every administrative document.

    Left: the parent agency (regular) and the issuing agency (bold) in capitals, with a short rule
    under them, and optionally the document number. Right: the national title and motto in bold,
    the motto underlined over its full length, then the place-and-date line in italics. Drawn by
    hand because the two rules' lengths depend on the measured text, which a table cannot do.
    """

    LEFT_SHARE = 0.42
    CAPS_SIZE = 12.0
    MOTTO_SIZE = 13.0
    LINE_GAP = 3.0

    def __init__(self, header: SlipHeader, *, reference: str = "") -> None:
        super().__init__()
        self.header = header
        self.reference = clean(reference)
        self._layout: dict[str, Any] = {}

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        header = self.header
        nation = _("Cộng hòa xã hội chủ nghĩa Việt Nam").upper()
        motto = _("Độc lập - Tự do - Hạnh phúc")
        # The right column is as wide as the national title needs, so the agency gets the rest.
        right_w = min(
            max(stringWidth(nation, BOLD, self.CAPS_SIZE) + 10, avail_width * 0.5),
            avail_width * 0.6,
        )
        left_w = avail_width - right_w
        # Shrink the national title rather than wrap it: it is one line on every official paper.
        nation_size = self.CAPS_SIZE
        while nation_size > 9 and stringWidth(nation, BOLD, nation_size) > right_w - 2:
            nation_size -= 0.5
        right: list[tuple[str, str, float]] = [
            (nation, BOLD, nation_size),
            (motto, BOLD, self.MOTTO_SIZE),
        ]

        left: list[tuple[str, str, float]] = []
        if header.parent_agency_name:
            lines, size = _fit_caps(clean(header.parent_agency_name).upper(), REGULAR, left_w - 12)
            left.extend((line, REGULAR, size) for line in lines)
        agency_lines, agency_size = _fit_caps(clean(header.agency_name).upper(), BOLD, left_w - 12)
        left.extend((line, BOLD, agency_size) for line in agency_lines)

        date_lines = simpleSplit(
            clean(place_and_date(header.place, header.issued_at)), ITALIC, BODY_SIZE, right_w - 2
        )
        ref_lines = (
            simpleSplit(self.reference, REGULAR, BODY_SIZE, left_w - 12) if self.reference else []
        )

        top_h = max(self._block_height(left), self._block_height(right))
        rule_gap = 12.0  # room for the rules under the blocks
        bottom_h = max(len(date_lines), len(ref_lines)) * BODY_LEADING
        self.height = top_h + rule_gap + bottom_h
        self._layout = {
            "left": left,
            "right": right,
            "left_w": left_w,
            "right_w": right_w,
            "agency_lines": agency_lines,
            "agency_size": agency_size,
            "date_lines": date_lines,
            "ref_lines": ref_lines,
            "top_h": top_h,
            "rule_gap": rule_gap,
        }
        return self.width, self.height

    def _block_height(self, lines: Sequence[tuple[str, str, float]]) -> float:
        return sum(size + self.LINE_GAP for _text, _font, size in lines)

    def _draw_block(self, lines: Sequence[tuple[str, str, float]], center_x: float) -> float:
        """Draw centred lines from the top down; returns the baseline of the last one."""
        canv = self.canv
        y = self.height
        for text, font, size in lines:
            y -= size + self.LINE_GAP
            canv.setFont(font, size)
            canv.drawCentredString(center_x, y + self.LINE_GAP, text)
        return y + self.LINE_GAP

    def draw(self) -> None:
        lay = self._layout
        canv = self.canv
        left_center = lay["left_w"] / 2
        right_center = lay["left_w"] + lay["right_w"] / 2

        left_base = self._draw_block(lay["left"], left_center)
        right_base = self._draw_block(lay["right"], right_center)

        canv.setLineWidth(0.7)
        canv.setStrokeColor(GRID)
        # Under the agency: a rule a third of the agency's longest line, as Decree 30 prescribes.
        agency_w = max(stringWidth(line, BOLD, lay["agency_size"]) for line in lay["agency_lines"])
        half = agency_w / 6
        rule_y = left_base - 4
        canv.line(left_center - half, rule_y, left_center + half, rule_y)
        # Under the motto: a rule as long as the motto.
        motto_text, motto_font, motto_size = lay["right"][-1]
        motto_half = stringWidth(motto_text, motto_font, motto_size) / 2
        rule_y = right_base - 4
        canv.line(right_center - motto_half, rule_y, right_center + motto_half, rule_y)

        y = self.height - lay["top_h"] - lay["rule_gap"] - BODY_SIZE
        canv.setFont(ITALIC, BODY_SIZE)
        for line in lay["date_lines"]:
            canv.drawCentredString(right_center, y, line)
            y -= BODY_LEADING
        y = self.height - lay["top_h"] - lay["rule_gap"] - BODY_SIZE
        canv.setFont(REGULAR, BODY_SIZE)
        for line in lay["ref_lines"]:
            canv.drawCentredString(left_center, y, line)
            y -= BODY_LEADING


def signature_cell(role: str, name: str, hint: str = "") -> list[Flowable]:
    """A signature column: role in capitals, the hint in italics, room to sign, then the name."""
    return [
        Paragraph(markup(role.upper()), SIGN_ROLE),
        Paragraph(markup(hint or _("(Ký và ghi rõ họ tên)")), SIGN_HINT),
        Spacer(1, 20 * mm),
        Paragraph(markup(name) if name.strip() else "", SIGN_NAME),
    ]


def signatures(left: list[Flowable] | None, right: list[Flowable]) -> Flowable:
    """Two signature columns side by side (the left one may be empty), kept on one page."""
    table = Table(
        [[left or "", right]],
        colWidths=[TEXT_WIDTH / 2, TEXT_WIDTH / 2],
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
    )
    return KeepTogether([Spacer(1, 8), table])


def grid_table(
    rows: list[list[Any]], col_widths: Sequence[float], *, header_rows: int = 1
) -> Table:
    """A ruled table whose first ``header_rows`` rows repeat on every page."""
    return Table(
        rows,
        colWidths=list(col_widths),
        repeatRows=header_rows,
        style=TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, GRID),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("VALIGN", (0, header_rows), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ]
        ),
    )


def qr_code(value: str, *, size: float = 30 * mm) -> QrCode:
    """A square QR code of ``value`` as a flowable.

    Error correction M survives a smudge or a staple hole. ReportLab's flowable (rather than its
    graphics widget) overlaps the rows slightly, so no hairline seams show between them on screen.
    """
    return QrCode(value, width=size, height=size, qrLevel="M", qrBorder=2)


def _pdf_date(moment: datetime) -> str:
    """A PDF date string (``D:20261126090000+07'00'``) in Vietnam's time."""
    at = local(moment)
    offset = at.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"D:{at:%Y%m%d%H%M%S}{sign}{hours:02d}'{mins:02d}'"


def build_pdf(story: list[Flowable], *, title: str, subject: str, header: SlipHeader) -> bytes:
    """Lay out ``story`` on A4 pages and return the PDF.

    The output depends only on the data: ReportLab's invariant mode drops the wall-clock time and
    the random part of the document ID, and the creation date is the slip's issue time. The same
    slip therefore renders to the same bytes, which keeps tests stable and lets a copy be checked
    against the original by hash.
    """
    register_fonts()
    buffer = io.BytesIO()
    created = _pdf_date(header.issued_at)
    author = clean(header.agency_name)

    def on_page(canvas: Any, doc: Any) -> None:
        canvas.setDateFormatter(lambda *_parts: created)
        if doc.page > 1:
            # Page numbers from the second page on, centred at the top, as official papers have.
            canvas.saveState()
            canvas.setFont(REGULAR, BODY_SIZE)
            canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 12 * mm, str(doc.page))
            canvas.restoreState()

    # A frame without ReportLab's default 6 pt padding: the margins are the prescribed ones and
    # tables of TEXT_WIDTH line up with the text.
    frame = Frame(
        MARGIN_LEFT,
        MARGIN_BOTTOM,
        TEXT_WIDTH,
        PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        pageTemplates=[PageTemplate(id="slip", frames=[frame], onPage=on_page)],
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=clean(title),
        author=author,
        subject=clean(subject),
        creator="motcua",
        producer="motcua",
        invariant=1,
        lang="vi-VN",
        initialFontName=REGULAR,
        initialFontSize=BODY_SIZE,
        initialLeading=BODY_LEADING,
    )
    doc.build(story)
    return buffer.getvalue()
