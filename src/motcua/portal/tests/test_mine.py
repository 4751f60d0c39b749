"""The applicant's own dossier page: what it shows, supplement, withdraw, result download,
rating; who may open it (the applicant only) and what a wrong state answers (409)."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from motcua.accounts.models import User
from motcua.core.tests.test_translations import compiled  # noqa: F401  (a fixture)
from motcua.dossiers.constants import Action, Delivery, Status
from motcua.dossiers.models import Document, Dossier, DossierEvent, Rating
from motcua.dossiers.services import ApplicantData, dossier_act, dossier_create
from motcua.dossiers.tests.conftest import World

from .files import HTML_NAMED_PDF
from .journeys import (
    DESK_NOTE,
    MISSING,
    ask_supplement,
    decide_with_result,
    pdf_upload,
    submitted_online,
)
from .journeys import received_online as _received_online

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen(world: World) -> User:
    user = world.user("citizen")
    user.full_name = "Nguyễn Thị Hoa"
    user.save()
    return user


@pytest.fixture
def browser(client: Client, citizen: User) -> Client:
    client.force_login(citizen)
    return client


@pytest.fixture
def dossier(world: World, citizen: User) -> Dossier:
    return _received_online(world, citizen)


def _url(name: str, dossier: Dossier, **kwargs: object) -> str:
    return reverse(f"portal:{name}", kwargs={"pk": dossier.pk, **kwargs})


def _events(dossier: Dossier) -> list[str]:
    return list(
        DossierEvent.objects.filter(dossier=dossier)
        .order_by("seq")
        .values_list("action", flat=True)
    )


# -- the page and who may open it ------------------------------------------------------------


def test_page_shows_code_status_due_date_timeline_and_nothing_to_do(
    browser: Client, dossier: Dossier
) -> None:
    response = browser.get(_url("mine-dossier", dossier))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<dd class="code">{dossier.code}</dd>' in html
    assert "<strong>Đã tiếp nhận</strong>" in html
    assert dossier.due_at is not None
    assert f"{timezone.localtime(dossier.due_at):%H:%M %d/%m/%Y}" in html
    assert "Hồ sơ đã được nộp trực tuyến, chờ bộ phận một cửa kiểm tra." in html
    assert "Bộ phận một cửa đã tiếp nhận hồ sơ và hẹn ngày trả kết quả." in html
    assert "Bạn không cần làm gì thêm." in html
    assert _url("mine-withdraw", dossier) in html  # the applicant may withdraw now
    assert "Gửi bổ sung" not in html  # nobody asked for a supplement
    assert "Đánh giá sự hài lòng" not in html


def test_a_refusal_shows_the_reason_the_desk_gave(
    browser: Client, world: World, citizen: User
) -> None:
    dossier = submitted_online(world, citizen)
    dossier_act(
        dossier_id=dossier.pk,
        action=Action.REFUSE,
        actor=world.user("counter_a"),
        fields={"note": "Thủ tục này do xã nơi cư trú của mẹ giải quyết."},
    )

    html = browser.get(_url("mine-dossier", dossier)).content.decode()

    assert "<strong>Từ chối tiếp nhận</strong>" in html
    assert "Lý do không tiếp nhận" in html
    assert "Thủ tục này do xã nơi cư trú của mẹ giải quyết." in html
    assert _url("mine-withdraw", dossier) not in html


@pytest.mark.parametrize("who", ["citizen2", "counter_a", "specialist_a", "supervisor"])
def test_anyone_but_the_applicant_gets_404(
    client: Client, world: World, dossier: Dossier, who: str
) -> None:
    client.force_login(world.user(who))
    ask_supplement(world, dossier)

    for response in (
        client.get(_url("mine-dossier", dossier)),
        client.get(_url("mine-withdraw", dossier)),
        client.post(_url("mine-withdraw", dossier), {"note": ""}),
        client.post(_url("mine-supplement", dossier), {"then": "send"}),
        client.post(_url("mine-rate", dossier), {"score": "5"}),
    ):
        assert response.status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT_REQUESTED


def test_staff_who_applied_for_themselves_see_their_own_dossier(
    client: Client, world: World
) -> None:
    # A counter officer of another commune applies at desk A as a person; the desk registers it.
    staff = world.user("counter_b")
    dossier = dossier_create(
        actor=world.user("counter_a"),
        procedure=world.birth,
        agency=world.desk_a,
        channel="counter",
        applicant=ApplicantData(
            type="citizen", full_name="Counter_B", id_number="086190009999", phone="0912000000"
        ),
        owner=staff,
    )
    client.force_login(staff)

    response = client.get(_url("mine-dossier", dossier))

    assert response.status_code == 200
    assert f'<dd class="code">{dossier.code}</dd>' in response.content.decode()


def test_a_stranger_is_sent_to_log_in_and_an_unknown_id_is_404(
    client: Client, browser: Client, dossier: Dossier
) -> None:
    response = Client().get(_url("mine-dossier", dossier))
    assert response.status_code == 302
    assert "/tai-khoan/dang-nhap/" in response["Location"]
    assert browser.get(f"/ho-so-cua-toi/{uuid.uuid4()}/").status_code == 404


def test_my_dossiers_links_to_the_page(browser: Client, dossier: Dossier) -> None:
    html = browser.get("/tai-khoan/ho-so/").content.decode()
    assert f'href="{_url("mine-dossier", dossier)}"' in html


# -- supplement ----------------------------------------------------------------------------------


def test_supplement_lists_what_is_missing_takes_uploads_and_sends_it_back(
    browser: Client, world: World, dossier: Dossier
) -> None:
    ask_supplement(world, dossier)

    html = browser.get(_url("mine-dossier", dossier)).content.decode()
    assert "Bạn cần bổ sung các giấy tờ dưới đây." in html
    for item in MISSING:
        assert f"<li>{item}</li>" in html
        assert f">{item}</label>" in html
    assert DESK_NOTE in html

    # Upload only: the file is kept, the dossier still waits.
    response = browser.post(
        _url("mine-supplement", dossier),
        {"item-1": pdf_upload("cu-tru.pdf"), "then": "stay"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#bo-sung")
    html = browser.get(response["Location"]).content.decode()
    assert "Đã tải lên 1 tệp." in html
    assert "cu-tru.pdf" in html
    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT_REQUESTED

    # Upload the other and send.
    response = browser.post(
        _url("mine-supplement", dossier),
        {"item-0": pdf_upload("giay-chung-sinh.pdf"), "note": "Bản rõ hơn.", "then": "send"},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED  # back to where it was
    assert _events(dossier)[-3:] == ["attach_document", "attach_document", "supplement"]
    event = DossierEvent.objects.filter(dossier=dossier).order_by("seq").last()
    assert event is not None
    assert event.note == "Bản rõ hơn."
    names = set(
        Document.objects.filter(dossier=dossier, kind=Document.Kind.APPLICATION).values_list(
            "name", flat=True
        )
    )
    assert {"cu-tru.pdf", "giay-chung-sinh.pdf"} <= names
    html = browser.get(response["Location"]).content.decode()
    assert "Đã gửi bổ sung." in html
    assert "Hồ sơ đã được bổ sung; cơ quan tiếp tục giải quyết." in html
    assert "Gửi bổ sung</button>" not in html


def test_an_item_named_like_a_required_document_is_filed_as_that_document(
    browser: Client, world: World, dossier: Dossier
) -> None:
    dossier_act(
        dossier_id=dossier.pk,
        action=Action.REQUEST_SUPPLEMENT,
        actor=world.user("counter_a"),
        fields={"items": ["Giấy chứng sinh"]},
    )
    browser.post(_url("mine-supplement", dossier), {"item-0": pdf_upload("cs.pdf"), "then": "stay"})
    document = Document.objects.get(dossier=dossier, name="cs.pdf")
    assert document.required_document is not None
    assert document.required_document.name == "Giấy chứng sinh"


def test_sending_without_any_upload_is_explained(
    browser: Client, world: World, dossier: Dossier
) -> None:
    ask_supplement(world, dossier)

    response = browser.post(_url("mine-supplement", dossier), {"then": "send"})

    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert 'href="#id_item-0"' in html
    assert 'id="id_item-0-error"' in html
    assert "Bạn chưa tải lên giấy tờ nào." in html
    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT_REQUESTED


def test_a_wrong_type_is_refused_with_415_next_to_the_field_and_nothing_sent(
    browser: Client, world: World, dossier: Dossier
) -> None:
    ask_supplement(world, dossier)
    before = _events(dossier)
    fake = SimpleUploadedFile("giay-chung-sinh.pdf", HTML_NAMED_PDF, "application/pdf")

    response = browser.post(_url("mine-supplement", dossier), {"item-0": fake, "then": "send"})

    assert response.status_code == 415
    html = response.content.decode()
    assert 'id="id_item-0-error"' in html
    assert "không phải PDF, JPG hay PNG" in html
    assert 'href="#id_item-0"' in html
    assert 'aria-invalid="true"' in html
    assert _events(dossier) == before
    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT_REQUESTED


def test_a_file_too_large_is_refused_with_413(
    browser: Client, world: World, dossier: Dossier, settings: object
) -> None:
    ask_supplement(world, dossier)
    settings.MOTCUA_UPLOAD_MAX_BYTES = 1024  # type: ignore[attr-defined]

    response = browser.post(
        _url("mine-supplement", dossier), {"item-1": pdf_upload("to.pdf"), "then": "stay"}
    )

    assert response.status_code == 413
    html = response.content.decode()
    assert 'id="id_item-1-error"' in html
    assert "Tệp quá lớn: tối đa 1 KB." in html


def test_supplement_when_nobody_asked_is_409_with_a_clear_message(
    browser: Client, dossier: Dossier
) -> None:
    before = _events(dossier)

    response = browser.post(
        _url("mine-supplement", dossier), {"item-0": pdf_upload("a.pdf"), "then": "send"}
    )

    assert response.status_code == 409
    assert "Hồ sơ vừa thay đổi tình trạng nên không thể làm việc này lúc này." in (
        response.content.decode()
    )
    assert _events(dossier) == before
    assert not Document.objects.filter(dossier=dossier, name="a.pdf").exists()


# -- withdraw ------------------------------------------------------------------------------------


def test_withdraw_asks_for_confirmation_then_asks_the_desk_to_stop(
    browser: Client, dossier: Dossier
) -> None:
    page = browser.get(_url("mine-withdraw", dossier))
    assert page.status_code == 200
    assert "Bạn có chắc muốn rút hồ sơ" in page.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED  # looking is not withdrawing

    response = browser.post(_url("mine-withdraw", dossier), {"note": "Tôi đã chuyển nơi ở."})

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWAL_REQUESTED
    assert _events(dossier)[-1] == Action.WITHDRAW
    html = browser.get(response["Location"]).content.decode()
    assert "Đã gửi đề nghị rút hồ sơ." in html
    assert "<strong>Xin rút hồ sơ</strong>" in html
    assert _url("mine-withdraw", dossier) not in html  # no second withdrawal


def test_withdraw_before_receipt_stops_at_once(
    browser: Client, world: World, citizen: User
) -> None:
    dossier = submitted_online(world, citizen)

    response = browser.post(_url("mine-withdraw", dossier), {"note": ""})

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.STOPPED
    assert "Bạn đã rút hồ sơ." in browser.get(response["Location"]).content.decode()


def test_withdraw_after_the_result_is_409_and_changes_nothing(
    browser: Client, world: World, dossier: Dossier
) -> None:
    decide_with_result(world, dossier)
    before = _events(dossier)

    assert browser.get(_url("mine-dossier", dossier)).content.decode().count("mine-withdraw") == 0
    page = browser.get(_url("mine-withdraw", dossier))
    response = browser.post(_url("mine-withdraw", dossier), {"note": ""})

    for answer in (page, response):
        assert answer.status_code == 409
        html = answer.content.decode()
        assert "Hồ sơ ở tình trạng hiện tại không thể rút được nữa." in html
        assert "Tôi muốn rút hồ sơ" not in html
    assert _events(dossier) == before
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED


# -- results and rating --------------------------------------------------------------------------


def test_the_result_is_listed_and_downloaded_by_its_owner_only(
    client: Client, browser: Client, world: World, dossier: Dossier
) -> None:
    result = decide_with_result(world, dossier)
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED

    html = browser.get(_url("mine-dossier", dossier)).content.decode()
    url = _url("mine-result", dossier, document_id=result.pk)
    assert f'href="{url}"' in html
    assert "Tải về giay-khai-sinh.pdf" in html

    response = browser.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="giay-khai-sinh.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]

    # An application document is not a result; another citizen and the desk get nothing.
    application = Document.objects.filter(dossier=dossier, kind=Document.Kind.APPLICATION).first()
    assert application is not None
    assert browser.get(_url("mine-result", dossier, document_id=application.pk)).status_code == 404
    for who in ("citizen2", "counter_a"):
        other = Client()
        other.force_login(world.user(who))
        assert other.get(url).status_code == 404


def test_no_result_download_before_the_result_is_returned(
    browser: Client, world: World, citizen: User
) -> None:
    dossier = _received_online(world, citizen, delivery=Delivery.COUNTER)
    result = decide_with_result(world, dossier)
    dossier.refresh_from_db()
    assert dossier.status == Status.RESOLVED  # waiting at the counter

    url = _url("mine-result", dossier, document_id=result.pk)
    assert browser.get(url).status_code == 404
    assert url not in browser.get(_url("mine-dossier", dossier)).content.decode()


def test_a_result_handed_over_at_the_counter_is_not_offered_for_download(
    browser: Client, world: World, citizen: User
) -> None:
    dossier = _received_online(world, citizen, delivery=Delivery.COUNTER)
    result = decide_with_result(world, dossier)
    dossier_act(
        dossier_id=dossier.pk,
        action=Action.RETURN_RESULT,
        actor=world.user("counter_a"),
        fields={"delivery": Delivery.COUNTER},
    )

    url = _url("mine-result", dossier, document_id=result.pk)
    html = browser.get(_url("mine-dossier", dossier)).content.decode()
    assert "<strong>Đã trả kết quả</strong>" in html
    assert url not in html
    assert browser.get(url).status_code == 404
    assert "Đánh giá sự hài lòng" in html  # rating does not depend on how it was delivered


@pytest.mark.usefixtures("compiled")  # the English catalogue compiled, as `make test` does
def test_the_page_in_english(browser: Client, world: World, dossier: Dossier) -> None:
    ask_supplement(world, dossier)
    browser.cookies["django_language"] = "en"

    html = browser.get(_url("mine-dossier", dossier)).content.decode()

    assert "What you need to do now" in html
    assert "Documents to supplement" in html
    assert "Send the supplement" in html
    assert "Note to the agency (optional)" in html
    assert "Gửi bổ sung" not in html


def test_rating_once_after_the_result(browser: Client, world: World, dossier: Dossier) -> None:
    decide_with_result(world, dossier)
    html = browser.get(_url("mine-dossier", dossier)).content.decode()
    assert "<legend>Bạn hài lòng với việc giải quyết hồ sơ này ở mức nào?</legend>" in html

    response = browser.post(
        _url("mine-rate", dossier), {"score": "4", "comment": "Cán bộ hướng dẫn tận tình."}
    )

    assert response.status_code == 302
    rating = Rating.objects.get(dossier=dossier)
    assert (rating.score, rating.comment) == (4, "Cán bộ hướng dẫn tận tình.")
    assert _events(dossier)[-1] == "rate"
    html = browser.get(response["Location"]).content.decode()
    assert "Bạn đã đánh giá: 4/5 sao." in html
    assert "Cán bộ hướng dẫn tận tình." in html
    assert "Gửi đánh giá" not in html

    again = browser.post(_url("mine-rate", dossier), {"score": "1"})
    assert again.status_code == 409
    assert "Bạn đã đánh giá hồ sơ này rồi." in again.content.decode()
    rating.refresh_from_db()
    assert rating.score == 4


def test_rating_without_a_score_is_explained(
    browser: Client, world: World, dossier: Dossier
) -> None:
    decide_with_result(world, dossier)

    response = browser.post(_url("mine-rate", dossier), {"comment": "Tốt"})

    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_score_0"' in html
    assert 'id="id_score-error"' in html
    assert "Bạn chọn số sao (từ 1 đến 5)." in html
    assert not Rating.objects.filter(dossier=dossier).exists()


def test_rating_before_the_result_is_409(browser: Client, dossier: Dossier) -> None:
    response = browser.post(_url("mine-rate", dossier), {"score": "5"})

    assert response.status_code == 409
    assert "Bạn chỉ đánh giá được sau khi đã nhận kết quả." in response.content.decode()
    assert not Rating.objects.filter(dossier=dossier).exists()


def test_every_form_carries_a_csrf_token(
    client: Client, citizen: User, world: World, dossier: Dossier
) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(citizen)
    ask_supplement(world, dossier)

    response = strict.post(_url("mine-withdraw", dossier), {"note": ""})

    assert response.status_code == 403
    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT_REQUESTED
    html = strict.get(_url("mine-dossier", dossier)).content.decode()
    # The supplement form's token, and the language switch's.
    assert html.count('name="csrfmiddlewaretoken"') == 2
