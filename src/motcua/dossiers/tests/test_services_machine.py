"""The real services under random sequences of actions, callers and passing time.

The pure table has its own stateful test (test_rules.py); this one drives ``dossier_act`` on a
real dossier in the database and checks what only the whole system can break: refused actions
change nothing, every change is one of API.md's edges with its event, terminal states stay
terminal, and the clock never runs while the dossier waits for the applicant.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from motcua.core.exceptions import ApplicationError
from motcua.dossiers import rules
from motcua.dossiers.constants import Action, Status
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services import ApplicantData, dossier_act, dossier_create
from motcua.worktime.calendar import working_time_between
from motcua.worktime.selectors import calendar_for_agency

from .conftest import World
from .factories import DocumentFactory
from .test_rules import SPEC_EDGES

VN = ZoneInfo("Asia/Ho_Chi_Minh")
START = dt.datetime(2026, 2, 9, 9, 0, tzinfo=VN)  # the Monday before Tết 2026
VISITED: set[Status] = set()
RESUMES_CHECKED: list[dt.timedelta] = []
# The people who can act on the dossier, plus two who never can (they must change nothing).
CALLERS = ["citizen", "counter_a", "specialist_a", "leader_a", "supervisor", "counter_b"]
ACTORS = CALLERS[:4]
ENDINGS = {Action.WITHDRAW, Action.REFUSE, Action.REJECT, Action.STOP}
ADVANCING = {
    Action.SUBMIT,
    Action.RECEIVE,
    Action.FORWARD,
    Action.APPROVE,
    Action.RETURN_RESULT,
    Action.SUPPLEMENT,
    Action.PAY,
}


def fields_for(action: Action, dossier: Dossier) -> dict[str, object]:
    due = dossier.due_at or START
    return {
        Action.REQUEST_SUPPLEMENT: {"items": ["Bản sao giấy chứng sinh"], "note": "Thiếu"},
        Action.REFUSE: {"note": "Không thuộc thẩm quyền"},
        Action.SEND_BACK: {"note": "Xem lại"},
        Action.REQUEST_PAYMENT: {"amount": 8000, "note": "Lệ phí"},
        Action.PAY: {"method": "cash", "receipt_number": "BL-1"},
        Action.REJECT: {"note": "Không đủ điều kiện"},
        Action.EXTEND: {
            "note": "Cần xác minh",
            "new_due_at": (due + dt.timedelta(days=3)).isoformat(),
        },
        Action.WITHDRAW: {"note": "Không cần nữa"},
    }.get(action, {})


class ServiceMachine(RuleBasedStateMachine):
    world: World

    def __init__(self) -> None:
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.now = START
        self._clock = time_machine.travel(self.now, tick=False)
        self._traveller = self._clock.start()
        w = self.world
        self.dossier = dossier_create(
            actor=w.user("citizen"),
            procedure=w.birth,
            agency=w.desk_a,
            channel="online",
            applicant=ApplicantData(type="citizen", full_name="Trần Thị Bé"),
            result_delivery="counter",
        )
        for required in w.birth.required_documents.all():
            DocumentFactory(
                dossier=self.dossier, required_document=required, uploaded_by=w.user("citizen")
            )
        self.terminal_seen: Status | None = None
        self.remaining_at_pause: dt.timedelta | None = None
        self.cal = calendar_for_agency(w.desk_a)

    def teardown(self) -> None:
        self._clock.stop()
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def _snapshot(self) -> tuple[str, int, int]:
        d = Dossier.objects.get(pk=self.dossier.pk)
        return d.status, d.version, DossierEvent.objects.filter(dossier=d).count()

    @rule(hours=st.integers(min_value=1, max_value=96))
    def time_passes(self, hours: int) -> None:
        self.now += dt.timedelta(hours=hours)
        self._traveller.move_to(self.now)

    @rule(data=st.data())
    def act_as_offered(self, data: st.DataObject) -> None:
        """Take one of the actions someone is offered now, so that runs reach deep into the
        process: mostly one that moves the dossier on, rarely one that ends it early."""
        from motcua.dossiers.services import available_actions

        current = Dossier.objects.select_related("current_step__agency", "current_agency").get(
            pk=self.dossier.pk
        )
        offered = [
            (caller, action)
            for caller in ACTORS
            for action in available_actions(dossier=current, viewer=self.world.user(caller))
        ]
        advancing = [pair for pair in offered if pair[1] in ADVANCING]
        progress = [pair for pair in offered if pair[1] not in ENDINGS]
        roll = data.draw(st.integers(0, 9))
        if advancing and roll < 6:
            offered = advancing
        elif progress and roll < 9:
            offered = progress
        if offered:
            caller, action = data.draw(st.sampled_from(offered))
            self.act(Action(action), caller)

    @rule(action=st.sampled_from(list(Action)), caller=st.sampled_from(CALLERS))
    def act(self, action: Action, caller: str) -> None:
        current = Dossier.objects.get(pk=self.dossier.pk)
        before = self._snapshot()
        remaining = (
            working_time_between(self.cal, self.now, current.due_at)
            if current.due_at is not None and current.status in rules.CLOCK_RUNNING
            else None
        )
        try:
            with transaction.atomic():
                updated = dossier_act(
                    dossier_id=current.pk,
                    action=action,
                    actor=self.world.user(caller),
                    fields=fields_for(action, current),
                )
        except ApplicationError:
            assert self._snapshot() == before  # a refused request changes nothing
            return
        status_before, version_before, events_before = before
        after = self._snapshot()
        assert before[0] not in rules.TERMINAL
        assert (Status(status_before), Status(updated.status)) in SPEC_EDGES or (
            action in (Action.APPROVE, Action.REJECT) and updated.status == Status.RETURNED
        )
        automatic_return = after[0] == Status.RETURNED and action != Action.RETURN_RESULT
        assert after[1] == version_before + (2 if automatic_return else 1)
        assert after[2] == events_before + (2 if automatic_return else 1)
        if updated.status in rules.WAITING_FOR_APPLICANT and status_before in rules.CLOCK_RUNNING:
            self.remaining_at_pause = remaining
        if status_before in rules.WAITING_FOR_APPLICANT and updated.status in rules.CLOCK_RUNNING:
            if self.remaining_at_pause is not None and updated.due_at is not None:
                # The clock did not run while waiting: the same working time is left after.
                left = working_time_between(self.cal, self.now, updated.due_at)
                assert left == self.remaining_at_pause, (left, self.remaining_at_pause)
                RESUMES_CHECKED.append(left)
            self.remaining_at_pause = None
        if updated.status in rules.TERMINAL:
            self.terminal_seen = Status(updated.status)
        VISITED.add(Status(updated.status))

    @invariant()
    def terminal_stays_terminal(self) -> None:
        if self.terminal_seen is not None:
            assert Dossier.objects.get(pk=self.dossier.pk).status == self.terminal_seen

    @invariant()
    def received_dossiers_have_a_code_and_due_time(self) -> None:
        d = Dossier.objects.get(pk=self.dossier.pk)
        if d.received_at is not None:
            assert d.code is not None
            assert d.due_at is not None
            assert d.original_due_at is not None
            assert d.original_due_at <= d.due_at


@pytest.mark.django_db
def test_services_follow_the_table_under_random_use(world: World) -> None:
    ServiceMachine.world = world
    run_state_machine_as_test(
        ServiceMachine,
        settings=settings(
            max_examples=30,
            stateful_step_count=30,
            deadline=None,
            derandomize=True,  # the same runs every time: CI stays stable, coverage asserts hold
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
    # The runs went deep enough to mean something.
    assert RESUMES_CHECKED, "no run resumed after a wait: the clock rule was never exercised"
    assert {Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING, Status.RESOLVED} <= VISITED, (
        VISITED
    )
