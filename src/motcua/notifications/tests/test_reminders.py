"""A reminder when a supplement has been awaited for 5 working days, once per request."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from motcua.dossiers.constants import Action, Status
from motcua.dossiers.tests.factories import DossierEventFactory, DossierFactory
from motcua.notifications.constants import Event
from motcua.notifications.models import NotificationMessage
from motcua.outbox.constants import State
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import outbox_deliver_due

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FRIDAY = dt.datetime(2026, 11, 20, 9, 30, tzinfo=VN)  # 24/11 is a day off: 5 days on 30/11

pytestmark = pytest.mark.django_db


def _waiting(items: list[str]):
    dossier = DossierFactory(at=FRIDAY, status=Status.SUPPLEMENT_REQUESTED, phone="0901234567")
    event = DossierEventFactory(
        dossier=dossier,
        action=Action.REQUEST_SUPPLEMENT,
        from_status=Status.PROCESSING,
        at=FRIDAY,
        data={"items": items},
    )
    # Leave out the request's own notification (the history hook queued it): reminders only.
    OutboxMessage.objects.filter(idempotency_key=f"dossier-event-{event.pk}").delete()
    return dossier, event


def _reminders() -> list[str]:
    return list(
        OutboxMessage.objects.filter(kind="notifications.supplement_reminder")
        .order_by("pk")
        .values_list("idempotency_key", flat=True)
    )


def test_reminder_after_five_working_days_once(capsys, sms_gateway):
    dossier, request = _waiting(["Bản sao sổ hộ khẩu"])
    other = DossierFactory(at=FRIDAY, status=Status.PROCESSING)  # not waiting
    DossierEventFactory(dossier=other, action=Action.FORWARD, at=FRIDAY)
    # Four working days later: nothing yet
    with time_machine.travel(dt.datetime(2026, 11, 27, 18, 0, tzinfo=VN), tick=False):
        call_command("send_supplement_reminders")
    assert _reminders() == []
    # The fifth: one reminder, and the next day's run adds none
    with time_machine.travel(dt.datetime(2026, 11, 30, 7, 0, tzinfo=VN), tick=False):
        call_command("send_supplement_reminders")
        assert outbox_deliver_due() == {State.DELIVERED: 2}  # reminder, then its SMS
    with time_machine.travel(dt.datetime(2026, 12, 1, 7, 0, tzinfo=VN), tick=False):
        call_command("send_supplement_reminders")
        assert outbox_deliver_due() == {}
    assert _reminders() == [f"supplement-reminder-{request.pk}"]
    assert capsys.readouterr().out.splitlines() == [
        "supplement reminders queued: 0",
        "supplement reminders queued: 1",
        "supplement reminders queued: 1",  # queued again, ignored by its key
    ]
    message = NotificationMessage.objects.get()
    assert (message.event, message.channel, message.recipient) == (
        Event.SUPPLEMENT_REMINDER,
        "sms",
        "0901234567",
    )
    assert len(sms_gateway.messages) == 1
    assert message.body == (
        f"Hồ sơ {dossier.code} vẫn chờ bổ sung giấy tờ. "
        f"Chi tiết: http://127.0.0.1:8000/tra-cuu/{dossier.code}/"
    )


def test_no_reminder_when_the_supplement_arrived_before_delivery():
    dossier, _ = _waiting(["Bản sao sổ hộ khẩu"])
    with time_machine.travel(dt.datetime(2026, 11, 30, 7, 0, tzinfo=VN), tick=False):
        call_command("send_supplement_reminders")
        type(dossier).objects.filter(pk=dossier.pk).update(status=Status.PROCESSING)
        assert outbox_deliver_due() == {State.DELIVERED: 1}
    assert NotificationMessage.objects.count() == 0
