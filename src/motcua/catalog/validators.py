"""Checks of files the catalogue keeps: blank form templates citizens download."""

from __future__ import annotations

import zipfile
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FORM_TEMPLATE_MAX_BYTES = 10 * 1024 * 1024
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 (.doc) and other OLE2 files
_ZIP = b"PK\x03\x04"


def form_template_kind(file: Any) -> str | None:
    """``"pdf"``, ``"doc"`` or ``"docx"`` judged by the file's bytes, or ``None``.

    A PDF starts with ``%PDF-``; a .doc is an OLE2 compound file; a .docx is a zip archive
    holding ``word/document.xml``. The file's position is put back where it was."""
    position = file.tell()
    try:
        file.seek(0)
        head = file.read(8)
        if head.startswith(b"%PDF-"):
            return "pdf"
        if head.startswith(_OLE2):
            return "doc"
        if head.startswith(_ZIP):
            file.seek(0)
            try:
                with zipfile.ZipFile(file) as archive:
                    names = set(archive.namelist())
            except zipfile.BadZipFile:
                return None
            return "docx" if "word/document.xml" in names else None
        return None
    finally:
        file.seek(position)


def validate_form_template(value: Any) -> None:
    """A form template is a PDF, DOC or DOCX of at most 10 MB whose name ends as its bytes say
    (the download is served with the content type of its extension)."""
    if value.size > FORM_TEMPLATE_MAX_BYTES:
        raise ValidationError(_("Tệp mẫu quá lớn: tối đa 10 MB."), code="form_template_too_large")
    kind = form_template_kind(value)
    if kind is None:
        raise ValidationError(_("Tệp mẫu phải là PDF, DOC hoặc DOCX."), code="form_template_type")
    suffix = value.name.rsplit(".", 1)[-1].lower() if "." in value.name else ""
    if suffix != kind:
        raise ValidationError(
            _("Tệp là %(kind)s nhưng tên tệp có đuôi “.%(suffix)s”: hãy đổi thành “.%(kind)s”."),
            code="form_template_suffix",
            params={"kind": kind, "suffix": suffix},
        )
