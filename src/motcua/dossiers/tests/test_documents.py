"""Storing, opening and removing dossier documents through Django's storage API.

Each test gets a fresh in-memory storage, so "nothing was stored" can be asserted exactly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.core.files.uploadedfile import (
    SimpleUploadedFile,
    TemporaryUploadedFile,
    UploadedFile,
)
from django.db import DatabaseError, IntegrityError, transaction
from django.http import FileResponse
from django.test import override_settings
from django.utils import timezone

from motcua.accounts.models import User
from motcua.catalog.models import Procedure, RequiredDocument
from motcua.catalog.tests.factories import (
    AgencyFactory,
    ProcedureFactory,
    RequiredDocumentFactory,
)
from motcua.core.exceptions import ValidationFailed
from motcua.dossiers import documents
from motcua.dossiers.constants import Channel, Status
from motcua.dossiers.documents import (
    content_disposition,
    document_delete,
    document_open,
    document_purge_orphans,
    document_store,
)
from motcua.dossiers.exceptions import (
    DocumentFileMissing,
    DocumentNotDeletable,
    InvalidRequiredDocument,
    UnsupportedFileType,
    UploadTooLarge,
)
from motcua.dossiers.models import Document, Dossier
from motcua.dossiers.tests.test_uploads import (
    EXE,
    GIF,
    HTML,
    POLYGLOT,
    SVG,
    ZIP,
    make_jpeg,
    make_pdf,
    make_png,
)

pytestmark = pytest.mark.django_db

SAMPLES = {
    "application/pdf": ("to_khai.pdf", make_pdf(), "pdf"),
    "image/jpeg": ("anh_the.jpg", make_jpeg(), "jpg"),
    "image/png": ("so_do.png", make_png(), "png"),
}

IN_MEMORY_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@pytest.fixture(autouse=True)
def storage() -> Iterator[Storage]:
    """A fresh, empty storage for each test (``Document.file`` uses the default storage)."""
    with override_settings(STORAGES=IN_MEMORY_STORAGES):
        yield default_storage


@pytest.fixture
def citizen() -> User:
    return User.objects.create_user(username="congdan", kind="citizen", full_name="Nguyễn Văn An")


@pytest.fixture
def procedure() -> Procedure:
    return ProcedureFactory()


@pytest.fixture
def required_document(procedure: Procedure) -> RequiredDocument:
    return RequiredDocumentFactory(procedure=procedure, name="Tờ khai đăng ký khai sinh")


@pytest.fixture
def dossier(procedure: Procedure, citizen: User) -> Dossier:
    agency = AgencyFactory(commune=True)
    return Dossier.objects.create(
        procedure=procedure,
        agency=agency,
        current_agency=agency,
        channel=Channel.ONLINE,
        owner=citizen,
        created_by=citizen,
        applicant={"full_name": "Nguyễn Văn An"},
        applicant_name="Nguyễn Văn An",
    )


@pytest.fixture
def store(
    dossier: Dossier, citizen: User, required_document: RequiredDocument
) -> Callable[..., Document]:
    """``document_store`` with this test's dossier, citizen and required document."""

    def store(uploaded_file: UploadedFile, **overrides: Any) -> Document:
        arguments: dict[str, Any] = {
            "dossier": dossier,
            "uploaded_file": uploaded_file,
            "kind": Document.Kind.APPLICATION,
            "required_document": required_document,
            "actor": citizen,
        }
        return document_store(**(arguments | overrides))

    return store


def stored_names(storage: Storage) -> list[str]:
    """Every file under ``dossiers/`` in the storage, at any depth."""

    def walk(folder: str) -> list[str]:
        folders, files = storage.listdir(folder)
        names = [f"{folder}/{name}" for name in files]
        for sub in folders:
            names += walk(f"{folder}/{sub}")
        return names

    return sorted(walk("dossiers")) if storage.exists("dossiers") else []


def day_path(document: Document, extension: str) -> str:
    """Where ``models.document_path`` stores a document: its upload's local day, then its id."""
    return f"dossiers/{timezone.localdate(document.uploaded_at):%Y/%m/%d}/{document.id}.{extension}"


def assert_nothing_stored(storage: Storage) -> None:
    assert Document.objects.count() == 0
    assert stored_names(storage) == []


class UnreadableUpload(UploadedFile):
    """An upload that claims a size and fails the test if anything tries to read it."""

    def __init__(self, size: int) -> None:
        super().__init__(file=None, name="to_khai.pdf", content_type="application/pdf", size=size)

    def _fail(self, *args: Any, **kwargs: Any) -> Any:
        pytest.fail("an upload over the limit must be refused without reading it")

    read = seek = tell = open = chunks = multiple_chunks = readline = readlines = _fail

    def __iter__(self) -> Any:
        self._fail()


# -- document_store: accepted files ----------------------------------------------------------------


@pytest.mark.parametrize("content_type", sorted(SAMPLES))
def test_store_accepts_pdf_jpeg_and_png_and_records_them(
    content_type: str,
    store: Callable[..., Document],
    storage: Storage,
    dossier: Dossier,
    citizen: User,
    required_document: RequiredDocument,
) -> None:
    filename, content, extension = SAMPLES[content_type]

    document = store(SimpleUploadedFile(filename, content, content_type="text/html"))

    document.refresh_from_db()
    assert document.dossier == dossier
    assert document.kind == Document.Kind.APPLICATION
    assert document.required_document == required_document
    assert document.name == filename
    assert document.size == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.content_type == content_type  # from the bytes, not from the client
    assert document.uploaded_by == citizen
    assert document.file.name == day_path(document, extension)
    assert stored_names(storage) == [document.file.name]
    with storage.open(document.file.name, "rb") as stored:
        assert stored.read() == content


def test_store_reads_a_large_upload_from_its_temporary_file(
    store: Callable[..., Document], storage: Storage
) -> None:
    # Given a 3 MB PDF that Django's upload handler streamed to a temporary file on disk
    content = make_pdf(padding=3 * 1024 * 1024)
    upload = TemporaryUploadedFile("ho so.pdf", "application/pdf", len(content), None)
    upload.write(content)
    upload.flush()

    try:
        document = store(upload)
    finally:
        upload.close()  # as Django does at the end of a request; the storage moved the file

    assert document.size == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    with storage.open(document.file.name, "rb") as stored:
        assert stored.read() == content


def test_store_accepts_a_file_exactly_at_the_limit(store: Callable[..., Document]) -> None:
    content = make_png()

    with override_settings(MOTCUA_UPLOAD_MAX_BYTES=len(content)):
        document = store(SimpleUploadedFile("so_do.png", content))

    assert document.size == len(content)


def test_store_without_required_document(store: Callable[..., Document], dossier: Dossier) -> None:
    document = store(SimpleUploadedFile("khac.pdf", make_pdf()), required_document=None)

    assert document.required_document is None
    assert list(dossier.documents.all()) == [document]


def test_store_result_document(store: Callable[..., Document]) -> None:
    document = store(
        SimpleUploadedFile("Quyết định.pdf", make_pdf()),
        kind=Document.Kind.RESULT,
        required_document=None,
    )

    assert document.kind == Document.Kind.RESULT


# -- document_store: the client's filename never reaches the storage path --------------------------


@pytest.mark.parametrize(
    ("filename", "display_name"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\win.ini.pdf", "win.ini.pdf"),
        ("/etc/passwd.pdf", "passwd.pdf"),
        ("con.pdf", "con.pdf"),
        ("Tờ khai đăng ký kết hôn (bản chính).pdf", "Tờ khai đăng ký kết hôn (bản chính).pdf"),
        ("  Giấy  xác nhận tình trạng hôn nhân ", "Giấy xác nhận tình trạng hôn nhân.pdf"),
        ("a\x00b;rm -rf.pdf", "ab;rm -rf.pdf"),
    ],
)
def test_storage_path_contains_nothing_of_the_client_filename(
    filename: str,
    display_name: str,
    store: Callable[..., Document],
    storage: Storage,
    dossier: Dossier,
) -> None:
    document = store(SimpleUploadedFile(filename, make_pdf()))

    assert document.file.name == day_path(document, "pdf")
    assert stored_names(storage) == [day_path(document, "pdf")]
    assert document.name == display_name


# -- document_store: refused files -----------------------------------------------------------------


def test_a_pdf_that_is_really_html_is_refused_with_415(
    store: Callable[..., Document], storage: Storage
) -> None:
    upload = SimpleUploadedFile("to_khai.pdf", HTML, content_type="application/pdf")

    with pytest.raises(UnsupportedFileType) as raised:
        store(upload)

    assert (raised.value.status, raised.value.code) == (415, "unsupported_file_type")
    assert raised.value.message == "Chỉ nhận tệp PDF, JPG hoặc PNG."
    assert_nothing_stored(storage)


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("setup.exe", EXE),
        ("ho_so.zip", ZIP),
        ("anh.gif", GIF),
        ("logo.svg", SVG),
        ("to_khai.pdf", POLYGLOT),
        ("trong.pdf", b""),
        ("cut.pdf", make_pdf()[:-40]),
        ("cut.jpg", make_jpeg()[:-2]),
    ],
    ids=["exe", "zip", "gif", "svg", "html-pdf-polyglot", "empty", "truncated-pdf", "cut-jpeg"],
)
def test_other_content_is_refused_with_415(
    filename: str, content: bytes, store: Callable[..., Document], storage: Storage
) -> None:
    with pytest.raises(UnsupportedFileType) as raised:
        store(SimpleUploadedFile(filename, content))

    assert raised.value.status == 415
    assert raised.value.code == "unsupported_file_type"
    assert_nothing_stored(storage)


def test_an_upload_over_the_limit_is_refused_with_413_without_being_read(
    store: Callable[..., Document], storage: Storage
) -> None:
    with (
        override_settings(MOTCUA_UPLOAD_MAX_BYTES=20 * 1024 * 1024),
        pytest.raises(UploadTooLarge) as raised,
    ):
        store(UnreadableUpload(size=10**12))

    assert (raised.value.status, raised.value.code) == (413, "file_too_large")
    assert raised.value.message == "Tệp quá lớn: tối đa 20 MB."
    assert_nothing_stored(storage)


def test_the_limit_comes_from_the_setting(store: Callable[..., Document], storage: Storage) -> None:
    content = make_pdf()

    with (
        override_settings(MOTCUA_UPLOAD_MAX_BYTES=len(content) - 1),
        pytest.raises(UploadTooLarge),
    ):
        store(SimpleUploadedFile("to_khai.pdf", content))

    assert_nothing_stored(storage)


def test_a_file_longer_than_its_announced_size_is_refused(
    store: Callable[..., Document], storage: Storage
) -> None:
    # Given an upload whose announced size passes every check on the head and the tail, but
    # whose stream holds more: what would be stored is not what was checked
    content = make_pdf()
    upload = SimpleUploadedFile("to_khai.pdf", content + b"%more\n")
    upload.size = len(content)

    with pytest.raises(UnsupportedFileType) as raised:
        store(upload)

    assert raised.value.message.startswith("Tệp PDF bị hỏng hoặc chưa được tải lên trọn vẹn.")
    assert_nothing_stored(storage)


def test_a_required_document_of_another_procedure_is_refused(
    store: Callable[..., Document], storage: Storage
) -> None:
    elsewhere = RequiredDocumentFactory(procedure=ProcedureFactory())

    with pytest.raises(InvalidRequiredDocument) as raised:
        store(SimpleUploadedFile("to_khai.pdf", make_pdf()), required_document=elsewhere)

    error = raised.value
    assert (error.status, error.code) == (400, "invalid_required_document")
    assert error.errors == {
        "required_document": ["Giấy tờ đã chọn không thuộc thành phần hồ sơ của thủ tục này."]
    }
    assert_nothing_stored(storage)


def test_a_result_document_cannot_claim_a_required_document(
    store: Callable[..., Document], storage: Storage
) -> None:
    with pytest.raises(InvalidRequiredDocument) as raised:
        store(SimpleUploadedFile("kq.pdf", make_pdf()), kind=Document.Kind.RESULT)

    assert list(raised.value.errors) == ["required_document"]
    assert_nothing_stored(storage)


def test_an_unknown_kind_is_refused(store: Callable[..., Document], storage: Storage) -> None:
    with pytest.raises(ValidationFailed) as raised:
        store(SimpleUploadedFile("a.pdf", make_pdf()), kind="other")

    assert list(raised.value.errors) == ["kind"]
    assert_nothing_stored(storage)


# -- document_store: no orphan files ---------------------------------------------------------------


def test_the_stored_file_is_deleted_when_the_row_cannot_be_written(
    store: Callable[..., Document], storage: Storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a database that refuses the insert
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise IntegrityError("refused")

    monkeypatch.setattr(documents, "insert", refuse)

    with pytest.raises(IntegrityError):
        store(SimpleUploadedFile("to_khai.pdf", make_pdf()))

    assert_nothing_stored(storage)


def test_the_callers_transaction_survives_a_refused_insert(
    store: Callable[..., Document],
    storage: Storage,
    dossier: Dossier,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The insert runs in its own savepoint: the caller may catch the error and go on.
    monkeypatch.setattr(documents, "insert", lambda *a, **k: (_ for _ in ()).throw(DatabaseError))

    with transaction.atomic():
        with pytest.raises(DatabaseError):
            store(SimpleUploadedFile("to_khai.pdf", make_pdf()))
        Dossier.objects.filter(pk=dossier.pk).update(form_data={"ok": True})

    dossier.refresh_from_db()
    assert dossier.form_data == {"ok": True}
    assert stored_names(storage) == []


def test_orphans_left_by_a_rolled_back_caller_are_purged(
    store: Callable[..., Document], storage: Storage, dossier: Dossier
) -> None:
    # Given a document that stays, and one whose caller's transaction rolled back
    kept = store(SimpleUploadedFile("giu_lai.pdf", make_pdf()))

    class CallerFailed(Exception):
        pass

    stored: list[Document] = []

    def caller() -> None:
        with transaction.atomic():
            stored.append(store(SimpleUploadedFile("mo_coi.png", make_png())))
            raise CallerFailed  # e.g. writing its history event failed

    with pytest.raises(CallerFailed):
        caller()
    assert not Document.objects.filter(pk=stored[0].pk).exists()
    orphan = stored[0].file.name
    unrelated = storage.save(f"dossiers/{dossier.id}/ghi-chu.txt", SimpleUploadedFile("x", b"x"))
    # and files of the earlier layout (a folder per dossier): one a document refers to, one not
    legacy = store(SimpleUploadedFile("cu.pdf", make_pdf()))
    storage.delete(legacy.file.name)
    legacy_kept = storage.save(f"dossiers/{dossier.id}/{legacy.id}.pdf", ContentFile(make_pdf()))
    Document.objects.filter(pk=legacy.pk).update(file=legacy_kept)
    legacy_orphan = storage.save(f"dossiers/{dossier.id}/{uuid.uuid4()}.pdf", ContentFile(b"x"))
    assert stored_names(storage) == sorted(
        [kept.file.name, orphan, unrelated, legacy_kept, legacy_orphan]
    )

    # When the purge runs within the grace period, nothing goes
    assert document_purge_orphans(older_than=dt.timedelta(hours=1)) == []

    # Then, later, only the orphans go, in either layout
    later = timezone.now() + dt.timedelta(hours=2)
    removed = document_purge_orphans(older_than=dt.timedelta(hours=1), now=later)
    assert sorted(removed) == sorted([orphan, legacy_orphan])
    assert stored_names(storage) == sorted([kept.file.name, unrelated, legacy_kept])


def test_documents_are_stored_in_the_folder_of_their_upload_day(
    store: Callable[..., Document], storage: Storage
) -> None:
    # Hanoi's day, not UTC's: 23:30 UTC on the 31st is already the 1st in Vietnam.
    at = dt.datetime(2026, 1, 31, 23, 30, tzinfo=dt.UTC)
    today = store(SimpleUploadedFile("hom_nay.pdf", make_pdf()))
    loaded = store(SimpleUploadedFile("cu.png", make_png()), at=at)

    assert loaded.file.name == f"dossiers/2026/02/01/{loaded.id}.png"
    assert today.file.name == f"dossiers/{timezone.localdate():%Y/%m/%d}/{today.id}.pdf"
    assert stored_names(storage) == sorted([today.file.name, loaded.file.name])


def test_purge_with_no_documents_at_all() -> None:
    assert document_purge_orphans() == []


# -- document_open ---------------------------------------------------------------------------------


def test_open_streams_the_file_with_its_type_and_a_safe_disposition(
    store: Callable[..., Document],
) -> None:
    content = make_pdf()
    document = store(SimpleUploadedFile("Tờ khai đăng ký.pdf", content))

    handle, content_type, disposition = document_open(document=document)
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = disposition

    assert response.getvalue() == content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(content))
    assert response["Content-Disposition"] == (
        'inline; filename="To khai dang ky.pdf"; '
        "filename*=UTF-8''T%E1%BB%9D%20khai%20%C4%91%C4%83ng%20k%C3%BD.pdf"
    )


def test_open_as_attachment(store: Callable[..., Document]) -> None:
    document = store(SimpleUploadedFile("anh.png", make_png()))

    opened = document_open(document=document, attachment=True)

    assert opened.content_type == "image/png"
    assert opened.content_disposition == (
        "attachment; filename=\"anh.png\"; filename*=UTF-8''anh.png"
    )
    opened.file.close()


def test_open_cleans_names_that_did_not_come_through_document_store(
    store: Callable[..., Document],
) -> None:
    document = store(SimpleUploadedFile("a.pdf", make_pdf()))
    Document.objects.filter(pk=document.pk).update(name='x";\r\nSet-Cookie: a=b')
    document.refresh_from_db()

    opened = document_open(document=document)

    assert opened.content_disposition == (
        'inline; filename="x__ Set-Cookie_ a_b.pdf"; '
        "filename*=UTF-8''x_%3B%20Set-Cookie_%20a%3Db.pdf"
    )
    opened.file.close()


def test_open_a_document_whose_file_is_gone(
    store: Callable[..., Document], storage: Storage, caplog: pytest.LogCaptureFixture
) -> None:
    document = store(SimpleUploadedFile("a.pdf", make_pdf()))
    storage.delete(document.file.name)

    with pytest.raises(DocumentFileMissing) as raised:
        document_open(document=document)

    assert (raised.value.status, raised.value.code) == (404, "document_file_missing")
    assert document.file.name in caplog.text


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("a.pdf", "inline; filename=\"a.pdf\"; filename*=UTF-8''a.pdf"),
        ("Đơn.pdf", "inline; filename=\"Don.pdf\"; filename*=UTF-8''%C4%90%C6%A1n.pdf"),
        ("申请.pdf", "inline; filename=\"tai-lieu.pdf\"; filename*=UTF-8''%E7%94%B3%E8%AF%B7.pdf"),
        ('a"b\\c.pdf', "inline; filename=\"a_b_c.pdf\"; filename*=UTF-8''a%22b%5Cc.pdf"),
        ("noext", "inline; filename=\"noext\"; filename*=UTF-8''noext"),
    ],
)
def test_content_disposition(filename: str, expected: str) -> None:
    assert content_disposition(filename) == expected


# -- document_delete -------------------------------------------------------------------------------


def test_delete_a_document_of_a_draft(
    store: Callable[..., Document],
    storage: Storage,
    django_capture_on_commit_callbacks: Any,
) -> None:
    document = store(SimpleUploadedFile("a.pdf", make_pdf()))
    other = store(SimpleUploadedFile("b.png", make_png()))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        document_delete(document=document)
        # The file stays until the removal commits: a rollback must find it.
        assert storage.exists(document.file.name)

    assert len(callbacks) == 1
    assert list(Document.objects.all()) == [other]
    assert stored_names(storage) == [other.file.name]


@pytest.mark.parametrize(
    "status", [Status.SUBMITTED, Status.SUPPLEMENT_REQUESTED, Status.REFUSED, Status.STOPPED]
)
def test_documents_of_a_dossier_no_longer_a_draft_cannot_be_deleted(
    status: str,
    store: Callable[..., Document],
    storage: Storage,
    dossier: Dossier,
    django_capture_on_commit_callbacks: Any,
) -> None:
    document = store(SimpleUploadedFile("a.pdf", make_pdf()))
    Dossier.objects.filter(pk=dossier.pk).update(status=status)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(DocumentNotDeletable) as raised,
    ):
        document_delete(document=document)

    assert (raised.value.status, raised.value.code) == (409, "document_not_deletable")
    assert callbacks == []
    assert list(Document.objects.all()) == [document]
    assert stored_names(storage) == [document.file.name]
