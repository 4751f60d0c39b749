"""SMS and Zalo adapters against their local fake servers, through the outbox."""

from __future__ import annotations

import datetime as dt
import json
import urllib.request
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.test import override_settings

from motcua.dossiers.tests.factories import DossierFactory
from motcua.notifications.constants import Channel, Event, MessageState
from motcua.notifications.fake_gateway import FakeGateway
from motcua.notifications.models import NotificationMessage
from motcua.outbox.constants import State
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import outbox_deliver_due, outbox_enqueue

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOON = dt.datetime(2026, 11, 23, 12, 0, tzinfo=VN)

pytestmark = pytest.mark.django_db


def _message(channel: str, body: str = "Hồ sơ đã được tiếp nhận. Đúng hẹn.") -> NotificationMessage:
    with time_machine.travel(NOON, tick=False):
        return _logged(channel, body)


def _logged(channel: str, body: str) -> NotificationMessage:
    dossier = DossierFactory(at=NOON)
    message = NotificationMessage.objects.create(
        dossier=dossier,
        event=Event.RECEIVED,
        channel=channel,
        recipient="0901234567",
        body=body,
        idempotency_key=f"event-1-{channel}",
    )
    with transaction.atomic():
        outbox_enqueue(
            kind="notifications.send_message",
            payload={"message": message.pk},
            idempotency_key=f"notification-{message.pk}",
        )
    return message


def _state(message: NotificationMessage) -> tuple[str, int, str]:
    message.refresh_from_db()
    return message.state, message.attempts, message.provider_id


def test_sms_is_posted_with_our_key_unaccented(sms_gateway: FakeGateway):
    message = _message(Channel.SMS)
    with time_machine.travel(NOON, tick=False):
        assert outbox_deliver_due() == {State.DELIVERED: 1}
    assert sms_gateway.messages == [
        {
            "key": "event-1-sms",
            "to": "0901234567",
            "text": "Ho so da duoc tiep nhan. Dung hen.",
            "sender": "MOTCUA",
        }
    ]
    assert _state(message) == (MessageState.SENT, 1, "sms-1")
    assert message.sent_at == NOON


def test_timed_out_sms_that_arrived_is_not_sent_twice(sms_gateway: FakeGateway):
    # Given a gateway that records our message but answers after our timeout
    sms_gateway.delay_next = 1.5
    message = _message(Channel.SMS)
    with override_settings(MOTCUA_NOTIFY_HTTP_TIMEOUT=0.3), time_machine.travel(NOON, tick=False):
        assert outbox_deliver_due() == {State.PENDING: 1}
    message.refresh_from_db()
    assert (message.state, message.attempts) == (MessageState.RETRYING, 1)
    assert message.last_error == "DeliveryFailed: gateway unreachable: TimeoutError"
    # When the outbox retries (same idempotency key)
    row = OutboxMessage.objects.get()
    with time_machine.travel(row.next_attempt_at, tick=False):
        assert outbox_deliver_due() == {State.DELIVERED: 1}
    # Then the gateway was called twice but holds one message, and ours is sent
    assert sms_gateway.calls == 2
    assert len(sms_gateway.messages) == 1
    assert _state(message) == (MessageState.SENT, 2, "sms-1")


def test_sms_gateway_down_for_an_hour_loses_nothing(sms_gateway: FakeGateway):
    sms_gateway.fail_next = 10**6  # 503 for every call
    message = _message(Channel.SMS)
    when = NOON
    while when < NOON + dt.timedelta(hours=1):
        with time_machine.travel(when, tick=False):
            outbox_deliver_due()
        when += dt.timedelta(minutes=2)
    failed_calls = sms_gateway.calls
    assert failed_calls >= 6
    assert _state(message)[0] == MessageState.RETRYING
    assert message.last_error == "DeliveryFailed: gateway answered 503"
    sms_gateway.fail_next = 0
    while when < NOON + dt.timedelta(hours=2, minutes=2):
        with time_machine.travel(when, tick=False):
            outbox_deliver_due()
        when += dt.timedelta(minutes=2)
    assert len(sms_gateway.messages) == 1
    assert sms_gateway.calls == failed_calls + 1
    assert _state(message) == (MessageState.SENT, failed_calls + 1, "sms-1")
    assert OutboxMessage.objects.get().state == State.DELIVERED


def test_wrong_sms_key_is_a_permanent_failure(sms_gateway: FakeGateway):
    message = _message(Channel.SMS)
    with override_settings(MOTCUA_SMS_API_KEY="wrong"), time_machine.travel(NOON, tick=False):
        assert outbox_deliver_due() == {State.DEAD: 1}
    assert _state(message) == (MessageState.FAILED, 1, "")
    assert message.last_error == "PermanentFailure: gateway refused the request: 401"
    assert sms_gateway.messages == []


def test_sms_gateway_unreachable_is_retried():
    gateway = FakeGateway("sms")
    url = gateway.url
    gateway.stop()  # nothing listens there any more
    message = _message(Channel.SMS)
    with override_settings(MOTCUA_SMS_GATEWAY_URL=url), time_machine.travel(NOON, tick=False):
        assert outbox_deliver_due() == {State.PENDING: 1}
    message.refresh_from_db()
    assert (message.state, message.last_error) == (
        MessageState.RETRYING,
        "DeliveryFailed: gateway unreachable: ConnectionRefusedError",
    )


def test_zalo_template_message(zalo_gateway: FakeGateway):
    message = _message(Channel.ZALO)
    with time_machine.travel(NOON, tick=False):
        assert outbox_deliver_due() == {State.DELIVERED: 1}
    code = message.dossier.code
    assert zalo_gateway.messages == [
        {
            "key": "event-1-zalo",
            "phone": "84901234567",
            "template_id": "received",
            "template_data": {
                "code": code,
                "tracking_url": f"http://127.0.0.1:8000/tra-cuu/{code}/",
            },
            "tracking_id": "event-1-zalo",
        }
    ]
    assert _state(message) == (MessageState.SENT, 1, "zalo-1")


def test_zalo_error_code_is_a_permanent_failure(zalo_gateway: FakeGateway):
    zalo_gateway._accept = lambda headers, body: (200, {"error": -124, "message": "x"}, 0.0)  # type: ignore[method-assign]
    message = _message(Channel.ZALO)
    with time_machine.travel(NOON, tick=False):
        assert outbox_deliver_due() == {State.DEAD: 1}
    assert _state(message) == (MessageState.FAILED, 1, "")
    assert message.last_error == "PermanentFailure: Zalo refused the message: error -124"


def test_fake_gateway_lists_and_refuses_bad_requests(sms_gateway: FakeGateway):
    base = sms_gateway.url.rsplit("/", 1)[0]
    bad = urllib.request.Request(  # noqa: S310
        sms_gateway.url,
        data=b'{"to": "0901"}',
        headers={"Authorization": "Bearer test-key", "Idempotency-Key": "k"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(bad, timeout=2)  # noqa: S310
    assert refused.value.code == 400
    with urllib.request.urlopen(base + "/messages", timeout=2) as response:  # noqa: S310
        assert json.loads(response.read()) == []


def test_sms_failing_for_a_day_is_marked_failed_then_resent_from_the_admin(
    sms_gateway: FakeGateway, client, django_capture_on_commit_callbacks
):
    from motcua.accounts.models import User
    from motcua.conftest import admin_login

    sms_gateway.fail_next = 10**6
    message = _message(Channel.SMS)
    when = NOON
    outcome: dict[str, int] = {}
    while State.DEAD not in outcome:
        with time_machine.travel(when, tick=False):
            outcome = outbox_deliver_due()
        when += dt.timedelta(minutes=30)
    assert when > NOON + dt.timedelta(hours=24)
    message.refresh_from_db()
    assert message.state == MessageState.FAILED
    assert message.last_error == "DeliveryFailed: gateway answered 503"
    # The admin sends it again once the gateway is back
    sms_gateway.fail_next = 0
    admin_login(client, User.objects.create_superuser(username="quantri", password="x-2026-y"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/notifications/notificationmessage/",
            {"action": "resend", "_selected_action": [message.pk]},
            follow=True,
        )
    assert "Đã đặt 1 thông báo để gửi lại." in response.content.decode()
    message.refresh_from_db()
    assert (message.state, message.provider_id) == (MessageState.SENT, "sms-1")
    assert len(sms_gateway.messages) == 1


def test_email_through_smtp_to_the_fake_mail_server():
    from motcua.notifications.fake_smtp import FakeSmtpServer

    server = FakeSmtpServer().start()
    try:
        message = _message(Channel.EMAIL)
        NotificationMessage.objects.filter(pk=message.pk).update(
            recipient="an@example.vn", subject="Hồ sơ đã được tiếp nhận"
        )
        with (
            override_settings(
                EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                EMAIL_HOST="127.0.0.1",
                EMAIL_PORT=server.port,
                DEFAULT_FROM_EMAIL="no-reply@motcua.test",
            ),
            time_machine.travel(NOON, tick=False),
        ):
            assert outbox_deliver_due() == {State.DELIVERED: 1}
    finally:
        server.stop()
    assert server.messages == [
        {
            "from": "no-reply@motcua.test",
            "to": ["an@example.vn"],
            "subject": "Hồ sơ đã được tiếp nhận",
            "message_id": "<event-1-email@motcua.test>",
            "body": "Hồ sơ đã được tiếp nhận. Đúng hẹn.\n",
        }
    ]
    assert _state(message) == (MessageState.SENT, 1, "<event-1-email@motcua.test>")


def test_mail_server_down_is_retried():
    from motcua.notifications.fake_smtp import FakeSmtpServer

    server = FakeSmtpServer()
    port = server.port
    server.stop()
    message = _message(Channel.EMAIL)
    NotificationMessage.objects.filter(pk=message.pk).update(recipient="an@example.vn")
    with (
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_TIMEOUT=2,
        ),
        time_machine.travel(NOON, tick=False),
    ):
        assert outbox_deliver_due() == {State.PENDING: 1}
    message.refresh_from_db()
    assert (message.state, message.last_error) == (
        MessageState.RETRYING,
        "DeliveryFailed: mail server error: ConnectionRefusedError",
    )
