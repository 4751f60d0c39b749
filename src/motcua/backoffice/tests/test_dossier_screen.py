"""The dossier screen (/can-bo/ho-so/<id>/): what it shows, each action's form posted through to
the dossier services, stale versions, errors next to fields, and who may reach what (404)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from motcua.accounts.models import User
from motcua.dossiers.constants import Action, Channel, Delivery, Status
from motcua.dossiers.models import Document, Dossier, DossierEvent, PersonalDataAccess
from motcua.dossiers.services import ApplicantData, dossier_act, dossier_attach, dossier_create
from motcua.dossiers.tests.conftest import World
from motcua.dossiers.tests.factories import DocumentFactory
from motcua.portal.tests.files import make_jpeg, make_pdf

from .conftest import office_login

pytestmark = pytest.mark.django_db


# --- helpers --------------------------------------------------------------------------------


def walk_in(world: World, *, procedure: Any = None, counter: str = "counter_a") -> Dossier:
    """A dossier received at the commune desk A, through the service the counter uses."""
    return dossier_create(
        actor=world.user(counter),
        procedure=procedure or world.birth,
        agency=world.desk_a,
        channel=Channel.COUNTER,
        applicant=ApplicantData(
            type="citizen",
            full_name="Nguyễn Thị Lan",
            id_number="086190001111",
            phone="0912000111",
            address="Ấp 3, xã An Bình",
        ),
    )


def online_submitted(world: World) -> Dossier:
    citizen = world.user("citizen")
    dossier = dossier_create(
        actor=citizen,
        procedure=world.birth,
        agency=world.desk_a,
        channel=Channel.ONLINE,
        applicant=ApplicantData(type="citizen", full_name="Võ Văn Tám", id_number="086190002222"),
        result_delivery=Delivery.COUNTER,
    )
    for required in world.birth.required_documents.all():
        attach(dossier, pdf("to-khai.pdf"), actor=citizen, required_document=required)
    return dossier_act(dossier_id=dossier.pk, action=Action.SUBMIT, actor=citizen)


def pdf(name: str, text: str | None = None) -> SimpleUploadedFile:
    """A small real PDF upload (``text`` printed in it)."""
    content = make_pdf(text) if text is not None else make_pdf()
    return SimpleUploadedFile(name, content, "application/pdf")


def attach(
    dossier: Dossier, uploaded: SimpleUploadedFile, *, actor: User, **extra: Any
) -> Document:
    """An application document attached through the dossier service."""
    return dossier_attach(
        dossier_id=dossier.pk,
        actor=actor,
        uploaded_file=uploaded,
        kind=Document.Kind.APPLICATION,
        **extra,
    )


def act(
    world: World, dossier: Dossier, action: str, username: str, fields: dict[str, Any] | None = None
) -> Dossier:
    """``username`` takes ``action`` on the dossier through the status machine's service."""
    return dossier_act(
        dossier_id=dossier.pk, action=action, actor=world.user(username), fields=fields
    )


def url(dossier: Dossier) -> str:
    return f"/can-bo/ho-so/{dossier.pk}/"


def post(
    client: Client, dossier: Dossier, action: str, data: dict[str, Any] | None = None, **kw: Any
) -> Any:
    """Post the action's form as the page would: prefixed fields and the current version."""
    version = kw.pop("version", None) or Dossier.objects.get(pk=dossier.pk).version
    body = {f"{action}-version": str(version)}
    body.update({f"{action}-{k}": v for k, v in (data or {}).items()})
    return client.post(f"{url(dossier)}thao-tac/{action}/", body)


def logged_in(client: Client, world: World, username: str) -> Client:
    return office_login(client, world.user(username))


def fresh(dossier: Dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


def events(dossier: Dossier) -> list[str]:
    return list(
        DossierEvent.objects.filter(dossier=dossier)
        .order_by("seq")
        .values_list("action", flat=True)
    )


# --- what the screen shows ------------------------------------------------------------------


def test_screen_shows_details_documents_timeline_control_slip_and_slips(
    client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    dossier = walk_in(world)
    counter = world.user("counter_a")
    photo = attach(
        dossier, SimpleUploadedFile("giay-chung-sinh.jpg", make_jpeg(), "image/jpeg"), actor=counter
    )
    scan = attach(dossier, pdf("to-khai.pdf"), actor=counter)
    act(world, dossier, Action.FORWARD, "counter_a", {"assignee": "specialist_a"})
    logged_in(client, world, "counter_a")

    with django_assert_max_num_queries(30):
        response = client.get(url(dossier))

    body = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Đăng ký khai sinh",
        "Nguyễn Thị Lan",
        "086190001111",
        "0912000111",
        "Ấp 3, xã An Bình",
        "Bộ phận Một cửa xã An Bình",
        "Ủy ban nhân dân xã An Bình",  # the agency holding it now
        "Thẩm định",  # the current step
        "Specialist_A",  # the assignee
        "Trực tiếp",  # the channel
        "Nhận tại bộ phận một cửa",
        "Hạn ban đầu",
    ):
        assert text in body, text
    # Documents: the photo shown inline, both opened through the document view.
    photo_url = f"{url(dossier)}tep/{photo.pk}/"
    assert f'<img class="preview" src="{photo_url}"' in body
    assert f'href="{url(dossier)}tep/{scan.pk}/"' in body
    # History and the control slip's hand-over (giver, receiver, result).
    assert "Chuyển xử lý" in body
    assert "Tiếp nhận" in body
    assert 'id="control-slip"' in body
    assert "Counter_A" in body
    assert "Trước hạn" in body or "Đúng hạn" in body
    # The slips this dossier has: the receipt and the control slip, not the others.
    assert f"{url(dossier)}phieu/receipt.pdf" in body
    assert f"{url(dossier)}phieu/control-slip.pdf" in body
    assert "phieu/refusal.pdf" not in body
    assert "phieu/apology.pdf" not in body
    assert PersonalDataAccess.objects.filter(
        user=counter, dossier=dossier, channel="office"
    ).exists()


def test_only_the_available_actions_are_offered(client: Client, world: World) -> None:
    dossier = walk_in(world)
    logged_in(client, world, "counter_a")

    body = client.get(url(dossier)).content.decode()

    for action in ("forward", "request_supplement", "request_payment"):
        assert f"thao-tac/{action}/" in body, action
    for action in ("approve", "reject", "extend", "receive", "refuse", "return_result", "stop"):
        assert f"thao-tac/{action}/" not in body, action


# --- each action through the service --------------------------------------------------------


def test_receive_an_online_dossier_waiting_at_the_counter(client: Client, world: World) -> None:
    dossier = online_submitted(world)
    logged_in(client, world, "counter_a")
    assert "thao-tac/receive/" in client.get(url(dossier)).content.decode()

    response = post(client, dossier, "receive")

    assert response.status_code == 302
    assert response.url == url(dossier)
    assert fresh(dossier).status == Status.RECEIVED
    page = client.get(url(dossier)).content.decode()
    assert "Đã thực hiện: Tiếp nhận." in page
    assert "phieu/receipt.pdf" in page


def test_refuse_needs_a_reason_next_to_the_field(client: Client, world: World) -> None:
    dossier = online_submitted(world)
    logged_in(client, world, "counter_a")

    response = post(client, dossier, "refuse", {"note": ""})

    assert response.status_code == 400
    body = response.content.decode()
    assert 'class="error-summary"' in body
    assert 'href="#id_refuse-note"' in body
    assert 'id="id_refuse-note_error"' in body
    assert 'aria-describedby="id_refuse-note_error"' in body
    assert 'id="thao-tac-refuse" open' in body
    assert fresh(dossier).status == Status.SUBMITTED

    response = post(client, dossier, "refuse", {"note": "Không thuộc thẩm quyền của xã."})
    assert response.status_code == 302
    assert fresh(dossier).status == Status.REFUSED
    assert "phieu/refusal.pdf" in client.get(url(dossier)).content.decode()


def test_request_supplement_with_a_checklist_and_free_text(client: Client, world: World) -> None:
    dossier = walk_in(world)
    logged_in(client, world, "counter_a")
    body = client.get(url(dossier)).content.decode()
    assert "Giấy chứng sinh" in body
    assert "Tờ khai đăng ký khai sinh" in body

    response = post(client, dossier, "request_supplement", {"items": [], "other_items": ""})
    assert response.status_code == 400
    assert "Chọn ít nhất một giấy tờ" in response.content.decode()

    response = post(
        client,
        dossier,
        "request_supplement",
        {
            "items": ["Giấy chứng sinh"],
            "other_items": "Bản sao sổ hộ khẩu\n\n  Giấy xác nhận cư trú ",
            "note": "Bản chụp bị mờ.",
        },
    )

    assert response.status_code == 302
    assert fresh(dossier).status == Status.SUPPLEMENT_REQUESTED
    event = DossierEvent.objects.filter(dossier=dossier).order_by("-seq").first()
    assert event is not None
    assert event.data["items"] == [
        "Giấy chứng sinh",
        "Bản sao sổ hộ khẩu",
        "Giấy xác nhận cư trú",
    ]
    assert event.note == "Bản chụp bị mờ."
    assert "phieu/supplement-request.pdf" in client.get(url(dossier)).content.decode()


def test_counter_takes_a_supplement_with_scans(client: Client, world: World) -> None:
    dossier = walk_in(world)
    act(world, dossier, Action.REQUEST_SUPPLEMENT, "counter_a", {"items": ["Giấy chứng sinh"]})
    logged_in(client, world, "counter_a")
    body = client.get(url(dossier)).content.decode()
    assert '<ul class="asked"><li>Giấy chứng sinh</li></ul>' in body

    response = post(
        client,
        dossier,
        "supplement",
        {"attachments": [pdf("chung-sinh.pdf")]},
    )

    assert response.status_code == 302
    assert fresh(dossier).status == Status.RECEIVED
    assert Document.objects.filter(dossier=dossier, name="chung-sinh.pdf").exists()
    assert events(dossier)[-2:] == ["attach_document", "supplement"]


def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_changes(
    client: Client, world: World
) -> None:
    dossier = walk_in(world)
    act(world, dossier, Action.REQUEST_SUPPLEMENT, "counter_a", {"items": ["Giấy chứng sinh"]})
    before = fresh(dossier).version
    logged_in(client, world, "counter_a")

    response = post(
        client,
        dossier,
        "supplement",
        {
            "attachments": [
                SimpleUploadedFile("x.pdf", b"<html>not a pdf</html>", "application/pdf")
            ]
        },
    )

    assert response.status_code == 415
    assert 'id="id_supplement-attachments_error"' in response.content.decode()
    assert fresh(dossier).status == Status.SUPPLEMENT_REQUESTED
    assert fresh(dossier).version == before
    assert not Document.objects.filter(dossier=dossier).exists()


def test_forward_with_an_assignee_then_send_back(client: Client, world: World) -> None:
    dossier = walk_in(world)
    logged_in(client, world, "counter_a")
    body = client.get(url(dossier)).content.decode()
    assert "2. Thẩm định — Ủy ban nhân dân xã An Bình" in body
    assert '<option value="specialist_a">Specialist_A</option>' in body

    response = post(client, dossier, "forward", {"to_step": "2", "assignee": "specialist_a"})

    assert response.status_code == 302
    moved = fresh(dossier)
    assert moved.status == Status.PROCESSING
    assert moved.assignee == world.user("specialist_a")
    assert moved.current_step is not None
    assert moved.current_step.position == 2

    client.logout()
    logged_in(client, world, "specialist_a")
    response = post(client, dossier, "send_back", {"note": ""})
    assert response.status_code == 400
    assert 'id="id_send_back-note_error"' in response.content.decode()
    response = post(client, dossier, "send_back", {"note": "Thiếu chữ ký người khai."})
    assert response.status_code == 302
    back = fresh(dossier)
    assert back.current_step is not None
    assert back.current_step.position == 1


def test_forward_to_a_provincial_department_lien_thong(client: Client, world: World) -> None:
    dossier = walk_in(world, procedure=world.permit)
    logged_in(client, world, "counter_a")
    body = client.get(url(dossier)).content.decode()
    assert "2. Thẩm định hồ sơ — Sở Xây dựng" in body

    response = post(client, dossier, "forward", {"to_step": "2", "assignee": "specialist_xd"})

    assert response.status_code == 302
    moved = fresh(dossier)
    assert moved.current_agency == world.construction
    assert moved.assignee == world.user("specialist_xd")


def test_an_assignee_of_another_agency_is_refused_next_to_the_field(
    client: Client, world: World
) -> None:
    dossier = walk_in(world)
    logged_in(client, world, "counter_a")

    response = post(client, dossier, "forward", {"to_step": "2", "assignee": "specialist_xd"})

    # Not offered for this step, so the form refuses it before the service would.
    assert response.status_code == 400
    assert 'id="id_forward-assignee_error"' in response.content.decode()
    assert fresh(dossier).status == Status.RECEIVED


def test_request_payment_then_cash_at_the_counter(client: Client, world: World) -> None:
    dossier = walk_in(world)
    logged_in(client, world, "counter_a")

    response = post(client, dossier, "request_payment", {"amount": "0"})
    assert response.status_code == 400
    response = post(client, dossier, "request_payment", {"amount": "50000", "note": "Lệ phí"})
    assert response.status_code == 302
    assert fresh(dossier).status == Status.PAYMENT_REQUESTED
    assert fresh(dossier).fees_total == 50000
    assert "50.000 đ, chưa nộp" in client.get(url(dossier)).content.decode()

    response = post(client, dossier, "pay", {"method": "cash", "receipt_number": "BL-0001"})
    assert response.status_code == 302
    paid = fresh(dossier)
    assert paid.status == Status.RECEIVED
    assert paid.fees_paid == 50000
    body = client.get(url(dossier)).content.decode()
    assert "Yêu cầu nộp 50.000 đ" in body
    assert "Đã nộp 50.000 đ (Tiền mặt, biên lai BL-0001)" in body
    assert "50.000 đ, đã nộp 50.000 đ" in body


def _at_leader(world: World, dossier: Dossier) -> None:
    act(world, dossier, Action.FORWARD, "counter_a")
    act(world, dossier, Action.FORWARD, "specialist_a")


def test_approve_with_result_uploads_then_return_at_the_counter(
    client: Client, world: World
) -> None:
    dossier = walk_in(world)
    _at_leader(world, dossier)
    logged_in(client, world, "leader_a")

    response = post(
        client,
        dossier,
        "approve",
        {"attachments": [pdf("trich-luc-khai-sinh.pdf", "KQ")]},
    )

    assert response.status_code == 302
    decided = fresh(dossier)
    assert decided.status == Status.RESOLVED
    result = Document.objects.get(dossier=dossier, kind=Document.Kind.RESULT)
    assert result.name == "trich-luc-khai-sinh.pdf"
    approve = DossierEvent.objects.get(dossier=dossier, action=Action.APPROVE)
    assert approve.data["result_documents"] == [str(result.pk)]

    client.logout()
    logged_in(client, world, "counter_a")
    assert "Văn bản kết quả" in client.get(url(dossier)).content.decode()
    response = post(client, dossier, "return_result", {"delivery": "counter"})
    assert response.status_code == 302
    assert fresh(dossier).status == Status.RETURNED


def test_reject_needs_a_reason(client: Client, world: World) -> None:
    dossier = walk_in(world)
    _at_leader(world, dossier)
    logged_in(client, world, "leader_a")

    assert post(client, dossier, "reject", {"note": "  "}).status_code == 400
    response = post(client, dossier, "reject", {"note": "Hồ sơ không đủ điều kiện."})

    assert response.status_code == 302
    decided = fresh(dossier)
    assert decided.status == Status.RESOLVED
    assert decided.decision == "rejected"


def test_extend_once_with_the_apology_letter(client: Client, world: World) -> None:
    dossier = walk_in(world)
    _at_leader(world, dossier)
    logged_in(client, world, "leader_a")
    due = fresh(dossier).due_at
    assert due is not None
    later = timezone.localtime(due + dt.timedelta(days=7)).replace(hour=9, minute=0)

    response = post(client, dossier, "extend", {"new_due_at": "", "note": "Chờ xác minh."})
    assert response.status_code == 400
    earlier = timezone.localtime(due - dt.timedelta(days=1))
    response = post(
        client,
        dossier,
        "extend",
        {"new_due_at": earlier.strftime("%Y-%m-%dT%H:%M"), "note": "Chờ xác minh."},
    )
    # The deadline rules' own words, next to the field.
    assert response.status_code == 422
    assert (
        '<p class="field-error" id="id_extend-new_due_at_error">Thời hạn mới phải sau thời hạn'
        in response.content.decode()
    )
    assert fresh(dossier).extended_at is None
    response = post(
        client,
        dossier,
        "extend",
        {"new_due_at": later.strftime("%Y-%m-%dT%H:%M"), "note": "Chờ xác minh."},
    )

    assert response.status_code == 302
    extended = fresh(dossier)
    assert extended.extended_at is not None
    assert extended.due_at is not None
    assert extended.due_at > due
    assert extended.original_due_at == due
    body = client.get(url(dossier)).content.decode()
    assert "phieu/apology.pdf" in body
    assert "thao-tac/extend/" not in body  # once only


def test_stop_after_the_applicant_withdraws(client: Client, world: World) -> None:
    dossier = online_submitted(world)
    act(world, dossier, Action.RECEIVE, "counter_a")
    act(world, dossier, Action.WITHDRAW, "citizen", {"note": "Tôi nộp nhầm thủ tục."})
    logged_in(client, world, "counter_a")

    response = post(client, dossier, "stop")

    assert response.status_code == 302
    assert fresh(dossier).status == Status.STOPPED
    assert "phieu/stop-notice.pdf" in client.get(url(dossier)).content.decode()


# --- versions and refusals ------------------------------------------------------------------


def test_a_stale_version_changes_nothing_and_says_so(client: Client, world: World) -> None:
    dossier = walk_in(world)
    logged_in(client, world, "counter_a")
    seen = fresh(dossier).version
    # Someone else acts meanwhile.
    act(world, dossier, Action.REQUEST_PAYMENT, "counter_a", {"amount": 10000})
    changed = fresh(dossier)
    history = events(dossier)

    response = post(client, dossier, "forward", {"to_step": "2"}, version=seen)

    assert response.status_code == 409
    assert "vừa được người khác cập nhật" in response.content.decode()
    after = fresh(dossier)
    assert (after.status, after.version) == (changed.status, changed.version)
    assert events(dossier) == history


def test_a_stale_version_keeps_the_typed_input_with_the_new_version(
    client: Client, world: World
) -> None:
    dossier = walk_in(world)
    logged_in(client, world, "counter_a")
    seen = fresh(dossier).version
    attach(dossier, pdf("a.pdf"), actor=world.user("counter_a"))

    response = post(
        client, dossier, "request_payment", {"amount": "20000", "note": "Phí"}, version=seen
    )

    body = response.content.decode()
    assert response.status_code == 409
    assert 'value="20000"' in body
    assert f'name="request_payment-version" value="{fresh(dossier).version}"' in body
    assert fresh(dossier).status == Status.RECEIVED


def test_an_action_not_available_now_is_refused_and_changes_nothing(
    client: Client, world: World
) -> None:
    dossier = walk_in(world)
    logged_in(client, world, "counter_a")
    version = fresh(dossier).version

    response = post(client, dossier, "approve")

    assert response.status_code == 409
    assert "không thực hiện được" in response.content.decode()
    assert fresh(dossier).version == version
    assert client.post(f"{url(dossier)}thao-tac/no-such-action/", {}).status_code == 404
    assert client.get(f"{url(dossier)}thao-tac/forward/").status_code == 405


# --- visibility -----------------------------------------------------------------------------


def test_an_officer_of_another_agency_gets_404_everywhere(client: Client, world: World) -> None:
    dossier = walk_in(world)
    document = attach(dossier, pdf("a.pdf"), actor=world.user("counter_a"))
    version = fresh(dossier).version
    logged_in(client, world, "counter_b")

    assert client.get(url(dossier)).status_code == 404
    assert post(client, dossier, "forward", {"to_step": "2"}).status_code == 404
    assert client.get(f"{url(dossier)}tep/{document.pk}/").status_code == 404
    assert client.get(f"{url(dossier)}phieu/receipt.pdf").status_code == 404
    assert fresh(dossier).version == version
    assert not PersonalDataAccess.objects.filter(user=world.user("counter_b")).exists()


def test_a_document_of_an_invisible_dossier_is_404_even_under_a_visible_one(
    client: Client, world: World
) -> None:
    mine = walk_in(world)
    theirs = dossier_create(
        actor=world.user("counter_b"),
        procedure=world.birth,
        agency=world.desk_b,
        channel=Channel.COUNTER,
        applicant=ApplicantData(type="citizen", full_name="Lê Văn Chín"),
    )
    secret = attach(theirs, pdf("b.pdf"), actor=world.user("counter_b"))
    logged_in(client, world, "counter_a")

    assert client.get(f"{url(theirs)}tep/{secret.pk}/").status_code == 404
    assert client.get(f"{url(mine)}tep/{secret.pk}/").status_code == 404


def test_documents_open_inline_under_a_safe_name(client: Client, world: World) -> None:
    dossier = walk_in(world)
    counter: User = world.user("counter_a")
    document = attach(
        dossier,
        SimpleUploadedFile('..\\..\\evil"\r\nX-Injected: 1.pdf', make_pdf(), "application/pdf"),
        actor=counter,
    )
    logged_in(client, world, "counter_a")

    response = client.get(f"{url(dossier)}tep/{document.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline; ")
    assert "\r" not in disposition
    assert "\n" not in disposition
    assert ".." not in disposition
    assert "X-Injected" not in response
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert PersonalDataAccess.objects.filter(
        user=counter, dossier=dossier, channel="document"
    ).exists()


def test_each_slip_prints_as_a_pdf(client: Client, world: World) -> None:
    dossier = walk_in(world)
    logged_in(client, world, "counter_a")

    receipt = client.get(f"{url(dossier)}phieu/receipt.pdf")
    control = client.get(f"{url(dossier)}phieu/control-slip.pdf")

    assert receipt.status_code == 200
    assert receipt["Content-Type"] == "application/pdf"
    assert receipt.content.startswith(b"%PDF-")
    assert control.status_code == 200
    assert client.get(f"{url(dossier)}phieu/apology.pdf").status_code == 404  # never extended
    assert client.get(f"{url(dossier)}phieu/nothing.pdf").status_code == 404
    assert PersonalDataAccess.objects.filter(dossier=dossier, channel="pdf").count() == 2


def test_a_leader_reassigns_the_current_step(client: Client, world: World) -> None:
    dossier = walk_in(world)
    act(world, dossier, Action.FORWARD, "counter_a", {"assignee": "specialist_a"})
    other = User.objects.create_user(
        username="specialist_a2", password="x", kind="staff", full_name="Hồ Thị Mai"
    )
    other.memberships.create(agency=world.commune_a, role="specialist")
    logged_in(client, world, "leader_a")
    assert "thao-tac/reassign/" in client.get(url(dossier)).content.decode()

    response = post(client, dossier, "reassign", {"assignee": "specialist_a2"})

    assert response.status_code == 302
    assert fresh(dossier).assignee == other
    assert events(dossier)[-1] == "reassign"
    client.logout()
    logged_in(client, world, "specialist_a")
    assert "thao-tac/reassign/" not in client.get(url(dossier)).content.decode()


def _count(client: Client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm the per-process caches (working calendars)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_screen_queries_do_not_grow_with_documents_steps_and_history(
    client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    dossier = walk_in(world)
    act(world, dossier, Action.FORWARD, "counter_a")
    logged_in(client, world, "specialist_a")
    few = _count(client, url(dossier))

    for i in range(3):
        DocumentFactory(
            dossier=dossier, name=f"trang-{i}.jpg", content=make_jpeg(), content_type="image/jpeg"
        )
        act(world, dossier, Action.FORWARD, "specialist_a")
        act(world, dossier, Action.SEND_BACK, "leader_a", {"note": "Xem lại"})

    # More hand-overs, documents and events, and not one query more.
    assert _count(client, url(dossier)) <= few
    # session, user, memberships (shell, scope), the dossier and its documents, the read's
    # INSERT, events, steps, the process steps, the slips' reads, the forward form's agencies
    # and officers.
    with django_assert_max_num_queries(22):
        client.get(url(dossier))


def test_the_screen_in_english(client: Client, world: World) -> None:
    dossier = walk_in(world)
    logged_in(client, world, "counter_a")
    client.cookies["django_language"] = "en"

    body = client.get(url(dossier)).content.decode()

    for text in (
        "Print slips",
        "Receipt and appointment for the result (Form 01)",
        "Control slip of the handling process",
        "Original due time",
        "Tick the documents the applicant must supply.",
        "Reason and guidance for the applicant",
    ):
        assert text in body, text
    assert "In phiếu" not in body


def test_a_stale_approval_keeps_none_of_its_uploads(client: Client, world: World) -> None:
    dossier = walk_in(world)
    _at_leader(world, dossier)
    logged_in(client, world, "leader_a")
    seen = fresh(dossier).version
    act(world, dossier, Action.REQUEST_SUPPLEMENT, "specialist_a", {"items": ["Giấy chứng sinh"]})
    act(world, dossier, Action.SUPPLEMENT, "counter_a")
    before = fresh(dossier)
    assert before.status == Status.PROCESSING  # approval possible again, but not on what was seen

    response = post(
        client,
        dossier,
        "approve",
        {"attachments": [pdf("kq.pdf", "KQ")]},
        version=seen,
    )

    assert response.status_code == 409
    after = fresh(dossier)
    assert (after.status, after.version) == (Status.PROCESSING, before.version)
    assert not Document.objects.filter(dossier=dossier, kind=Document.Kind.RESULT).exists()
    assert not Document.objects.filter(dossier=dossier, name="kq.pdf").exists()
