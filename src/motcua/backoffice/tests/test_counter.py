"""The desk (/can-bo/tiep-nhan/): a counter officer registers a walk-in dossier, received at once
with its scans and its receipt; a volunteer files online for a citizen who consented."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.accounts.models import User
from motcua.accounts.selectors import citizen_find
from motcua.backoffice.counter_forms import files_field_name, received_field_name
from motcua.backoffice.counter_services import Registration, counter_register
from motcua.backoffice.tests.conftest import office_login
from motcua.catalog.models import RequiredDocument
from motcua.catalog.tests.factories import ProcedureFactory, RequiredDocumentFactory
from motcua.core.exceptions import ApplicationError, PermissionDenied
from motcua.dossiers.constants import Action, Channel, Delivery, Status
from motcua.dossiers.exceptions import MissingDocuments, UnsupportedFileType
from motcua.dossiers.history import PersonalDataAccess
from motcua.dossiers.models import Document, Dossier, DossierEvent
from motcua.dossiers.selectors import dossier_visible
from motcua.dossiers.services import ApplicantData
from motcua.dossiers.slips.builders import receipt_data
from motcua.dossiers.tests.conftest import World
from motcua.portal.tests.files import HTML_NAMED_PDF, make_jpeg, make_pdf

URL = "/can-bo/tiep-nhan/"
BIRTH = f"{URL}?thu-tuc=1.001193"


def _docs(world: World) -> list[RequiredDocument]:
    return list(world.birth.required_documents.order_by("position", "pk"))


def _client(world: World, username: str) -> Client:
    return office_login(Client(), world.user(username))


def _applicant(**overrides: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "submission": uuid.uuid4().hex,
        "account": "",
        "full_name": "Nguyễn Thị Mai",
        "id_number": "086190012345",
        "phone": "0912 345 678",
        "email": "",
        "address": "Ấp 3, xã An Bình",
        "request": "Đăng ký khai sinh cho con, tên Nguyễn Bảo An",
        "sets_received": "1",
        "result_delivery": Delivery.COUNTER,
        "delivery_address": "",
    }
    data.update(overrides)
    return data


def _pdf(name: str = "to-khai.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, make_pdf(), content_type="application/pdf")


def _jpeg(name: str = "trang.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, make_jpeg(), content_type="image/jpeg")


@pytest.fixture
def citizen(world: World) -> User:
    user = world.user("citizen")
    user.full_name = "Trần Văn Phúc"
    user.phone = "0987654321"
    user.email = "phuc@example.vn"
    user.id_number = "086090054321"
    user.address = "Ấp 1, xã An Bình"
    user.save()
    return user


# --- Picking the procedure --------------------------------------------------------------------


def test_the_desk_lists_and_searches_only_the_procedures_its_agency_receives(
    world: World, django_assert_max_num_queries: Any
) -> None:
    elsewhere = ProcedureFactory(code="2.000001", name="Đăng ký khai tử", agencies=[world.desk_b])
    client = _client(world, "counter_a")

    with django_assert_max_num_queries(12):
        page = client.get(URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Đăng ký khai sinh" in html
    assert "Cấp giấy phép xây dựng" in html
    assert elsewhere.name not in html

    found = client.get(URL, {"q": "dang ky khai"}).content.decode()  # no diacritics
    assert "?thu-tuc=1.001193" in found
    assert "?thu-tuc=2.000001" not in found  # another desk's procedure is never offered

    partial = client.get(URL, {"q": "khai sinh"}, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert partial.content.decode().lstrip().startswith('<section id="procedure-results"')
    assert "HX-Request" in partial["Vary"]

    assert client.get(f"{URL}?thu-tuc=2.000001").status_code == 404


def test_only_counter_officers_and_volunteers_use_the_desk(world: World) -> None:
    for username in ("specialist_a", "leader_a", "supervisor"):
        response = _client(world, username).get(URL)
        assert response.status_code == 403
        assert "không tiếp nhận hồ sơ" in response.content.decode()
    assert Client().get(URL).status_code == 302  # not logged in: to the login page


def test_the_shell_shows_the_desk_to_counter_officers_and_volunteers(world: World) -> None:
    assert 'href="/can-bo/tiep-nhan/">Tiếp nhận hồ sơ<' in (
        _client(world, "counter_a").get("/can-bo/").content.decode()
    )
    assert 'href="/can-bo/tiep-nhan/">Nộp hồ sơ hỗ trợ<' in (
        _client(world, "assistant_a").get("/can-bo/").content.decode()
    )
    assert (
        "/can-bo/tiep-nhan/" not in _client(world, "specialist_a").get("/can-bo/").content.decode()
    )


# --- Registering a walk-in dossier ----------------------------------------------------------


def test_a_walk_in_dossier_is_received_with_its_scans_and_its_receipt(world: World) -> None:
    form, birth_certificate = _docs(world)
    client = _client(world, "counter_a")
    page = client.get(BIRTH).content.decode()
    assert 'type="file"' in page
    assert "multiple" in page
    assert f'name="{received_field_name(form)}"' in page

    data = _applicant(
        **{
            received_field_name(form): "on",
            received_field_name(birth_certificate): "on",
            files_field_name(form): [_pdf("to-khai.pdf"), _jpeg("to-khai-trang-2.jpg")],
        }
    )
    response = client.post(BIRTH, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get()
    assert response.url == f"/can-bo/tiep-nhan/{dossier.pk}/"
    assert dossier.channel == Channel.COUNTER
    assert dossier.status == Status.RECEIVED
    assert dossier.code.startswith("H56.101.1-")
    assert dossier.agency == world.desk_a
    assert dossier.created_by == world.user("counter_a")
    assert dossier.owner is None
    assert dossier.assisted_by is None
    assert dossier.applicant_name == "Nguyễn Thị Mai"
    assert dossier.applicant_phone == "0912345678"
    assert dossier.form_data["received_documents"] == [form.pk, birth_certificate.pk]
    assert dossier.form_data["request"].startswith("Đăng ký khai sinh cho con")
    documents = list(dossier.documents.order_by("uploaded_at"))
    assert [(d.required_document_id, d.content_type) for d in documents] == [
        (form.pk, "application/pdf"),
        (form.pk, "image/jpeg"),
    ]
    actions = list(
        DossierEvent.objects.filter(dossier=dossier)
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [Action.RECEIVE, "attach_document", "attach_document"]
    # The receipt lists what the desk ticked, scanned or not.
    assert [d.name for d in receipt_data(dossier, public_url="https://x").documents] == [
        form.name,
        birth_certificate.name,
    ]

    done = client.get(response.url)
    html = done.content.decode()
    assert done.status_code == 200
    assert "no-store" in done["Cache-Control"]  # the applicant's data: not kept by caches
    assert dossier.code in html
    receipt = f"/can-bo/tiep-nhan/{dossier.pk}/giay-tiep-nhan.pdf"
    assert f'href="{receipt}"' in html
    assert "autofocus" in html
    assert "In phiếu" in html
    assert f'<iframe id="receipt-frame" class="receipt-frame" src="{receipt}"' in html
    assert "<script>" not in html  # no inline script: the print button's JS is a static file

    pdf = client.get(receipt)
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert pdf["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in pdf["Content-Security-Policy"]
    # The officer read the applicant's data on both pages: recorded, as the API does.
    assert PersonalDataAccess.objects.filter(dossier=dossier, channel="office").count() == 2


def test_a_required_document_not_received_is_not_received_and_nothing_typed_is_lost(
    world: World,
) -> None:
    form, birth_certificate = _docs(world)
    client = _client(world, "counter_a")

    response = client.post(BIRTH, _applicant(**{received_field_name(form): "on"}))

    html = response.content.decode()
    assert response.status_code == 400
    assert not Dossier.objects.exists()
    anchor = f'href="#id_{received_field_name(birth_certificate)}"'
    assert 'class="error-summary"' in html
    assert anchor in html
    assert f'id="id_{received_field_name(birth_certificate)}-error"' in html
    assert "chưa nhận đủ thì không tiếp nhận" in html
    assert 'value="Nguyễn Thị Mai"' in html
    assert 'value="Ấp 3, xã An Bình"' in html
    assert f'name="{received_field_name(form)}" id="id_{received_field_name(form)}" checked' in html
    assert "chọn lại tệp" not in html  # no file was chosen, so none is lost


def test_a_file_that_is_not_what_its_name_says_is_refused_next_to_its_document(
    world: World,
) -> None:
    form, birth_certificate = _docs(world)
    client = _client(world, "counter_a")
    fake = SimpleUploadedFile("giay-chung-sinh.pdf", HTML_NAMED_PDF, content_type="application/pdf")
    data = _applicant(
        **{
            received_field_name(form): "on",
            received_field_name(birth_certificate): "on",
            files_field_name(form): [_pdf()],
            files_field_name(birth_certificate): [fake],
        }
    )

    response = client.post(BIRTH, data)

    html = response.content.decode()
    assert response.status_code == 400
    assert not Dossier.objects.exists()
    assert not Document.objects.exists()
    assert f'id="id_{files_field_name(birth_certificate)}-error"' in html
    assert "Tệp “giay-chung-sinh.pdf”: không phải PDF, JPG hay PNG" in html
    assert "chọn lại tệp quét" in html  # the browser forgets chosen files: say so
    assert 'value="086190012345"' in html


def test_a_lookup_fills_the_applicant_from_their_account_and_the_dossier_is_theirs(
    world: World, citizen: User
) -> None:
    form, birth_certificate = _docs(world)
    client = _client(world, "counter_a")

    found = client.post(
        BIRTH, {"action": "lookup", "account": "0987 654 321"}, headers={"HX-Request": "true"}
    )
    html = found.content.decode()
    assert found.status_code == 200
    assert html.startswith('<fieldset id="applicant"')  # only the applicant part is replaced
    assert 'value="Trần Văn Phúc"' in html
    assert 'value="086090054321"' in html
    assert 'id="lookup-status"' in html
    assert 'hx-swap-oob="innerHTML"' in html  # the status region stays, so it is announced
    assert "Đã tìm thấy tài khoản công dân: Trần Văn Phúc" in html
    assert not Dossier.objects.exists()

    missing = client.post(BIRTH, {"action": "lookup", "account": "0900000000", "full_name": "X"})
    html = missing.content.decode()
    assert "Không tìm thấy đúng một tài khoản" in html
    assert 'value="X"' in html  # what was typed stays (the page without JavaScript)

    data = _applicant(
        account="phuc@example.vn",
        full_name="Trần Văn Phúc",
        result_delivery=Delivery.ONLINE,
        **{received_field_name(form): "on", received_field_name(birth_certificate): "on"},
    )
    response = client.post(BIRTH, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get()
    assert dossier.owner == citizen
    assert dossier.result_delivery == Delivery.ONLINE
    assert dossier_visible(viewer=citizen).filter(pk=dossier.pk).exists()


def test_an_unknown_account_or_online_delivery_without_one_is_an_error(world: World) -> None:
    form, birth_certificate = _docs(world)
    client = _client(world, "counter_a")
    ticks = {received_field_name(form): "on", received_field_name(birth_certificate): "on"}

    unknown = client.post(BIRTH, _applicant(account="0900000000", **ticks))
    assert unknown.status_code == 400
    assert 'id="id_account-error"' in unknown.content.decode()

    online = client.post(BIRTH, _applicant(result_delivery=Delivery.ONLINE, **ticks))
    assert online.status_code == 400
    assert "cần tài khoản công dân" in online.content.decode()
    assert not Dossier.objects.exists()


def test_another_desk_never_reaches_the_dossier_or_its_receipt(world: World) -> None:
    form, birth_certificate = _docs(world)
    client = _client(world, "counter_a")
    ticks = {received_field_name(form): "on", received_field_name(birth_certificate): "on"}
    client.post(BIRTH, _applicant(**ticks))
    dossier = Dossier.objects.get()

    other = _client(world, "counter_b")
    assert other.get(f"/can-bo/tiep-nhan/{dossier.pk}/").status_code == 404
    assert other.get(f"/can-bo/tiep-nhan/{dossier.pk}/giay-tiep-nhan.pdf").status_code == 404


# --- Assisted filing --------------------------------------------------------------------------


def test_a_volunteer_files_online_for_a_consenting_citizen(world: World, citizen: User) -> None:
    form, birth_certificate = _docs(world)
    client = _client(world, "assistant_a")
    page = client.get(BIRTH).content.decode()
    assert 'name="consent"' in page
    assert 'name="sets_received"' not in page
    assert "received-" not in page

    files = {
        files_field_name(form): [_pdf()],
        files_field_name(birth_certificate): [_jpeg("giay-chung-sinh.jpg")],
    }
    refused = client.post(BIRTH, _applicant(account="0987654321", **files))
    html = refused.content.decode()
    assert refused.status_code == 400
    assert 'href="#id_consent"' in html
    assert "Cần ghi nhận sự đồng ý của công dân" in html
    assert not Dossier.objects.exists()

    files = {
        files_field_name(form): [_pdf()],
        files_field_name(birth_certificate): [_jpeg("giay-chung-sinh.jpg")],
    }
    response = client.post(BIRTH, _applicant(account="0987654321", consent="on", **files))

    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get()
    assert dossier.channel == Channel.ONLINE
    assert dossier.status == Status.SUBMITTED
    assert dossier.assisted_by == world.user("assistant_a")
    assert dossier.consent_recorded is True
    assert dossier.owner == citizen
    assert dossier.code
    assert dossier.documents.count() == 2
    events = list(DossierEvent.objects.filter(dossier=dossier).order_by("seq"))
    assert [e.action for e in events] == ["create", "attach_document", "attach_document", "submit"]
    assert events[0].on_behalf_of == "Nguyễn Thị Mai"
    # The counter of the desk finds it in its reception queue.
    queue = _client(world, "counter_a").get("/can-bo/?queue=reception").content.decode()
    assert dossier.code in queue

    done = client.get(response.url).content.decode()
    assert "Đã nộp hồ sơ thay công dân" in done
    assert dossier.code in done
    assert "Đã ghi nhận" in done
    assert "giay-tiep-nhan.pdf" not in done  # no receipt until the counter receives it


def test_a_volunteer_must_upload_every_required_document(world: World) -> None:
    form, birth_certificate = _docs(world)
    client = _client(world, "assistant_a")

    response = client.post(BIRTH, _applicant(consent="on", **{files_field_name(form): [_pdf()]}))

    assert response.status_code == 400
    assert f'id="id_{files_field_name(birth_certificate)}-error"' in response.content.decode()
    assert not Dossier.objects.exists()
    assert not Document.objects.exists()


def test_a_volunteer_is_offered_only_procedures_filed_online(world: World) -> None:
    ProcedureFactory(
        code="2.000002", name="Chứng thực bản sao", online="none", agencies=[world.desk_a]
    )
    client = _client(world, "assistant_a")
    assert "2.000002" not in client.get(URL).content.decode()
    assert client.get(f"{URL}?thu-tuc=2.000002").status_code == 404


def test_an_optional_document_need_not_be_received(world: World) -> None:
    optional = RequiredDocumentFactory(procedure=world.birth, name="Giấy uỷ quyền", required=False)
    form, birth_certificate = [d for d in _docs(world) if d.pk != optional.pk]
    client = _client(world, "counter_a")
    ticks = {received_field_name(form): "on", received_field_name(birth_certificate): "on"}

    response = client.post(BIRTH, _applicant(sets_received="2", **ticks))

    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.sets_received == 2
    assert optional.pk not in dossier.form_data["received_documents"]


def test_the_desk_in_english(world: World) -> None:
    client = _client(world, "counter_a")
    client.cookies["django_language"] = "en"

    html = client.get(BIRTH).content.decode()

    assert "Register a walk-in dossier" in html
    assert "Receive and print the receipt" in html
    assert "Paper received" in html


def test_the_same_form_sent_twice_makes_one_dossier(world: World) -> None:
    form, birth_certificate = _docs(world)
    client = _client(world, "counter_a")
    page = client.get(BIRTH).content.decode()
    token = re.search(r'name="submission" value="([0-9a-f]{32})"', page)
    assert token is not None
    ticks = {received_field_name(form): "on", received_field_name(birth_certificate): "on"}
    data = _applicant(submission=token.group(1), **ticks)

    first = client.post(BIRTH, data)
    second = client.post(BIRTH, data)  # a double click, or a reload of the answer

    assert first.status_code == 302
    assert second.status_code == 302
    assert second.url == first.url
    assert Dossier.objects.count() == 1
    assert client.post(BIRTH, _applicant(**ticks)).status_code == 302  # a new form: a new one
    assert Dossier.objects.count() == 2


def test_a_form_without_its_token_is_refused(world: World) -> None:
    form, birth_certificate = _docs(world)
    ticks = {received_field_name(form): "on", received_field_name(birth_certificate): "on"}

    response = _client(world, "counter_a").post(BIRTH, _applicant(submission="", **ticks))

    assert response.status_code == 400
    assert "Trang đã cũ" in response.content.decode()
    assert not Dossier.objects.exists()


# --- The service behind the desk: all or nothing ----------------------------------------------


def _registration(world: World, **overrides: Any) -> Registration:
    form, birth_certificate = _docs(world)
    values: dict[str, Any] = {
        "procedure": world.birth,
        "agency": world.desk_a,
        "applicant": ApplicantData(type="citizen", full_name="Lê Văn Tám", id_number="0" * 12),
        "received": (form, birth_certificate),
    }
    values.update(overrides)
    return Registration(**values)


def test_a_bad_file_undoes_the_whole_registration(world: World) -> None:
    form, _ = _docs(world)
    fake = SimpleUploadedFile("to-khai.pdf", HTML_NAMED_PDF, content_type="application/pdf")
    registration = _registration(world, files=((form, _pdf()), (form, fake)))

    with pytest.raises(UnsupportedFileType):
        counter_register(actor=world.user("counter_a"), registration=registration)

    assert not Dossier.objects.exists()
    assert not Document.objects.exists()
    assert not DossierEvent.objects.exists()


def test_the_service_refuses_a_dossier_missing_a_required_document(world: World) -> None:
    form, birth_certificate = _docs(world)
    registration = _registration(world, received=(form,))

    with pytest.raises(MissingDocuments) as refused:
        counter_register(actor=world.user("counter_a"), registration=registration)

    assert refused.value.extra["missing_required_documents"] == [str(birth_certificate.pk)]
    assert not Dossier.objects.exists()


@pytest.mark.parametrize("username", ["specialist_a", "counter_b", "assistant_a", "citizen"])
def test_only_the_desks_counter_officer_receives_there(world: World, username: str) -> None:
    with pytest.raises(PermissionDenied):
        counter_register(actor=world.user(username), registration=_registration(world))
    assert not Dossier.objects.exists()


def test_assisted_filing_needs_an_assistant_and_the_citizens_consent(world: World) -> None:
    form, birth_certificate = _docs(world)
    files = ((form, _pdf()), (birth_certificate, _jpeg()))

    with pytest.raises(ApplicationError) as no_consent:
        counter_register(
            actor=world.user("assistant_a"),
            registration=_registration(world, files=files),
            assisted=True,
        )
    assert no_consent.value.code == "consent_required"
    with pytest.raises(PermissionDenied):
        counter_register(
            actor=world.user("counter_a"),
            registration=_registration(world, files=files),
            assisted=True,
            consent=True,
        )
    assert not Dossier.objects.exists()


# --- Finding the applicant's account --------------------------------------------------------


def test_an_account_is_found_only_by_one_exact_identifier(world: World, citizen: User) -> None:
    assert citizen_find(identifier="+84 987 654 321") == citizen
    assert citizen_find(identifier="0987.654.321") == citizen
    assert citizen_find(identifier="PHUC@example.vn") == citizen
    assert citizen_find(identifier="086 090 054 321") == citizen
    assert citizen_find(identifier="0987654") is None  # a part of a number finds nothing
    assert citizen_find(identifier="Trần Văn Phúc") is None  # nor does a name
    assert citizen_find(identifier="") is None


def test_no_account_is_found_when_it_is_ambiguous_staff_or_inactive(
    world: World, citizen: User
) -> None:
    twin = world.user("citizen2")
    twin.id_number = citizen.id_number
    twin.save()
    assert citizen_find(identifier=citizen.id_number) is None  # two accounts: neither

    staff = world.user("counter_b")
    staff.phone = "0911111111"
    staff.save()
    assert citizen_find(identifier="0911111111") is None  # staff accounts are not applicants

    citizen.is_active = False
    citizen.save()
    assert citizen_find(identifier=citizen.phone) is None
