"""The online application wizard, step by step, its errors, and who may open what."""

from __future__ import annotations

import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from motcua.accounts.models import User
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Document, Dossier, DossierEvent
from motcua.dossiers.services import ApplicantData, dossier_act, dossier_create
from motcua.dossiers.tests.conftest import World
from motcua.portal.qr import BORDER, qr_matrix

from .files import HTML_NAMED_PDF, make_jpeg, make_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen(world: World) -> User:
    user = world.user("citizen")
    user.full_name = "Trần Văn Bình"
    user.id_number = "079203001234"
    user.phone = "0909123456"
    user.email = "binh@example.vn"
    user.address = "Ấp Bình Hòa, xã An Bình"
    user.save()
    return user


@pytest.fixture
def browser(client: Client, citizen: User) -> Client:
    client.force_login(citizen)
    return client


def _step(dossier: Dossier, n: int) -> str:
    return reverse("portal:apply-step", kwargs={"pk": dossier.pk, "step": n})


def _start_url(world: World) -> str:
    return reverse("portal:apply-start", kwargs={"code": world.birth.code})


APPLICANT = {
    "full_name": "Trần Văn Bình",
    "id_number": "0792 0300 1234",
    "phone": "0909 123 456",
    "email": "",
    "address": "Ấp Bình Hòa, xã An Bình",
}


def _draft(world: World, owner: User) -> Dossier:
    return dossier_create(
        actor=owner,
        procedure=world.birth,
        agency=world.desk_a,
        channel="online",
        applicant=ApplicantData(
            type="citizen", full_name=owner.full_name, id_number="079203001234", phone="0909123456"
        ),
    )


def _attach_all(browser: Client, world: World, dossier: Dossier) -> None:
    files = {
        f"doc-{doc.pk}": SimpleUploadedFile(f"giay-{doc.pk}.pdf", make_pdf(), "application/pdf")
        for doc in world.birth.required_documents.all()
    }
    response = browser.post(_step(dossier, 3), {**files, "then": "stay"})
    assert response.status_code == 302


# -- step 1 --------------------------------------------------------------------------------------


def test_anonymous_people_are_sent_to_log_in_and_back(client: Client, world: World) -> None:
    response = client.get(_start_url(world))

    assert response.status_code == 302
    assert response["Location"] == (reverse("accounts:login") + "?next=" + _start_url(world))


def test_step_one_is_prefilled_from_the_account(browser: Client, world: World) -> None:
    response = browser.get(_start_url(world))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Trần Văn Bình"' in page
    assert 'value="079203001234"' in page
    assert 'value="0909123456"' in page
    assert 'value="Ấp Bình Hòa, xã An Bình"' in page
    # Two desks receive this procedure: the applicant chooses.
    assert "Bộ phận Một cửa xã An Bình" in page
    assert "Bộ phận Một cửa xã Cái Nhum" in page
    assert not Dossier.objects.exists()


def test_step_one_errors_are_next_to_the_fields_and_in_a_summary(
    browser: Client, world: World
) -> None:
    response = browser.post(
        _start_url(world),
        {**APPLICANT, "full_name": "", "id_number": "12345", "on_behalf": "on"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_full_name"' in summary
    assert 'href="#id_id_number"' in summary
    assert 'href="#id_agency_0"' in summary  # no desk chosen
    assert 'href="#id_behalf_full_name"' in summary
    assert 'id="id_id_number-error">Số định danh cá nhân gồm đúng 12 chữ số' in page
    assert re.search(r'aria-describedby="id_id_number-error"[^>]*aria-invalid="true"', page)
    assert not Dossier.objects.exists()


def test_saving_step_one_creates_an_online_draft(
    browser: Client, world: World, citizen: User
) -> None:
    response = browser.post(
        _start_url(world),
        {
            **APPLICANT,
            "agency": world.desk_b.pk,
            "on_behalf": "on",
            "behalf_full_name": "Trần Bảo An",
            "behalf_relationship": "con",
        },
    )

    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _step(dossier, 2)
    assert dossier.status == Status.DRAFT
    assert dossier.channel == "online"
    assert dossier.owner == citizen
    assert dossier.agency == world.desk_b
    assert dossier.applicant["id_number"] == "079203001234"
    assert dossier.applicant["phone"] == "0909123456"
    assert dossier.on_behalf_of == {
        "full_name": "Trần Bảo An",
        "id_number": "",
        "relationship": "con",
    }


def test_a_procedure_not_offered_online_has_no_wizard(browser: Client, world: World) -> None:
    world.birth.online = "none"
    world.birth.save()

    assert browser.get(_start_url(world)).status_code == 404
    assert browser.get("/nop-ho-so/9.999999/").status_code == 404


def test_staff_cannot_apply_as_citizens(client: Client, world: World) -> None:
    client.force_login(world.user("counter_a"))

    response = client.get(_start_url(world))

    assert response.status_code == 403
    assert "Tài khoản cán bộ không dùng để nộp hồ sơ trực tuyến" in response.content.decode()
    assert (
        client.post(_start_url(world), {**APPLICANT, "agency": world.desk_a.pk}).status_code == 403
    )
    assert not Dossier.objects.exists()


def test_going_back_to_step_one_changes_the_draft(
    browser: Client, world: World, citizen: User
) -> None:
    dossier = _draft(world, citizen)

    response = browser.post(
        _step(dossier, 1), {**APPLICANT, "full_name": "Trần Văn Bính", "agency": world.desk_a.pk}
    )

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.applicant_name == "Trần Văn Bính"
    assert dossier.on_behalf_of is None


# -- step 2 --------------------------------------------------------------------------------------


def test_step_two_needs_a_request_and_saves_it(
    browser: Client, world: World, citizen: User
) -> None:
    dossier = _draft(world, citizen)

    refused = browser.post(_step(dossier, 2), {"request": "   "})
    saved = browser.post(_step(dossier, 2), {"request": "Đăng ký khai sinh cho con tôi."})

    assert refused.status_code == 400
    assert 'id="id_request-error">Bạn viết nội dung yêu cầu.' in refused.content.decode()
    assert saved.status_code == 302
    assert saved["Location"] == _step(dossier, 3)
    dossier.refresh_from_db()
    assert dossier.form_data == {"request": "Đăng ký khai sinh cho con tôi."}
    assert (
        browser.get(_step(dossier, 2)).content.decode().count("Đăng ký khai sinh cho con tôi.") == 1
    )


# -- step 3 --------------------------------------------------------------------------------------


def test_step_three_takes_a_pdf_and_a_jpeg_checked_by_content(
    browser: Client, world: World, citizen: User
) -> None:
    dossier = _draft(world, citizen)
    form, birth_paper = world.birth.required_documents.order_by("pk")

    response = browser.post(
        _step(dossier, 3),
        {
            f"doc-{form.pk}": SimpleUploadedFile("to-khai.pdf", make_pdf(), "application/pdf"),
            f"doc-{birth_paper.pk}": SimpleUploadedFile(
                "giay chung sinh.jpg", make_jpeg(), "image/jpeg"
            ),
            "then": "next",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == _step(dossier, 4)
    documents = {d.required_document_id: d for d in Document.objects.filter(dossier=dossier)}
    assert documents[form.pk].content_type == "application/pdf"
    assert documents[birth_paper.pk].content_type == "image/jpeg"
    page = browser.get(_step(dossier, 3)).content.decode()
    assert "Đã tải lên: to-khai.pdf" in page
    assert "Đã tải lên: giay chung sinh.jpg" in page
    assert 'accept="application/pdf,image/jpeg,image/png"' in page


def test_an_html_page_named_pdf_is_refused_next_to_its_field(
    browser: Client, world: World, citizen: User
) -> None:
    dossier = _draft(world, citizen)
    form, birth_paper = world.birth.required_documents.order_by("pk")

    response = browser.post(
        _step(dossier, 3),
        {
            f"doc-{form.pk}": SimpleUploadedFile("to-khai.pdf", HTML_NAMED_PDF, "application/pdf"),
            f"doc-{birth_paper.pk}": SimpleUploadedFile("gcs.jpg", make_jpeg(), "image/jpeg"),
            "then": "next",
        },
    )

    assert response.status_code == 415
    page = response.content.decode()
    assert (
        f'id="id_doc-{form.pk}-error">Tệp này không phải PDF, JPG hay PNG (dù tên tệp có thể ghi .pdf).'
        in page
    )
    assert f'href="#id_doc-{form.pk}"' in page.split('id="error-summary"')[1]
    # The good file of the same post was kept; the bad one was not.
    assert list(
        Document.objects.filter(dossier=dossier).values_list("required_document_id", flat=True)
    ) == [birth_paper.pk]


@pytest.mark.parametrize("limit", [1000])
def test_a_file_too_large_is_refused_with_the_limit(
    browser: Client, world: World, citizen: User, settings, limit: int
) -> None:
    settings.MOTCUA_UPLOAD_MAX_BYTES = limit
    dossier = _draft(world, citizen)
    form = world.birth.required_documents.order_by("pk").first()

    response = browser.post(
        _step(dossier, 3),
        {f"doc-{form.pk}": SimpleUploadedFile("anh.jpg", make_jpeg((900, 900)), "image/jpeg")},
    )

    assert response.status_code == 413
    assert (
        f'id="id_doc-{form.pk}-error">Tệp quá lớn: tối đa 1000 byte.' in response.content.decode()
    )
    assert not Document.objects.filter(dossier=dossier).exists()


def test_continuing_without_a_required_document_says_which(
    browser: Client, world: World, citizen: User
) -> None:
    dossier = _draft(world, citizen)
    form, birth_paper = world.birth.required_documents.order_by("pk")

    response = browser.post(
        _step(dossier, 3),
        {
            f"doc-{form.pk}": SimpleUploadedFile("to-khai.pdf", make_pdf(), "application/pdf"),
            "then": "next",
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_doc-{birth_paper.pk}-error">Bạn chưa tải lên giấy tờ này.' in page
    assert f'id="id_doc-{form.pk}-error"' not in page
    assert "Đã tải lên: to-khai.pdf" in page


# -- step 4 --------------------------------------------------------------------------------------


def test_step_four_post_needs_an_address(browser: Client, world: World, citizen: User) -> None:
    dossier = _draft(world, citizen)

    refused = browser.post(_step(dossier, 4), {"result_delivery": "post", "delivery_address": ""})
    saved = browser.post(
        _step(dossier, 4), {"result_delivery": "post", "delivery_address": "12 Lê Lợi, An Bình"}
    )

    assert refused.status_code == 400
    assert 'id="id_delivery_address-error">Bạn ghi địa chỉ' in refused.content.decode()
    assert saved["Location"] == _step(dossier, 5)
    dossier.refresh_from_db()
    assert dossier.result_delivery == "post"
    assert dossier.form_data["delivery_address"] == "12 Lê Lợi, An Bình"


def test_online_delivery_is_offered_only_for_full_online_procedures(
    browser: Client, world: World, citizen: User
) -> None:
    full = _draft(world, citizen)
    partial = dossier_create(
        actor=citizen,
        procedure=world.permit,
        agency=world.desk_a,
        channel="online",
        applicant=ApplicantData(type="citizen", full_name="Trần Văn Bình"),
    )

    assert 'value="online"' in browser.get(_step(full, 4)).content.decode()
    assert 'value="online"' not in browser.get(_step(partial, 4)).content.decode()
    assert browser.post(_step(partial, 4), {"result_delivery": "online"}).status_code == 400


# -- step 5 and the receipt page ------------------------------------------------------------------


def test_submitting_without_documents_is_refused_and_explained(
    browser: Client, world: World, citizen: User
) -> None:
    dossier = _draft(world, citizen)

    response = browser.post(_step(dossier, 5))

    assert response.status_code == 422
    page = response.content.decode()
    assert "Hồ sơ chưa nộp được" in page
    assert "Thiếu: Tờ khai đăng ký khai sinh" in page
    dossier.refresh_from_db()
    assert dossier.status == Status.DRAFT


def test_submit_then_the_receipt_page(browser: Client, world: World, citizen: User) -> None:
    dossier = _draft(world, citizen)
    browser.post(_step(dossier, 2), {"request": "Khai sinh cho con"})
    _attach_all(browser, world, dossier)
    review = browser.get(_step(dossier, 5)).content.decode()
    assert "Khai sinh cho con" in review
    assert "Trần Văn Bình" in review

    response = browser.post(_step(dossier, 5))

    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    assert dossier.code
    assert response["Location"] == reverse("portal:apply-done", kwargs={"pk": dossier.pk})
    page = browser.get(response["Location"]).content.decode()
    assert dossier.code in page
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page
    assert "Cán bộ một cửa của Bộ phận Một cửa xã An Bình sẽ kiểm tra hồ sơ" in page
    assert "Tải giấy tiếp nhận (PDF)" not in page  # not received yet: there is no receipt
    # The wizard of a submitted dossier leads to its receipt page.
    assert browser.get(_step(dossier, 2))["Location"] == response["Location"]
    assert DossierEvent.objects.filter(dossier=dossier, action="submit").count() == 1


def test_once_received_the_page_gives_the_appointment_and_the_receipt_pdf(
    browser: Client, world: World, citizen: User
) -> None:
    dossier = _draft(world, citizen)
    _attach_all(browser, world, dossier)
    dossier_act(dossier_id=dossier.pk, action="submit", actor=citizen)
    pdf_url = reverse("portal:apply-receipt-pdf", kwargs={"pk": dossier.pk})
    assert browser.get(pdf_url).status_code == 404  # not received: no receipt yet

    dossier_act(dossier_id=dossier.pk, action="receive", actor=world.user("counter_a"))
    dossier.refresh_from_db()

    page = browser.get(reverse("portal:apply-done", kwargs={"pk": dossier.pk})).content.decode()
    assert "Hồ sơ đã được tiếp nhận" in page
    assert dossier.due_at is not None
    from django.utils import timezone

    assert timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y") in page
    assert pdf_url in page
    pdf = browser.get(pdf_url)
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")


# -- who may open what ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["citizen2", "counter_a", "supervisor"])
def test_nobody_else_opens_a_draft(client: Client, world: World, citizen: User, who: str) -> None:
    dossier = _draft(world, citizen)
    client.force_login(world.user(who))

    for n in range(1, 6):
        assert client.get(_step(dossier, n)).status_code == 404
    assert client.post(_step(dossier, 2), {"request": "x"}).status_code == 404
    assert client.get(reverse("portal:apply-done", kwargs={"pk": dossier.pk})).status_code == 404
    dossier.refresh_from_db()
    assert dossier.form_data == {}


@pytest.mark.parametrize("who", ["citizen2", "counter_a"])
def test_nobody_else_opens_a_receipt(
    client: Client, browser: Client, world: World, citizen: User, who: str
) -> None:
    dossier = _draft(world, citizen)
    _attach_all(browser, world, dossier)
    dossier_act(dossier_id=dossier.pk, action="submit", actor=citizen)
    dossier_act(dossier_id=dossier.pk, action="receive", actor=world.user("counter_a"))
    other = Client()
    other.force_login(world.user(who))

    assert other.get(reverse("portal:apply-done", kwargs={"pk": dossier.pk})).status_code == 404
    pdf = reverse("portal:apply-receipt-pdf", kwargs={"pk": dossier.pk})
    assert other.get(pdf).status_code == 404


def _pdf_text(content: bytes) -> str:
    from io import BytesIO

    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)
    return " ".join(text.split())


def test_right_after_submitting_the_confirmation_pdf(
    browser: Client, world: World, citizen: User
) -> None:
    dossier = _draft(world, citizen)
    pdf_url = reverse("portal:apply-confirmation-pdf", kwargs={"pk": dossier.pk})
    _attach_all(browser, world, dossier)
    assert browser.get(pdf_url).status_code == 404  # a draft was not sent: nothing to confirm

    dossier_act(dossier_id=dossier.pk, action="submit", actor=citizen)
    dossier.refresh_from_db()
    page = browser.get(reverse("portal:apply-done", kwargs={"pk": dossier.pk})).content.decode()
    assert pdf_url in page
    assert "Tải phiếu xác nhận (PDF)" in page

    response = browser.get(pdf_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "PHIẾU XÁC NHẬN NỘP HỒ SƠ TRỰC TUYẾN" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Trần Văn Bình" in text
    assert dossier.code
    assert dossier.code in text
    assert dossier.procedure.name in text
    assert timezone.localtime(dossier.submitted_at).strftime("%d/%m/%Y") in text
    for required in dossier.procedure.required_documents.filter(required=True):
        assert required.name in text
    assert f"/tra-cuu/{dossier.code}/" in text
    assert "Mẫu 01" in text

    # Once received, both PDFs are offered.
    dossier_act(dossier_id=dossier.pk, action="receive", actor=world.user("counter_a"))
    page = browser.get(reverse("portal:apply-done", kwargs={"pk": dossier.pk})).content.decode()
    assert pdf_url in page
    assert reverse("portal:apply-receipt-pdf", kwargs={"pk": dossier.pk}) in page


@pytest.mark.parametrize("who", ["citizen2", "counter_a", "supervisor"])
def test_nobody_else_opens_the_confirmation(
    browser: Client, world: World, citizen: User, who: str
) -> None:
    dossier = _draft(world, citizen)
    _attach_all(browser, world, dossier)
    dossier_act(dossier_id=dossier.pk, action="submit", actor=citizen)
    other = Client()
    other.force_login(world.user(who))

    pdf = reverse("portal:apply-confirmation-pdf", kwargs={"pk": dossier.pk})
    assert other.get(pdf).status_code == 404
    assert Client().get(pdf).status_code == 302  # anonymous: to the login page


def test_unknown_ids_and_steps_are_404(browser: Client, world: World, citizen: User) -> None:
    dossier = _draft(world, citizen)

    assert browser.get(_step(dossier, 6)).status_code == 404
    assert browser.get(f"/ho-so-nhap/{uuid.uuid4()}/buoc/1/").status_code == 404


def test_drafts_lists_mine_only_and_resumes_where_i_stopped(
    browser: Client, world: World, citizen: User
) -> None:
    mine = _draft(world, citizen)
    browser.post(_step(mine, 2), {"request": "Khai sinh"})
    other = _draft(world, world.user("citizen2"))

    page = browser.get(reverse("portal:drafts")).content.decode()

    assert _step(mine, 3) in page
    assert str(other.pk) not in page


def test_the_procedure_page_leads_into_the_wizard(client: Client, world: World) -> None:
    page = client.get(reverse("portal:procedure-detail", kwargs={"code": world.birth.code}))

    assert f'href="{_start_url(world)}"' in page.content.decode()
    world.birth.online = "none"
    world.birth.save()
    page = client.get(reverse("portal:procedure-detail", kwargs={"code": world.birth.code}))
    assert _start_url(world) not in page.content.decode()


def test_the_qr_matrix_has_its_finder_patterns() -> None:
    matrix = qr_matrix("http://127.0.0.1:8000/tra-cuu/H56.101.1-261126-0001/")
    size = len(matrix)

    assert size >= 21
    assert (size - 17) % 4 == 0  # a QR version's size
    for top, left in ((0, 0), (0, size - 7), (size - 7, 0)):
        assert all(matrix[top][left + i] for i in range(7))
        assert all(matrix[top + 6][left + i] for i in range(7))
        assert not matrix[top + 1][left + 1]
        assert all(matrix[top + 2 + i][left + 2 + j] for i in range(3) for j in range(3))
    assert BORDER == 2


def _weight(client: Client, url: str) -> int:
    """Bytes of a page and of the stylesheets and scripts it loads."""
    response = client.get(url)
    assert response.status_code == 200
    html = response.content
    total = len(html)
    for asset in re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html):
        static = client.get(asset.decode())
        assert static.status_code == 200, asset
        total += len(b"".join(static.streaming_content))  # type: ignore[attr-defined]
    return total


def test_every_page_of_the_wizard_weighs_less_than_100_kb(
    browser: Client, world: World, citizen: User
) -> None:
    dossier = _draft(world, citizen)
    browser.post(_step(dossier, 2), {"request": "Khai sinh cho con"})
    pages = [_start_url(world), reverse("portal:drafts")]
    pages += [_step(dossier, n) for n in range(1, 6)]
    weights = {url: _weight(browser, url) for url in pages}
    _attach_all(browser, world, dossier)
    dossier_act(dossier_id=dossier.pk, action="submit", actor=citizen)
    done = reverse("portal:apply-done", kwargs={"pk": dossier.pk})
    weights[done] = _weight(browser, done)

    assert max(weights.values()) < 100_000, weights
    assert min(weights.values()) > 3_000  # the stylesheet was counted
