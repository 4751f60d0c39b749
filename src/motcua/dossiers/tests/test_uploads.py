"""Content checks of uploads: what a file is, judged by its bytes, and the names shown for it.

The sample files are built here, byte by byte, and are real: the PDF opens in poppler, the PNG
(1x1 red) and the JPEG (8x8 grey, baseline) decode in Chromium.
"""

from __future__ import annotations

import io
import struct
import unicodedata
import zlib

import pytest

from motcua.core.exceptions import ApplicationError
from motcua.dossiers.exceptions import DossierError, UnsupportedFileType, UploadTooLarge
from motcua.dossiers.uploads import (
    HEAD_BYTES,
    JPEG,
    PDF,
    PNG,
    check_structure,
    check_upload,
    format_size_limit,
    inspect_upload,
    read_head_and_tail,
    safe_display_name,
    sniff_content_type,
)

MB = 1024 * 1024


# -- sample files --------------------------------------------------------------------------------


def make_pdf(*, padding: int = 0, prefix: bytes = b"") -> bytes:
    """A one-page PDF with a correct cross-reference table; ``padding`` bytes of comment make it
    bigger, ``prefix`` bytes go before the header."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = bytearray(prefix + b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    if padding:
        out += b"%" + b"x" * padding + b"\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def make_png() -> bytes:
    """A 1x1 red PNG: signature, IHDR, one IDAT, IEND."""
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    pixels = zlib.compress(b"\x00\xff\x00\x00")  # filter byte 0, then R G B
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", pixels)
        + _png_chunk(b"IEND", b"")
    )


def _jpeg_segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def make_jpeg() -> bytes:
    """An 8x8 mid-grey baseline JPEG: one component, one block whose only Huffman codes are
    "DC difference 0" and "end of block", both the one-bit code 0."""
    one_code = b"\x01" + b"\x00" * 15 + b"\x00"  # one code of length 1, for the symbol 0
    return (
        b"\xff\xd8"
        + _jpeg_segment(0xDB, b"\x00" + b"\x01" * 64)  # quantisation table 0, all ones
        + _jpeg_segment(0xC0, struct.pack(">BHHB", 8, 8, 8, 1) + b"\x01\x11\x00")
        + _jpeg_segment(0xC4, b"\x00" + one_code)  # DC table 0
        + _jpeg_segment(0xC4, b"\x10" + one_code)  # AC table 0
        + _jpeg_segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
        + b"\x3f"  # bits 0 (DC) 0 (EOB), padded with ones
        + b"\xff\xd9"
    )


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"This program"
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 20 + b"to_khai.pdf"
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01;"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
POLYGLOT = b"<html><body><script>alert(1)</script>\n" + make_pdf()

SAMPLES = {PDF: make_pdf(), JPEG: make_jpeg(), PNG: make_png()}


class CountingReader(io.BytesIO):
    """A stream that counts the bytes read from it."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size: int | None = -1, /) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


class UnreadableStream(io.BytesIO):
    def read(self, size: int | None = -1, /) -> bytes:
        pytest.fail("the stream must not be read")

    def seek(self, offset: int, whence: int = 0, /) -> int:
        pytest.fail("the stream must not be moved")


# -- sniff_content_type --------------------------------------------------------------------------


@pytest.mark.parametrize("content_type", [PDF, JPEG, PNG])
def test_sniff_recognises_each_accepted_type(content_type: str) -> None:
    assert sniff_content_type(SAMPLES[content_type][:HEAD_BYTES]) == content_type


def test_sniff_accepts_pdf_header_after_binary_junk_within_1024_bytes() -> None:
    # Given a PDF behind 1000 bytes of a printer-job header, as PDF readers tolerate
    junk = b"\x1b%-12345X@PJL JOB\r\n" + bytes(range(128, 256)) * 7
    pdf = make_pdf(prefix=junk[:1000])

    assert sniff_content_type(pdf[:HEAD_BYTES]) == PDF


def test_sniff_ignores_pdf_header_beyond_1024_bytes() -> None:
    pdf = make_pdf(prefix=b"\x80" * 1020)

    assert sniff_content_type(pdf[:HEAD_BYTES]) is None
    assert sniff_content_type(pdf) is None  # a longer head is cut to 1024 bytes


@pytest.mark.parametrize(
    "prefix",
    [
        b"<html>",
        b"<!DOCTYPE html>\n",
        b" \r\n\t<html>",
        b"<?xml version='1.0'?>",
        b"<svg xmlns='http://www.w3.org/2000/svg'>",
        b"<script>alert(1)</script>",
        b"<?php system($_GET['c']); ?>",
        b"#!/bin/sh\n",
        b"\xef\xbb\xbf<html>",
        "<html>".encode("utf-16-le"),
        b"\xfe\xff" + "<html>".encode("utf-16-be"),
        b"\x80\x81 junk then <script>alert(1)</script>",
        b"MZ\x90\x00",
        b"PK\x03\x04",
        b"GIF89a",
    ],
    ids=lambda prefix: repr(prefix[:16]),
)
def test_sniff_refuses_polyglots_whose_first_bytes_are_markup_script_or_another_format(
    prefix: bytes,
) -> None:
    assert sniff_content_type(make_pdf(prefix=prefix)[:HEAD_BYTES]) is None


@pytest.mark.parametrize(
    "content",
    [EXE, ZIP, GIF, SVG, HTML, b"", b"%PDF", b"\xff\xd8", b"\x89PNG\r\n", b"plain text"],
    ids=[
        "exe",
        "zip",
        "gif",
        "svg",
        "html",
        "empty",
        "short-pdf",
        "short-jpeg",
        "short-png",
        "txt",
    ],
)
def test_sniff_recognises_nothing_else(content: bytes) -> None:
    assert sniff_content_type(content) is None


# -- check_upload --------------------------------------------------------------------------------


@pytest.mark.parametrize("content_type", [PDF, JPEG, PNG])
def test_check_upload_returns_the_sniffed_type(content_type: str) -> None:
    content = SAMPLES[content_type]

    assert check_upload(size=len(content), head=content[:HEAD_BYTES], max_bytes=20 * MB) == (
        content_type
    )


def test_check_upload_accepts_a_file_exactly_at_the_limit() -> None:
    content = make_pdf()

    assert check_upload(size=len(content), head=content, max_bytes=len(content)) == PDF


def test_check_upload_refuses_a_file_over_the_limit_with_413() -> None:
    with pytest.raises(UploadTooLarge) as raised:
        check_upload(size=20 * MB + 1, head=make_pdf(), max_bytes=20 * MB)

    error = raised.value
    assert (error.status, error.code) == (413, "file_too_large")
    assert error.message == "Tệp quá lớn: tối đa 20 MB."
    assert error.extra == {"max_bytes": 20 * MB}
    assert isinstance(error, DossierError)
    assert isinstance(error, ApplicationError)


def test_check_upload_checks_the_size_before_the_content() -> None:
    with pytest.raises(UploadTooLarge):
        check_upload(size=10, head=b"", max_bytes=5)


@pytest.mark.parametrize("content", [HTML, EXE, ZIP, GIF, SVG, POLYGLOT])
def test_check_upload_refuses_other_content_with_415(content: bytes) -> None:
    with pytest.raises(UnsupportedFileType) as raised:
        check_upload(size=len(content), head=content[:HEAD_BYTES], max_bytes=20 * MB)

    error = raised.value
    assert (error.status, error.code) == (415, "unsupported_file_type")
    assert error.message == "Chỉ nhận tệp PDF, JPG hoặc PNG."
    assert isinstance(error, DossierError)


def test_check_upload_refuses_an_empty_file_with_415() -> None:
    with pytest.raises(UnsupportedFileType) as raised:
        check_upload(size=0, head=b"", max_bytes=20 * MB)

    assert raised.value.status == 415
    assert raised.value.message == "Tệp trống, không có nội dung. Chỉ nhận tệp PDF, JPG hoặc PNG."


@pytest.mark.parametrize(
    ("max_bytes", "shown"),
    [
        (20 * MB, "20 MB"),
        (MB + MB // 2, "1,5 MB"),
        (2048, "2 KB"),
        (512, "512 byte"),
        (3 * 1024 * MB, "3 GB"),
    ],
)
def test_size_limits_read_as_people_write_them(max_bytes: int, shown: str) -> None:
    assert format_size_limit(max_bytes) == shown


# -- check_structure -----------------------------------------------------------------------------


@pytest.mark.parametrize("content_type", [PDF, JPEG, PNG])
def test_whole_files_pass_the_structural_check(content_type: str) -> None:
    content = SAMPLES[content_type]

    check_structure(content_type=content_type, head=content[:1024], tail=content[-1024:])


def test_jpeg_with_nul_padding_after_the_end_marker_passes() -> None:
    content = make_jpeg() + b"\x00" * 64

    check_structure(content_type=JPEG, head=content, tail=content[-1024:])


@pytest.mark.parametrize(
    ("content_type", "content", "kind"),
    [
        (PDF, make_pdf()[:-12], "PDF"),  # cut before %%EOF
        (PDF, make_pdf() + b"\n" * 1100, "PDF"),  # %%EOF not in the last 1024 bytes
        (JPEG, make_jpeg()[:-2], "JPG"),
        (JPEG, make_jpeg() + b"trailing", "JPG"),
        (PNG, b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IDAT", b"x" * 40), "PNG"),  # no IHDR
        (PNG, make_png()[:20], "PNG"),  # cut inside IHDR
        (PNG, make_png()[:29] + b"\x00\x00\x00\x00" + make_png()[33:], "PNG"),  # bad CRC
        (PNG, make_png().replace(struct.pack(">II", 1, 1), struct.pack(">II", 0, 1), 1), "PNG"),
    ],
    ids=[
        "pdf-truncated",
        "pdf-eof-too-early",
        "jpeg-truncated",
        "jpeg-trailing-bytes",
        "png-no-ihdr",
        "png-truncated",
        "png-bad-crc",
        "png-zero-width",
    ],
)
def test_damaged_or_truncated_files_are_refused_with_415(
    content_type: str, content: bytes, kind: str
) -> None:
    with pytest.raises(UnsupportedFileType) as raised:
        check_structure(content_type=content_type, head=content[:1024], tail=content[-1024:])

    assert raised.value.status == 415
    assert raised.value.message == (
        f"Tệp {kind} bị hỏng hoặc chưa được tải lên trọn vẹn. Vui lòng kiểm tra lại tệp và gửi lại."
    )


# -- inspect_upload: seeks, reads only the head and the tail ----------------------------------------


def test_inspect_reads_only_the_head_and_the_tail_of_a_big_file() -> None:
    content = make_pdf(padding=5 * MB)
    stream = CountingReader(content)

    content_type = inspect_upload(stream, size=len(content), max_bytes=20 * MB)

    assert content_type == PDF
    assert stream.bytes_read == 2048
    assert stream.tell() == 0  # ready to be hashed and stored from the start


def test_inspect_refuses_a_big_file_before_reading_it() -> None:
    with pytest.raises(UploadTooLarge):
        inspect_upload(UnreadableStream(), size=21 * MB, max_bytes=20 * MB)


def test_inspect_refuses_a_truncated_big_pdf() -> None:
    content = make_pdf(padding=2 * MB)[:-100]

    with pytest.raises(UnsupportedFileType):
        inspect_upload(io.BytesIO(content), size=len(content), max_bytes=20 * MB)


def test_head_and_tail_of_a_small_file_are_the_whole_file() -> None:
    content = make_png()

    assert read_head_and_tail(io.BytesIO(content), size=len(content)) == (content, content)


# -- safe_display_name ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "content_type", "expected"),
    [
        ("to_khai.html.pdf", PDF, "to_khai.html.pdf"),
        ("scan", PDF, "scan.pdf"),
        ("scan.", PDF, "scan.pdf"),
        ("Giấy khai sinh.PDF", PDF, "Giấy khai sinh.PDF"),
        ("anh the.jpeg", JPEG, "anh the.jpeg"),
        ("anh the.png", JPEG, "anh the.png.jpg"),  # the name lied: the content decides
        ("bao_cao.pdf", PNG, "bao_cao.pdf.png"),
        ("../../etc/passwd.pdf", PDF, "passwd.pdf"),
        ("C:\\Users\\An\\Tờ khai.pdf", PDF, "Tờ khai.pdf"),
        ("/var/www/index.html", PDF, "index.html.pdf"),
        ("con.pdf", PDF, "con.pdf"),
        ("a\x00b\nc\td.pdf", PDF, "ab c d.pdf"),
        ("hoa_don\u202egpj.exe", JPEG, "hoa_dongpj.exe.jpg"),  # right-to-left override removed
        ("  nhiều    khoảng   trắng  .pdf", PDF, "nhiều khoảng trắng.pdf"),
        ('Tờ khai: "mẫu 01" <bản chính>?.pdf', PDF, "Tờ khai_ _mẫu 01_ _bản chính__.pdf"),
        (".htaccess", PDF, "htaccess.pdf"),
        (".pdf", PDF, "tài liệu.pdf"),
        ("", PNG, "tài liệu.png"),
        (None, JPEG, "tài liệu.jpg"),
        ("..", PDF, "tài liệu.pdf"),
        ("dir/", PDF, "tài liệu.pdf"),
    ],
)
def test_safe_display_name(filename: str | None, content_type: str, expected: str) -> None:
    assert safe_display_name(filename, content_type) == expected


def test_display_names_are_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Đơn đề nghị cấp phiếu lý lịch tư pháp.pdf")

    name = safe_display_name(decomposed, PDF)

    assert name == "Đơn đề nghị cấp phiếu lý lịch tư pháp.pdf"
    assert unicodedata.is_normalized("NFC", name)


def test_display_names_are_at_most_120_characters_and_keep_their_extension() -> None:
    assert safe_display_name("ả" * 300 + ".pdf", PDF) == "ả" * 116 + ".pdf"
    # A cut that lands on a space does not leave it before the extension.
    assert safe_display_name("Bản sao giấy tờ " * 30 + ".pdf", PDF) == (
        ("Bản sao giấy tờ " * 30)[:116].rstrip() + ".pdf"
    )


def test_display_names_of_every_length_fit() -> None:
    for length in range(1, 200):
        name = safe_display_name("ệ" * length, JPEG)
        assert len(name) <= 120
        assert name.endswith(".jpg")


def test_display_name_needs_an_accepted_content_type() -> None:
    with pytest.raises(ValueError, match="text/html"):
        safe_display_name("a.html", "text/html")
