"""What an uploaded document really is: content checks that trust bytes, never names.

Pure functions, no database and no storage: the caller hands over the first bytes of the file
(its *head*), its last bytes (its *tail*) or a seekable stream, and gets back one of the three
content types motcua accepts, or an error a citizen can understand.

Why by content: a browser or an attacker may call anything ``.pdf``. A file is accepted only when
its first bytes carry the PDF, JPEG or PNG signature, and only when it also looks whole (a PDF
ends with ``%%EOF``, a PNG starts with its ``IHDR`` header chunk, a JPEG ends with its end-of-image
marker), which also catches uploads cut short.
"""

from __future__ import annotations

import unicodedata
import zlib
from typing import Protocol

from .exceptions import UnsupportedFileType, UploadTooLarge

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
ALLOWED_CONTENT_TYPES = (PDF, JPEG, PNG)

# Acrobat, and ISO 32000-2 §7.5.2 after it, tolerate bytes before the header within the first
# 1024 bytes, and look for %%EOF within the last 1024: so do we, and never read more.
HEAD_BYTES = 1024
TAIL_BYTES = 1024

DISPLAY_NAME_MAX_CHARS = 120
DEFAULT_DISPLAY_STEM = "tài liệu"

# The extension a display name gets for each type, and the ones it may keep.
EXTENSIONS: dict[str, str] = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
ACCEPTED_EXTENSIONS: dict[str, frozenset[str]] = {
    PDF: frozenset({"pdf"}),
    JPEG: frozenset({"jpg", "jpeg", "jpe", "jfif"}),
    PNG: frozenset({"png"}),
}

MESSAGE_UNSUPPORTED = "Chỉ nhận tệp PDF, JPG hoặc PNG."
MESSAGE_EMPTY = "Tệp trống, không có nội dung. Chỉ nhận tệp PDF, JPG hoặc PNG."
MESSAGE_DAMAGED = (
    "Tệp {kind} bị hỏng hoặc chưa được tải lên trọn vẹn. Vui lòng kiểm tra lại tệp và gửi lại."
)

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_IHDR = b"\x00\x00\x00\x0dIHDR"  # the first chunk: length 13, type IHDR
_JPEG_SOI = b"\xff\xd8\xff"
_JPEG_EOI = b"\xff\xd9"
_PDF_HEADER = b"%PDF-"
_PDF_EOF = b"%%EOF"

# Byte-order marks and whitespace that may come before markup.
_BOMS = (b"\xef\xbb\xbf", b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00", b"\xfe\xff", b"\xff\xfe")
_WHITESPACE = b" \t\r\n\x0b\x0c"
# Markup or script in the bytes before %PDF- makes a file something a browser or an interpreter
# would run: a polyglot, refused even though a PDF reader would open it.
_MARKUP = (
    b"<!doctype",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<iframe",
    b"<object",
    b"<embed",
    b"<meta",
    b"<svg",
    b"<?xml",
    b"<?php",
    b"<%",
)
# Other formats whose header would otherwise pass because %PDF- appears within 1024 bytes.
_FOREIGN_SIGNATURES = (
    b"MZ",  # Windows executables
    b"\x7fELF",
    b"\xca\xfe\xba\xbe",  # Mach-O, Java classes
    b"PK\x03\x04",  # ZIP, Office, JAR, APK
    b"PK\x05\x06",
    b"Rar!",
    b"7z\xbc\xaf",
    b"\x1f\x8b",  # gzip
    b"\xd0\xcf\x11\xe0",  # OLE: old Office files
    b"GIF8",
    b"{\\rtf",
    b"%!PS",  # PostScript
)
# Windows cannot save these in a file name; staff save documents on Windows PCs.
_NAME_RESERVED = str.maketrans(dict.fromkeys('<>:"|?*', "_"))


class SeekableReader(Protocol):
    """A binary stream that can be read from and moved in: a Django ``File`` or ``BytesIO``."""

    def read(self, size: int = ..., /) -> bytes: ...

    def seek(self, offset: int, whence: int = ..., /) -> int: ...


def sniff_content_type(head: bytes) -> str | None:
    """The content type of a file judged by its first bytes, or ``None`` if not accepted.

    ``head`` should be the first ``HEAD_BYTES`` bytes (more are ignored). Recognises PNG and JPEG
    by their signatures at offset 0, PDF by ``%PDF-`` within the first 1024 bytes, unless the
    bytes before it are markup or script (HTML, XML, SVG, PHP, ``#!``) or another format's
    signature: such polyglots are refused.
    """
    head = head[:HEAD_BYTES]
    if head.startswith(_PNG_SIGNATURE):
        return PNG
    if head.startswith(_JPEG_SOI):
        return JPEG
    offset = head.find(_PDF_HEADER)
    if offset < 0:
        return None
    if offset and not _harmless_pdf_prefix(head[:offset]):
        return None
    return PDF


def _harmless_pdf_prefix(prefix: bytes) -> bool:
    """Whether bytes before ``%PDF-`` are mere junk (printer commands, a MacBinary header)."""
    if prefix.startswith(_FOREIGN_SIGNATURES):
        return False
    # Dropping NULs reads UTF-16 and UTF-32 markup as ASCII.
    text = prefix
    for bom in _BOMS:
        if text.startswith(bom):
            text = text[len(bom) :]
            break
    text = text.replace(b"\x00", b"").lstrip(_WHITESPACE).lower()
    if text.startswith((b"<", b"#!")):
        return False
    return not any(marker in text for marker in _MARKUP)


def check_size(*, size: int, max_bytes: int) -> None:
    """Refuse (413) a file of ``size`` bytes over ``max_bytes``; reads nothing."""
    if size > max_bytes:
        raise UploadTooLarge(
            f"Tệp quá lớn: tối đa {format_size_limit(max_bytes)}.",
            extra={"max_bytes": max_bytes},
        )


def check_upload(*, size: int, head: bytes, max_bytes: int) -> str:
    """The content type of an upload of ``size`` bytes starting with ``head``, or an error.

    Raises ``UploadTooLarge`` (413) when ``size`` is over ``max_bytes``, checked first so that a
    caller may call this before reading anything, and ``UnsupportedFileType`` (415) for an empty
    file or content that is not a PDF, JPEG or PNG.
    """
    check_size(size=size, max_bytes=max_bytes)
    if size <= 0 or not head:
        raise UnsupportedFileType(MESSAGE_EMPTY)
    content_type = sniff_content_type(head)
    if content_type is None:
        raise UnsupportedFileType(MESSAGE_UNSUPPORTED)
    return content_type


def check_structure(*, content_type: str, head: bytes, tail: bytes) -> None:
    """Refuse (415) a file of ``content_type`` whose first or last bytes show it is not whole.

    ``head`` is the file's first bytes (at least 33 for a PNG), ``tail`` its last ``TAIL_BYTES``.
    A PDF must have ``%%EOF`` in its tail; a PNG must start with a well-formed ``IHDR`` chunk
    (right length, non-zero size, matching CRC); a JPEG must end with its end-of-image marker
    ``FF D9`` (NUL padding after it, which some scanners add, is tolerated).
    """
    if content_type == PDF:
        whole = _PDF_EOF in tail[-TAIL_BYTES:]
    elif content_type == PNG:
        whole = _png_header_ok(head)
    elif content_type == JPEG:
        whole = tail.rstrip(b"\x00").endswith(_JPEG_EOI)
    else:
        raise ValueError(f"not an accepted content type: {content_type!r}")
    if not whole:
        raise UnsupportedFileType(MESSAGE_DAMAGED.format(kind=EXTENSIONS[content_type].upper()))


def _png_header_ok(head: bytes) -> bool:
    # signature (8) + length and type (8) + IHDR data (13) + CRC (4)
    if len(head) < 33 or head[8:16] != _PNG_IHDR:
        return False
    data = head[16:29]
    width, height = int.from_bytes(data[0:4], "big"), int.from_bytes(data[4:8], "big")
    crc = int.from_bytes(head[29:33], "big")
    return width > 0 and height > 0 and zlib.crc32(b"IHDR" + data) == crc


def read_head_and_tail(stream: SeekableReader, *, size: int) -> tuple[bytes, bytes]:
    """The first ``HEAD_BYTES`` and last ``TAIL_BYTES`` bytes of a stream of ``size`` bytes.

    Reads at most ``HEAD_BYTES + TAIL_BYTES`` bytes whatever the size (it seeks to the tail), and
    leaves the stream at its start.
    """
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    if size <= HEAD_BYTES:
        tail = head
    else:
        stream.seek(max(size - TAIL_BYTES, 0))
        tail = stream.read(TAIL_BYTES)
    stream.seek(0)
    return head, tail


def inspect_upload(stream: SeekableReader, *, size: int, max_bytes: int) -> str:
    """The content type of an uploaded stream of ``size`` bytes after every check, or an error.

    The size limit is checked before a single byte is read; then only the head and the tail are
    read (see ``read_head_and_tail``). Raises ``UploadTooLarge`` or ``UnsupportedFileType``.
    """
    check_size(size=size, max_bytes=max_bytes)
    head, tail = read_head_and_tail(stream, size=size)
    content_type = check_upload(size=size, head=head, max_bytes=max_bytes)
    check_structure(content_type=content_type, head=head, tail=tail)
    return content_type


def format_size_limit(max_bytes: int) -> str:
    """A size limit as people read it, with a Vietnamese decimal comma: ``20 MB``, ``1,5 MB``."""
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if max_bytes >= factor:
            value = f"{max_bytes / factor:.1f}".removesuffix(".0").replace(".", ",")
            return f"{value} {unit}"
    return f"{max_bytes} byte"


def safe_display_name(filename: str | None, content_type: str) -> str:
    """A readable name to show and to offer for download, built from the client's filename.

    Unicode NFC (Vietnamese typed on a Mac arrives decomposed), only the last path component
    (old browsers send ``C:\\...``), no control or invisible formatting characters (a right-to-left
    override can make ``gpj.exe`` look like ``exe.jpg``), no characters Windows cannot save, at
    most ``DISPLAY_NAME_MAX_CHARS`` characters, and an extension that matches the sniffed
    ``content_type``: kept when it already does (``to_khai.html.pdf``), added otherwise
    (``scan`` → ``scan.pdf``). Never used for storage paths.
    """
    try:
        extension = EXTENSIONS[content_type]
    except KeyError:
        raise ValueError(f"not an accepted content type: {content_type!r}") from None
    name = unicodedata.normalize("NFC", filename or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(_display_char(char) for char in name)
    name = " ".join(name.split()).translate(_NAME_RESERVED)

    stem, dot, suffix = name.rpartition(".")
    if dot and suffix.lower() in ACCEPTED_EXTENSIONS[content_type]:
        extension = suffix
    else:
        stem = name
    stem = stem.strip(" .") or DEFAULT_DISPLAY_STEM
    stem = stem[: DISPLAY_NAME_MAX_CHARS - len(extension) - 1].rstrip(" .")
    # Never end on a lone combining mark cut from its letter.
    while stem and unicodedata.combining(stem[-1]):
        stem = stem[:-1]
    return f"{stem or DEFAULT_DISPLAY_STEM}.{extension}"


def _display_char(char: str) -> str:
    if char.isspace():
        return " "
    # Cc control, Cf format (bidi overrides, zero-width), Cs/Co/Cn surrogates, private, unassigned
    if unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co", "Cn"}:
        return ""
    return char
