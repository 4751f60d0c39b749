"""Form templates are PDF, DOC or DOCX by their bytes, named as they are, at most 10 MB."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.catalog.models import RequiredDocument
from motcua.catalog.tests.factories import ProcedureFactory
from motcua.catalog.validators import form_template_kind, validate_form_template

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"
DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def docx(*, word: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if word:
            archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [("to-khai.pdf", PDF, "pdf"), ("to-khai.doc", DOC, "doc"), ("to-khai.docx", docx(), "docx")],
)
def test_pdf_doc_and_docx_are_accepted(name: str, content: bytes, kind: str) -> None:
    upload = SimpleUploadedFile(name, content)
    assert form_template_kind(upload) == kind
    validate_form_template(upload)
    assert upload.tell() == 0


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("trang.pdf", b"<html><script>alert(1)</script></html>"),
        ("bang.docx", docx(word=False)),  # a zip, but not a Word document
        ("hong.docx", b"PK\x03\x04 not really a zip"),
        ("anh.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40),
    ],
)
def test_other_content_is_refused_whatever_its_name(name: str, content: bytes) -> None:
    with pytest.raises(ValidationError, match="PDF, DOC hoặc DOCX"):
        validate_form_template(SimpleUploadedFile(name, content))


def test_a_name_that_does_not_match_the_bytes_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        validate_form_template(SimpleUploadedFile("to-khai.doc", PDF))
    assert error.value.messages == [
        "Tệp là pdf nhưng tên tệp có đuôi “.doc”: hãy đổi thành “.pdf”."
    ]


def test_too_large_is_refused() -> None:
    big = SimpleUploadedFile("to-khai.pdf", PDF + b"\x00" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError, match="tối đa 10 MB"):
        validate_form_template(big)


@pytest.mark.django_db
def test_model_forms_such_as_the_admin_inline_check_the_upload(
    settings, tmp_path, admin_user, rf
) -> None:
    from django.contrib import admin

    from motcua.catalog.admin import ProcedureAdmin
    from motcua.catalog.models import Procedure

    settings.MEDIA_ROOT = tmp_path
    procedure = ProcedureFactory(code="1.000321", name="Chứng thực chữ ký")
    document = RequiredDocument.objects.create(procedure=procedure, position=0, name="Tờ khai")
    request = rf.get("/admin/")
    request.user = admin_user
    inline = next(
        i
        for i in ProcedureAdmin(Procedure, admin.site).get_inline_instances(request)
        if i.model is RequiredDocument
    )
    form_class = inline.get_formset(request, procedure).form
    data = {
        "procedure": str(procedure.pk),
        "position": "0",
        "name": "Tờ khai",
        "originals": "1",
        "copies": "0",
        "required": "on",
    }

    bad = form_class(
        data, {"form_template": SimpleUploadedFile("mau.pdf", b"<html></html>")}, instance=document
    )
    assert not bad.is_valid()
    assert bad.errors["form_template"] == ["Tệp mẫu phải là PDF, DOC hoặc DOCX."]

    good = form_class(
        data, {"form_template": SimpleUploadedFile("mau.pdf", PDF)}, instance=document
    )
    assert good.is_valid(), good.errors
    good.save()
    document.refresh_from_db()
    assert document.form_template.name == "catalog/forms/1.000321/00.pdf"
