"""Deadlines through the real services, with fixed clocks (API.md "Deadlines")."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from motcua.core.exceptions import ApplicationError
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import ApplicantData, dossier_act, dossier_create

from .conftest import World

VN = ZoneInfo("Asia/Ho_Chi_Minh")

pytestmark = pytest.mark.django_db


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=VN)


def receive(world: World, when: dt.datetime, procedure: str = "birth") -> Dossier:
    with time_machine.travel(when, tick=False):
        return dossier_create(
            actor=world.user("counter_a"),
            procedure=getattr(world, procedure),
            agency=world.desk_a,
            channel="counter",
            applicant=ApplicantData(type="citizen", full_name="Phạm Văn Đồng"),
        )


def do(
    world: World, dossier: Dossier, when: dt.datetime, action: str, who: str, **fields: object
) -> Dossier:
    with time_machine.travel(when, tick=False):
        return dossier_act(
            dossier_id=dossier.pk, action=action, actor=world.user(who), fields=fields
        )


def test_received_on_saturday_counts_from_monday_morning(world: World) -> None:
    dossier = receive(world, at(2026, 11, 28, 10, 0))  # a Saturday
    assert dossier.received_at == at(2026, 11, 28, 10, 0)
    assert dossier.clock_started_at == at(2026, 11, 30, 7, 30)
    # One full working day from the opening: the same day's closing time (a session's end
    # belongs to it, see worktime.calendar).
    assert dossier.due_at == at(2026, 11, 30, 17, 0)


def test_received_in_the_evening_counts_from_the_next_morning(world: World) -> None:
    dossier = receive(world, at(2026, 12, 1, 18, 30))
    assert dossier.clock_started_at == at(2026, 12, 2, 7, 30)


def test_the_clock_stops_over_tet_while_waiting_for_a_supplement(world: World) -> None:
    dossier = receive(world, at(2026, 2, 9, 9, 0))  # 1 working day: due Tuesday 10/2 09:00
    assert dossier.due_at == at(2026, 2, 10, 9, 0)
    do(
        world,
        dossier,
        at(2026, 2, 9, 10, 0),
        "request_supplement",
        "counter_a",
        items=["Giấy chứng sinh"],
    )
    # Waiting from Monday 9/2 10:00 to Tuesday 24/2 09:00, Tết (16–20/2) in between: the 6.5
    # working hours that were left are counted again from the return, none of the wait.
    back = do(world, dossier, at(2026, 2, 24, 9, 0), "supplement", "counter_a")  # at the counter
    assert back.status == "received"
    assert back.due_at == at(2026, 2, 25, 8, 0)
    assert back.original_due_at == back.due_at
    assert back.clock_paused_at is None


def test_restart_on_supplement_counts_the_whole_time_again(world: World) -> None:
    dossier = receive(world, at(2026, 11, 23, 9, 0), "permit")  # 15 working days
    do(world, dossier, at(2026, 11, 30, 9, 0), "request_supplement", "counter_a", items=["Bản vẽ"])
    back = do(world, dossier, at(2026, 12, 2, 9, 0), "supplement", "counter_a")
    # 15 working days from Wednesday 2/12 09:00 → Wednesday 23/12 09:00.
    assert back.due_at == at(2026, 12, 23, 9, 0)


def test_waiting_for_payment_moves_the_due_time_by_the_working_time_waited(world: World) -> None:
    dossier = receive(world, at(2026, 12, 1, 9, 0))  # due 2/12 09:00
    do(world, dossier, at(2026, 12, 1, 10, 0), "request_payment", "counter_a", amount=8000)
    paid = do(
        world,
        dossier,
        at(2026, 12, 1, 15, 0),
        "pay",
        "counter_a",
        method="cash",
        receipt_number="BL-1",
    )
    # Waited 10:00–11:30 and 13:30–15:00 = 3 working hours.
    assert paid.due_at == at(2026, 12, 2, 14, 0)
    assert paid.fees_paid == paid.fees_total == 8000


def test_extension_keeps_the_original_appointment_and_a_late_finish_is_late(world: World) -> None:
    dossier = receive(world, at(2026, 12, 1, 9, 0))
    do(world, dossier, at(2026, 12, 1, 10, 0), "forward", "counter_a")
    do(world, dossier, at(2026, 12, 1, 11, 0), "forward", "specialist_a")
    extended = do(
        world,
        dossier,
        at(2026, 12, 2, 8, 0),
        "extend",
        "leader_a",
        new_due_at=at(2026, 12, 4, 9, 0).isoformat(),
        note="Cần xác minh thêm",
    )
    assert extended.due_at == at(2026, 12, 4, 9, 0)
    assert extended.original_due_at == at(2026, 12, 2, 9, 0)
    with pytest.raises(ApplicationError) as twice:
        do(
            world,
            dossier,
            at(2026, 12, 2, 9, 30),
            "extend",
            "leader_a",
            new_due_at=at(2026, 12, 8, 9, 0).isoformat(),
            note="x",
        )
    assert twice.value.code == "action_not_allowed"
    resolved = do(world, dossier, at(2026, 12, 3, 10, 0), "approve", "leader_a")
    assert (
        resolved.timeliness == "late"
    )  # after the original appointment, even if before the new one


def test_extension_only_before_the_due_time(world: World) -> None:
    dossier = receive(world, at(2026, 12, 1, 9, 0))
    do(world, dossier, at(2026, 12, 1, 10, 0), "forward", "counter_a")
    do(world, dossier, at(2026, 12, 1, 11, 0), "forward", "specialist_a")
    with pytest.raises(ApplicationError) as late:
        do(
            world,
            dossier,
            at(2026, 12, 2, 9, 1),
            "extend",
            "leader_a",
            new_due_at=at(2026, 12, 4, 9, 0).isoformat(),
            note="x",
        )
    assert late.value.code == "action_not_allowed"
    assert Dossier.objects.get(pk=dossier.pk).extended_at is None


@pytest.mark.parametrize(
    ("resolved_at", "expected"),
    [
        (at(2026, 12, 1, 16, 0), "early"),  # the day before the appointment
        (at(2026, 12, 2, 8, 0), "on_time"),  # the appointment's day, before its time
        (at(2026, 12, 2, 9, 0), "on_time"),  # at the appointment
        (at(2026, 12, 2, 9, 1), "late"),
    ],
)
def test_timeliness_against_the_appointment(
    world: World, resolved_at: dt.datetime, expected: str
) -> None:
    dossier = receive(world, at(2026, 12, 1, 9, 0))
    do(world, dossier, at(2026, 12, 1, 10, 0), "forward", "counter_a")
    do(world, dossier, at(2026, 12, 1, 11, 0), "forward", "specialist_a")
    assert do(world, dossier, resolved_at, "approve", "leader_a").timeliness == expected


def test_overdue_is_as_of_now(world: World, client) -> None:
    from rest_framework.test import APIClient

    dossier = receive(world, at(2026, 12, 1, 9, 0))
    api = APIClient()
    api.force_authenticate(world.user("counter_a"))
    with time_machine.travel(at(2026, 12, 2, 8, 59), tick=False):
        assert api.get(f"/api/v1/dossiers/{dossier.code}/").json()["overdue"] is False
        assert api.get("/api/v1/dossiers/?overdue=true").json()["count"] == 0
    with time_machine.travel(at(2026, 12, 2, 9, 1), tick=False):
        assert api.get(f"/api/v1/dossiers/{dossier.code}/").json()["overdue"] is True
        assert [d["code"] for d in api.get("/api/v1/dossiers/?overdue=true").json()["results"]] == [
            dossier.code
        ]
