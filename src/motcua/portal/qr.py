"""The tracking QR code as inline SVG, for pages (the receipt PDF draws the same code).

Same encoder, error correction (M) and quiet zone as the receipt slip
(``dossiers.slips.layout.qr_code``), so the code on screen and on paper is the same.
"""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString
from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel

BORDER = 2  # modules of quiet zone, as on the slip


def qr_matrix(value: str) -> list[list[bool]]:
    """The dark (True) and light modules of the QR code of ``value``, without the quiet zone."""
    code = QRCode(None, QRErrorCorrectLevel.M)
    code.addData(value)
    code.make()
    count = code.getModuleCount()
    return [[bool(code.isDark(row, col)) for col in range(count)] for row in range(count)]


def qr_svg(value: str, *, label: str) -> SafeString:
    """An SVG image of the QR code of ``value``: one path of unit squares, no style attribute
    (the pages' Content-Security-Policy allows no inline styles), ``label`` as its accessible
    name (escaped here). ``value`` is only encoded, never written out."""
    matrix = qr_matrix(value)
    size = len(matrix) + 2 * BORDER
    runs = []
    for row, cells in enumerate(matrix):
        col = 0
        while col < len(cells):
            if cells[col]:
                start = col
                while col < len(cells) and cells[col]:
                    col += 1
                runs.append(f"M{start + BORDER} {row + BORDER}h{col - start}v1h-{col - start}z")
            else:
                col += 1
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img" '
        'aria-label="{label}" shape-rendering="crispEdges" class="qr">'
        '<rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{path}"/></svg>',
        size=size,
        label=label,
        path="".join(runs),
    )
