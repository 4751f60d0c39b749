"""From a dossier's history event to logged messages on the applicant's channels."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import transaction

from motcua.dossiers.constants import Action, Status
from motcua.dossiers.tests.factories import DossierEventFactory, DossierFactory, UserFactory
from motcua.notifications.constants import MessageState, NoticeKind
from motcua.notifications.hooks import dossier_event_recorded
from motcua.notifications.models import NotificationMessage, NotificationTemplate, StaffNotice
from motcua.notifications.services import notifications_for_event, preference_update
from motcua.outbox.constants import State
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import outbox_deliver_due

VN = ZoneInfo("Asia/Ho_Chi_Minh")
AT = dt.datetime(2026, 11, 23, 9, 0, tzinfo=VN)

pytestmark = pytest.mark.django_db


def _dossier(**kwargs):
    dossier = DossierFactory(at=AT, phone="0901234567", **kwargs)
    dossier.applicant = {**dossier.applicant, "email": "an@example.vn"}
    dossier.save(update_fields=["applicant"])
    return dossier


def _event(dossier, action, **kwargs):
    return DossierEventFactory(dossier=dossier, action=action, at=AT, **kwargs)


def test_supplement_request_gives_an_email_and_an_sms_with_the_list():
    dossier = _dossier(status=Status.SUPPLEMENT_REQUESTED)
    event = _event(
        dossier,
        Action.REQUEST_SUPPLEMENT,
        from_status=Status.PROCESSING,
        data={"items": ["Bản sao giấy chứng sinh", "Tờ khai có chữ ký"]},
        note="Thiếu chữ ký",
    )
    messages = notifications_for_event(event_id=event.pk, assignee_id=None)
    assert [(m.channel, m.recipient, m.state) for m in messages] == [
        ("email", "an@example.vn", MessageState.PENDING),
        ("sms", "0901234567", MessageState.PENDING),
    ]
    email, sms = messages
    link = f"http://127.0.0.1:8000/tra-cuu/{dossier.code}/"
    assert email.subject == f"Hồ sơ {dossier.code} cần bổ sung"
    assert "- Bản sao giấy chứng sinh\n- Tờ khai có chữ ký" in email.body
    assert "Ghi chú: Thiếu chữ ký" in email.body
    assert link in email.body
    assert sms.subject == ""
    assert sms.body == f"Hồ sơ {dossier.code} cần bổ sung 2 giấy tờ. Chi tiết: {link}"
    # No personal data beyond the message's needs: not the name, ID number or address
    for message in messages:
        for secret in (dossier.applicant_name, dossier.applicant_id_number, "Lê Lợi"):
            assert secret not in message.body
    # Each message has its outbox row
    assert sorted(OutboxMessage.objects.values_list("idempotency_key", flat=True)) == sorted(
        f"notification-{m.pk}" for m in messages
    )


def test_handling_the_same_event_twice_creates_nothing_twice():
    dossier = _dossier(status=Status.RESOLVED)
    event = _event(dossier, Action.APPROVE, from_status=Status.PROCESSING)
    first = notifications_for_event(event_id=event.pk, assignee_id=None)
    again = notifications_for_event(event_id=event.pk, assignee_id=None)
    assert [m.pk for m in again] == [m.pk for m in first]
    assert NotificationMessage.objects.count() == 2
    assert OutboxMessage.objects.filter(kind="notifications.send_message").count() == 2


def test_the_owners_choice_of_channels_is_followed():
    owner = UserFactory(email="owner@example.vn")
    preference_update(user=owner, email=False, sms=False, zalo=True)
    dossier = _dossier(status=Status.RECEIVED, owner=owner)
    event = _event(dossier, Action.RECEIVE, from_status=Status.SUBMITTED)
    messages = notifications_for_event(event_id=event.pk, assignee_id=None)
    assert [(m.channel, m.recipient, m.event) for m in messages] == [
        ("zalo", "0901234567", "received")
    ]
    assert messages[0].body == (
        f"Hồ sơ {dossier.code} đã được tiếp nhận. Hẹn trả kết quả: 09:00 ngày 26/11/2026. "
        f"Tra cứu: http://127.0.0.1:8000/tra-cuu/{dossier.code}/"
    )
    assert messages[0].params == {
        "code": dossier.code,
        "tracking_url": f"http://127.0.0.1:8000/tra-cuu/{dossier.code}/",
        "appointment": "09:00 ngày 26/11/2026",
    }


def test_all_channels_off_sends_nothing():
    owner = UserFactory()
    preference_update(user=owner, email=False, sms=False, zalo=False)
    dossier = _dossier(status=Status.RETURNED, owner=owner)
    event = _event(dossier, Action.RETURN_RESULT, from_status=Status.RESOLVED)
    assert notifications_for_event(event_id=event.pk, assignee_id=None) == []
    assert NotificationMessage.objects.count() == 0


def test_a_disabled_template_sends_nothing():
    NotificationTemplate.objects.filter(event="extended").update(is_active=False)
    dossier = _dossier(status=Status.PROCESSING)
    event = _event(dossier, Action.EXTEND, from_status=Status.PROCESSING, note="Xin lỗi")
    assert notifications_for_event(event_id=event.pk, assignee_id=None) == []


def test_extension_apologises_with_the_new_date():
    dossier = _dossier(status=Status.PROCESSING)
    new_due = dt.datetime(2026, 12, 1, 16, 0, tzinfo=VN)
    event = _event(
        dossier,
        Action.EXTEND,
        from_status=Status.PROCESSING,
        note="Cần xác minh thực địa",
        data={"previous_due_at": AT.isoformat(), "new_due_at": new_due.isoformat()},
    )
    email = notifications_for_event(event_id=event.pk, assignee_id=None)[0]
    assert email.subject == f"Xin lỗi về việc gia hạn hồ sơ {dossier.code}"
    assert "Lý do: Cần xác minh thực địa" in email.body
    assert "Ngày hẹn trả kết quả mới: 16:00 ngày 01/12/2026." in email.body


def test_forward_to_an_officer_gives_them_a_notice_once():
    officer = UserFactory(staff=True)
    dossier = _dossier(status=Status.PROCESSING)
    event = _event(dossier, Action.FORWARD, from_status=Status.PROCESSING)
    assert notifications_for_event(event_id=event.pk, assignee_id=officer.pk) == []
    notifications_for_event(event_id=event.pk, assignee_id=officer.pk)
    notice = StaffNotice.objects.get()
    assert (notice.user, notice.dossier, notice.kind, notice.read_at, notice.created_at) == (
        officer,
        dossier,
        NoticeKind.ASSIGNED,
        None,
        AT,
    )
    assert NotificationMessage.objects.count() == 0


def test_hook_queues_one_row_only_for_events_that_notify(django_assert_num_queries):
    dossier = _dossier(status=Status.PROCESSING)
    forward = _event(dossier, Action.FORWARD, from_status=Status.PROCESSING)
    approve = _event(dossier, Action.APPROVE, from_status=Status.PROCESSING)
    OutboxMessage.objects.all().delete()  # whatever the factories' events queued
    with time_machine.travel(AT + dt.timedelta(hours=1), tick=False), transaction.atomic():
        with django_assert_num_queries(0):
            dossier_event_recorded(forward)  # no assignee: nobody to tell
        with django_assert_num_queries(1):
            dossier_event_recorded(approve)
    row = OutboxMessage.objects.get()
    assert (row.kind, row.payload, row.idempotency_key) == (
        "notifications.dossier_event",
        {"event": approve.pk, "assignee": None},
        f"dossier-event-{approve.pk}",
    )


def test_history_loaded_after_the_fact_tells_nobody(django_assert_num_queries):
    dossier = _dossier(status=Status.RESOLVED)
    approve = _event(dossier, Action.APPROVE, from_status=Status.PROCESSING)
    OutboxMessage.objects.all().delete()
    with (
        time_machine.travel(AT + dt.timedelta(hours=24, seconds=1), tick=False),
        transaction.atomic(),
        django_assert_num_queries(0),
    ):
        dossier_event_recorded(approve)
    assert OutboxMessage.objects.count() == 0


def test_email_goes_through_djangos_backend_end_to_end():
    dossier = _dossier(status=Status.RESOLVED)
    dossier.applicant = {**dossier.applicant, "phone": ""}
    dossier.applicant_phone = ""
    dossier.save(update_fields=["applicant", "applicant_phone"])
    event = _event(dossier, Action.APPROVE, from_status=Status.PROCESSING)
    OutboxMessage.objects.all().delete()
    with time_machine.travel(AT, tick=False), transaction.atomic():
        dossier_event_recorded(event)
    # When the worker runs twice (fan-out, then the email)
    assert outbox_deliver_due() == {State.DELIVERED: 2}
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert (sent.subject, sent.to) == (f"Hồ sơ {dossier.code} đã có kết quả", ["an@example.vn"])
    message = NotificationMessage.objects.get()
    assert sent.extra_headers["Message-ID"] == f"<{message.idempotency_key}@localhost>"
    assert (message.state, message.attempts, message.provider_id) == (
        MessageState.SENT,
        1,
        f"<{message.idempotency_key}@localhost>",
    )
