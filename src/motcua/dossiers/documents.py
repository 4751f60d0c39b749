"""Dossier documents: storing uploaded files, opening them for download, removing them.

Files go through Django's storage API (``Document.file``), so the same code writes to local disk or
to S3-compatible object storage. The storage path comes from ``models.document_path`` (the
upload's day, the document's id, and a suffix from the sniffed type): nothing the client sends,
its filename included, ever reaches a path. The client's filename survives only as a display name
(``uploads.safe_display_name``).

These functions do not decide who may act (the caller checks that the actor may add or remove
documents of this dossier in its current status) and do not write history events (the caller does,
in the same transaction).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import unicodedata
import urllib.parse
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from motcua.core.compiled import insert
from motcua.core.exceptions import ValidationFailed

from .constants import Status
from .exceptions import (
    DocumentFileMissing,
    DocumentNotDeletable,
    InvalidRequiredDocument,
    UnsupportedFileType,
)
from .models import Document, Dossier
from .uploads import (
    EXTENSIONS,
    MESSAGE_DAMAGED,
    check_size,
    inspect_upload,
    safe_display_name,
)

if TYPE_CHECKING:
    from motcua.accounts.models import User
    from motcua.catalog.models import RequiredDocument

logger = logging.getLogger(__name__)

HASH_CHUNK_BYTES = 256 * 1024

# The folder ``models.document_path`` puts every document under (in day folders).
DOCUMENTS_ROOT = "dossiers"
_DOCUMENT_FILE_NAME = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(?:pdf|jpg|png)"
)


class OpenedDocument(NamedTuple):
    """A stored document opened for reading, unpacked as ``handle, content_type, disposition``:
    ``FileResponse(handle, content_type=content_type)`` streams it in blocks and closes it, and
    ``disposition`` is the whole ``Content-Disposition`` header value."""

    file: File[Any]
    content_type: str
    content_disposition: str


def document_store(
    *,
    dossier: Dossier,
    uploaded_file: UploadedFile,
    kind: str = Document.Kind.APPLICATION,
    required_document: RequiredDocument | None,
    actor: User,
    at: dt.datetime | None = None,
) -> Document:
    """Check an uploaded file, store it and record it as a document of ``dossier`` (uploaded
    ``at``, by default now).

    In order, so that a refused upload costs as little as possible: the size limit
    (``MOTCUA_UPLOAD_MAX_BYTES``) against the size Django's upload handler measured, before
    anything is read (``UploadTooLarge``, 413); ``required_document`` must be one of the dossier's
    procedure, and only for application documents (``InvalidRequiredDocument``, 400); the content
    must be a whole PDF, JPEG or PNG, judged from its first and last kilobyte
    (``UnsupportedFileType``, 415). The file is then hashed (SHA-256) in chunks, written through the
    storage API under a path made of ids only, and the row inserted.

    If the row cannot be written the stored file is deleted at once. If a transaction the caller
    opened around this call rolls back later, Django gives no hook to react; the file is then left
    for ``document_purge_orphans``.
    """
    if kind not in Document.Kind.values:
        raise ValidationFailed(errors={"kind": [f"Loại giấy tờ không hợp lệ: {kind}."]})
    max_bytes: int = settings.MOTCUA_UPLOAD_MAX_BYTES
    size = _uploaded_size(uploaded_file)
    check_size(size=size, max_bytes=max_bytes)
    _check_required_document(dossier=dossier, kind=kind, required_document=required_document)
    content_type = inspect_upload(uploaded_file, size=size, max_bytes=max_bytes)
    sha256, hashed_size = _sha256(uploaded_file, max_bytes=max_bytes)
    if hashed_size != size:
        # The file changed under us or its announced size was wrong: what we checked is not
        # what we would store.
        raise UnsupportedFileType(MESSAGE_DAMAGED.format(kind=EXTENSIONS[content_type].upper()))

    document = Document(
        dossier=dossier,
        kind=kind,
        required_document=required_document,
        name=safe_display_name(uploaded_file.name, content_type),
        size=size,
        sha256=sha256,
        content_type=content_type,
        uploaded_by=actor,
        uploaded_at=at or timezone.now(),
    )
    uploaded_file.seek(0)
    # The name given here is ignored by document_path; pass ours, not the client's.
    document.file.save(f"{document.id}.{EXTENSIONS[content_type]}", uploaded_file, save=False)
    try:
        # No savepoint: a failed insert fails the caller's transaction anyway.
        insert(document)  # the INSERT built once (core.compiled)
    except BaseException:
        _delete_stored_file(document.file.storage, document.file.name)
        raise
    return document


def _uploaded_size(uploaded_file: UploadedFile) -> int:
    if uploaded_file.size is not None:
        return uploaded_file.size
    # Only for hand-built UploadedFile objects: Django's upload handlers always set the size.
    uploaded_file.seek(0, os.SEEK_END)
    size: int = uploaded_file.tell()
    uploaded_file.seek(0)
    return size


def _check_required_document(
    *, dossier: Dossier, kind: str, required_document: RequiredDocument | None
) -> None:
    if required_document is None:
        return
    if kind != Document.Kind.APPLICATION:
        message = "Kết quả giải quyết không gắn với thành phần hồ sơ."
    elif required_document.procedure_id != dossier.procedure_id:
        message = "Giấy tờ đã chọn không thuộc thành phần hồ sơ của thủ tục này."
    else:
        return
    raise InvalidRequiredDocument(message, errors={"required_document": [message]})


def _sha256(uploaded_file: UploadedFile, *, max_bytes: int) -> tuple[str, int]:
    """The SHA-256 hex digest and the length of a file, read in chunks from its start."""
    digest = hashlib.sha256()
    length = 0
    for chunk in uploaded_file.chunks(HASH_CHUNK_BYTES):
        length += len(chunk)
        check_size(size=length, max_bytes=max_bytes)
        digest.update(chunk)
    return digest.hexdigest(), length


def _delete_stored_file(storage: Storage, name: str) -> None:
    """Delete a stored file, logging rather than raising: it runs while handling another error
    or after a commit, where raising would hide the real problem or fail a done request."""
    try:
        storage.delete(name)
    except Exception:
        logger.exception("Could not delete stored document file %s", name)


def document_open(*, document: Document, attachment: bool = False) -> OpenedDocument:
    """Open a document's stored file for a streaming download.

    Returns the open file (``FileResponse`` reads it in blocks and closes it), the content type
    recorded when the content was checked, and the whole ``Content-Disposition`` value (``inline``
    unless ``attachment``) naming the file by its safe display name (see ``content_disposition``).
    Raises ``DocumentFileMissing``, logged as an error: the row exists but storage lost the file.
    Who may read is the caller's business.
    """
    storage = document.file.storage
    try:
        handle = storage.open(document.file.name, "rb")
    except FileNotFoundError:
        logger.error("Stored file %s of document %s is missing", document.file.name, document.pk)
        raise DocumentFileMissing(
            "Không tìm thấy tệp của giấy tờ này. Vui lòng báo cho cơ quan tiếp nhận hồ sơ."
        ) from None
    # Rows may come from elsewhere than document_store (admin, imports): clean the name again.
    filename = safe_display_name(document.name, document.content_type)
    return OpenedDocument(
        file=handle,
        content_type=document.content_type,
        content_disposition=content_disposition(filename, attachment=attachment),
    )


def content_disposition(filename: str, *, attachment: bool = False) -> str:
    """A ``Content-Disposition`` value for ``filename`` that no name can break (RFC 6266).

    Carries an ASCII fallback (``filename="..."``, diacritics dropped, anything but letters,
    digits, spaces and ``._()-`` replaced by ``_``) for old clients, and the exact name as
    ``filename*=UTF-8''...`` (RFC 8187 percent-encoding), which current browsers prefer.
    """
    disposition = "attachment" if attachment else "inline"
    fallback = _ascii_filename(filename)
    encoded = urllib.parse.quote(filename, safe="")
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"


def _ascii_filename(filename: str) -> str:
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    stem, extension = _ascii_text(stem) or "tai-lieu", _ascii_text(extension)
    return f"{stem}.{extension}" if extension else stem


def _ascii_text(text: str) -> str:
    # đ has no decomposition into d + a mark, unlike every other Vietnamese letter.
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9 ._()-]", "_", text)
    return " ".join(text.split()).strip(" .")


def document_delete(*, document: Document) -> None:
    """Remove a document of a draft dossier, its row now and its file once the removal commits.

    The dossier's status is read under a row lock, so a submission running at the same time
    cannot slip between the check and the delete. Any other status: ``DocumentNotDeletable``
    (409): once submitted, a dossier's documents are part of its record.
    """
    with transaction.atomic():
        status = (
            Dossier.objects.select_for_update()
            .filter(pk=document.dossier_id)
            .values_list("status", flat=True)
            .first()
        )
        if status != Status.DRAFT:
            raise DocumentNotDeletable(
                "Chỉ xoá được giấy tờ khi hồ sơ chưa nộp. Hồ sơ đã nộp cần bổ sung thì gửi thêm giấy tờ."
            )
        storage, name = document.file.storage, document.file.name
        deleted, _ = Document.objects.filter(pk=document.pk).delete()
        if deleted and name:
            transaction.on_commit(partial(_delete_stored_file, storage, name), robust=True)


def document_purge_orphans(
    *, older_than: dt.timedelta = dt.timedelta(days=1), now: dt.datetime | None = None
) -> list[str]:
    """Delete stored document files that no document row refers to; return their names.

    Such files are left when a transaction around ``document_store`` rolls back after the file
    was written. Every folder under ``dossiers/`` is looked at, so files of the day-folder layout
    of ``models.document_path`` and of the earlier one-folder-per-dossier layout are both found;
    only file names that ``document_path`` makes (``<uuid>.<ext>``) are considered, and only files
    older than ``older_than``, so that an upload whose row is not committed yet is never touched.
    Meant for a periodic task.
    """
    storage: Storage = Document._meta.get_field("file").storage
    cutoff = (now or timezone.now()) - older_than
    removed: list[str] = []
    for folder, file_names in _folders(storage, DOCUMENTS_ROOT):
        candidates = [
            f"{folder}/{file_name}"
            for file_name in sorted(file_names)
            if _DOCUMENT_FILE_NAME.fullmatch(file_name)
        ]
        for start in range(0, len(candidates), _PURGE_BATCH):
            batch = candidates[start : start + _PURGE_BATCH]
            known = set(Document.objects.filter(file__in=batch).values_list("file", flat=True))
            for name in batch:
                if name in known or storage.get_modified_time(name) > cutoff:
                    continue
                _delete_stored_file(storage, name)
                removed.append(name)
    return removed


# Names checked against the document table per query: a day folder may hold thousands.
_PURGE_BATCH = 500


def _folders(storage: Storage, folder: str) -> Iterator[tuple[str, list[str]]]:
    """``(folder, its file names)`` for ``folder`` and every folder under it, depth first, in
    name order; nothing if ``folder`` does not exist."""
    try:
        subfolders, file_names = storage.listdir(folder)
    except FileNotFoundError:
        return
    yield folder, file_names
    for subfolder in sorted(subfolders):
        yield from _folders(storage, f"{folder}/{subfolder}")
