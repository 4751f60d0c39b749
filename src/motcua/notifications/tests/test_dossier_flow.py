"""End to end through the dossier services: a change, its outbox row in the same transaction,
the worker, the applicant's messages and the officer's notice."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from motcua.core.exceptions import ApplicationError
from motcua.dossiers.constants import Action
from motcua.dossiers.services import ApplicantData, dossier_act, dossier_create
from motcua.dossiers.tests.conftest import World
from motcua.notifications.constants import NoticeKind
from motcua.notifications.fake_gateway import FakeGateway
from motcua.notifications.models import NotificationMessage, StaffNotice
from motcua.outbox.constants import State
from motcua.outbox.models import OutboxMessage
from motcua.outbox.services import outbox_deliver_due

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_9 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=VN)

pytestmark = pytest.mark.django_db


def _counter_dossier(w: World):
    return dossier_create(
        actor=w.user("counter_a"),
        procedure=w.birth,
        agency=w.desk_a,
        channel="counter",
        applicant=ApplicantData(
            type="citizen",
            full_name="Trần Thị Bé",
            id_number="083190000123",
            phone="0901234567",
            email="be@example.vn",
        ),
    )


def test_counter_receipt_tells_the_applicant_by_email_and_sms(
    world: World, sms_gateway: FakeGateway
) -> None:
    with time_machine.travel(MONDAY_9, tick=False):
        dossier = _counter_dossier(world)
        # The receipt's outbox row was written with the dossier
        row = OutboxMessage.objects.get()
        assert (row.kind, row.state) == ("notifications.dossier_event", State.PENDING)
        assert outbox_deliver_due() == {State.DELIVERED: 3}  # the event, the email, the SMS
    dossier.refresh_from_db()
    link = f"http://127.0.0.1:8000/tra-cuu/{dossier.code}/"
    assert [m.subject for m in mail.outbox] == [f"Hồ sơ {dossier.code} đã được nộp"]
    assert "Ngày hẹn trả kết quả: " in mail.outbox[0].body
    assert link in mail.outbox[0].body
    assert [m["text"] for m in sms_gateway.messages] == [
        f"Ho so {dossier.code} da duoc nop. Hen tra ket qua: "
        f"{dossier.due_at.astimezone(VN):%H:%M} ngay {dossier.due_at.astimezone(VN):%d/%m/%Y}. "
        f"Tra cuu: {link}"
    ]
    assert set(NotificationMessage.objects.values_list("channel", "state")) == {
        ("email", "sent"),
        ("sms", "sent"),
    }


def test_forward_to_a_specialist_gives_them_a_notice(world: World) -> None:
    with time_machine.travel(MONDAY_9, tick=False):
        dossier = _counter_dossier(world)
        dossier_act(
            dossier_id=dossier.pk,
            action=Action.FORWARD,
            actor=world.user("counter_a"),
            fields={"assignee": "specialist_a"},
        )
        mail.outbox.clear()
        OutboxMessage.objects.filter(idempotency_key__startswith="notification-").delete()
        outbox_deliver_due()
    notice = StaffNotice.objects.get()
    assert (notice.user, notice.dossier_id, notice.kind) == (
        world.user("specialist_a"),
        dossier.pk,
        NoticeKind.ASSIGNED,
    )


def test_a_refused_change_queues_nothing(world: World) -> None:
    with time_machine.travel(MONDAY_9, tick=False):
        dossier = _counter_dossier(world)
        before = OutboxMessage.objects.count()
        with pytest.raises(ApplicationError, match="not allowed"):
            dossier_act(
                dossier_id=dossier.pk, action=Action.RETURN_RESULT, actor=world.user("counter_a")
            )
    assert OutboxMessage.objects.count() == before
