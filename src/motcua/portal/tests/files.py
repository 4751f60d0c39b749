"""Small real files for upload tests, made on the spot: a one-page PDF (ReportLab), a JPEG
photo (Pillow), and an HTML page that calls itself .pdf."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

HTML_NAMED_PDF = b"<!doctype html><html><body><h1>Not a PDF</h1></body></html>\n"


def make_pdf(text: str = "To khai dang ky khai sinh") -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.drawString(72, 770, text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_jpeg(size: tuple[int, int] = (320, 240)) -> bytes:
    image = Image.new("RGB", size, (235, 235, 225))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, size[0] - 20, size[1] - 20), outline=(30, 30, 30), width=3)
    draw.text((40, 40), "GIAY CHUNG SINH", fill=(10, 10, 10))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()
