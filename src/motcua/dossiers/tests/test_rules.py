"""The status machine table against API.md, including a stateful property test."""

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from motcua.dossiers import rules
from motcua.dossiers.constants import Action, Actor, Status
from motcua.dossiers.rules import Facts, Refusal

S = Status

# API.md's transitions written out independently of the table: (from, to) pairs that may happen.
SPEC_EDGES = {
    (S.DRAFT, S.SUBMITTED),
    (S.SUBMITTED, S.RECEIVED),
    (S.SUBMITTED, S.SUPPLEMENT_REQUESTED),
    (S.RECEIVED, S.SUPPLEMENT_REQUESTED),
    (S.PROCESSING, S.SUPPLEMENT_REQUESTED),
    (S.SUPPLEMENT_REQUESTED, S.SUBMITTED),
    (S.SUPPLEMENT_REQUESTED, S.RECEIVED),
    (S.SUPPLEMENT_REQUESTED, S.PROCESSING),
    (S.SUBMITTED, S.REFUSED),
    (S.RECEIVED, S.PROCESSING),
    (S.PROCESSING, S.PROCESSING),
    (S.RECEIVED, S.PAYMENT_REQUESTED),
    (S.PROCESSING, S.PAYMENT_REQUESTED),
    (S.PAYMENT_REQUESTED, S.RECEIVED),
    (S.PAYMENT_REQUESTED, S.PROCESSING),
    (S.PROCESSING, S.RESOLVED),
    (S.DRAFT, S.STOPPED),
    (S.SUBMITTED, S.STOPPED),
    (S.SUPPLEMENT_REQUESTED, S.STOPPED),
    (S.RECEIVED, S.WITHDRAWAL_REQUESTED),
    (S.PROCESSING, S.WITHDRAWAL_REQUESTED),
    (S.SUPPLEMENT_REQUESTED, S.WITHDRAWAL_REQUESTED),
    (S.PAYMENT_REQUESTED, S.WITHDRAWAL_REQUESTED),
    (S.WITHDRAWAL_REQUESTED, S.STOPPED),
    (S.RESOLVED, S.RETURNED),
}

STAFF = [Actor.COUNTER_OFFICER, Actor.SPECIALIST, Actor.LEADER]


def test_every_action_has_one_rule_and_every_status_is_reachable() -> None:
    assert set(rules.RULES) == set(Action)
    assert rules.reachable_statuses() == set(Status)


@pytest.mark.parametrize(
    ("action", "status", "actor", "expected"),
    [
        ("submit", S.DRAFT, Actor.APPLICANT, S.SUBMITTED),
        ("receive", S.SUBMITTED, Actor.COUNTER_OFFICER, S.RECEIVED),
        ("refuse", S.SUBMITTED, Actor.COUNTER_OFFICER, S.REFUSED),
        ("approve", S.PROCESSING, Actor.LEADER, S.RESOLVED),
        ("reject", S.PROCESSING, Actor.LEADER, S.RESOLVED),
        ("stop", S.WITHDRAWAL_REQUESTED, Actor.COUNTER_OFFICER, S.STOPPED),
        ("return_result", S.RESOLVED, Actor.COUNTER_OFFICER, S.RETURNED),
        ("return_result", S.RESOLVED, Actor.SYSTEM, S.RETURNED),
    ],
)
def test_simple_transitions(action: str, status: Status, actor: Actor, expected: Status) -> None:
    assert rules.check(action, Facts(status=status, received=True), [actor]) == expected


def test_supplement_and_payment_resume_where_the_dossier_was() -> None:
    waiting = Facts(status=S.SUPPLEMENT_REQUESTED, resume_status=S.PROCESSING, received=True)
    assert rules.check("supplement", waiting, [Actor.APPLICANT]) == S.PROCESSING
    paying = Facts(status=S.PAYMENT_REQUESTED, resume_status=S.RECEIVED, received=True)
    assert rules.check("pay", paying, [Actor.COUNTER_OFFICER]) == S.RECEIVED
    # Online, the gateway's confirmation takes it as the system. The applicant is offered it
    # (API.md) and the rules let it through; the handler answers with the gateway's endpoint.
    assert rules.check("pay", paying, [Actor.SYSTEM]) == S.RECEIVED
    assert "pay" in rules.available_actions(paying, [Actor.APPLICANT])
    assert rules.check("pay", paying, [Actor.APPLICANT]) == S.RECEIVED


def test_withdraw_before_receipt_stops_at_once_and_after_receipt_asks_the_counter() -> None:
    assert rules.check("withdraw", Facts(status=S.SUBMITTED), [Actor.APPLICANT]) == S.STOPPED
    assert rules.check("withdraw", Facts(status=S.DRAFT), [Actor.APPLICANT]) == S.STOPPED
    received = Facts(status=S.PROCESSING, received=True)
    assert rules.check("withdraw", received, [Actor.APPLICANT]) == S.WITHDRAWAL_REQUESTED


def test_withdraw_is_not_allowed_once_resolved() -> None:
    with pytest.raises(Refusal) as excinfo:
        rules.check("withdraw", Facts(status=S.RESOLVED, received=True), [Actor.APPLICANT])
    assert excinfo.value.forbidden is False


def test_a_role_that_could_never_act_is_forbidden_not_conflicting() -> None:
    with pytest.raises(Refusal) as excinfo:
        rules.check("approve", Facts(status=S.PROCESSING, received=True), [Actor.SPECIALIST])
    assert excinfo.value.forbidden is True
    assert rules.could_ever("approve", [Actor.LEADER])
    assert not rules.could_ever("approve", [Actor.APPLICANT, Actor.COUNTER_OFFICER])


def test_extend_only_once_and_only_before_due() -> None:
    facts = Facts(status=S.PROCESSING, received=True, before_due=True)
    assert "extend" in rules.available_actions(facts, [Actor.LEADER])
    assert "extend" not in rules.available_actions(
        Facts(status=S.PROCESSING, received=True, extended=True), [Actor.LEADER]
    )
    with pytest.raises(Refusal) as excinfo:
        rules.check(
            "extend", Facts(status=S.PROCESSING, received=True, before_due=False), [Actor.LEADER]
        )
    assert excinfo.value.reason == "extend_not_possible"


def test_forward_and_send_back_need_a_step_to_go_to() -> None:
    at_last = Facts(status=S.PROCESSING, received=True, has_next_step=False, has_previous_step=True)
    assert rules.available_actions(at_last, [Actor.SPECIALIST]) == [
        "request_supplement",
        "send_back",
        "request_payment",
    ]
    with pytest.raises(Refusal):
        rules.check("forward", at_last, [Actor.SPECIALIST])


def test_available_actions_of_a_counter_officer_on_a_submitted_dossier() -> None:
    facts = Facts(status=S.SUBMITTED)
    assert rules.available_actions(facts, [Actor.COUNTER_OFFICER]) == [
        "receive",
        "request_supplement",
        "refuse",
    ]
    assert rules.available_actions(facts, [Actor.APPLICANT]) == ["withdraw"]
    assert rules.available_actions(facts, []) == []


def test_unknown_action_is_refused() -> None:
    with pytest.raises(Refusal) as excinfo:
        rules.check("teleport", Facts(status=S.DRAFT), [Actor.APPLICANT])
    assert excinfo.value.reason == "unknown_action"


class DossierMachine(RuleBasedStateMachine):
    """Random sequences of actions by random callers never leave the table's edges."""

    def __init__(self) -> None:
        super().__init__()
        self.status = S.DRAFT
        self.resume: Status | None = None
        self.received = False
        self.step = 0
        self.steps = 3
        self.extended = False
        self.before_due = True
        self.clock = 0  # working minutes counted
        self.history: list[tuple[Status, Status]] = []

    def facts(self) -> Facts:
        return Facts(
            status=self.status,
            resume_status=self.resume,
            received=self.received,
            has_next_step=self.step < self.steps,
            has_previous_step=self.step > 1,
            extended=self.extended,
            before_due=self.before_due,
        )

    @rule(minutes=st.integers(min_value=1, max_value=600))
    def time_passes(self, minutes: int) -> None:
        if rules.clock_runs(self.status):
            self.clock += minutes

    @rule()
    def due_time_passes(self) -> None:
        self.before_due = False

    @rule(
        action=st.sampled_from(list(Action)),
        actors=st.sets(st.sampled_from(list(Actor)), max_size=3),
    )
    def act(self, action: Action, actors: set[Actor]) -> None:
        before = self.status
        facts = self.facts()
        offered = rules.available_actions(facts, actors)
        try:
            after = rules.check(action, facts, actors)
        except Refusal:
            assert action.value not in offered
            return
        assert action.value in offered
        assert before not in rules.TERMINAL
        assert (before, after) in SPEC_EDGES, (action, before, after)
        self.history.append((before, after))
        if after in rules.WAITING_FOR_APPLICANT:
            self.resume = before
        elif before in rules.WAITING_FOR_APPLICANT:
            self.resume = None
        if after == S.RECEIVED:
            self.received = True
        if action == Action.FORWARD:
            self.step += 1
        elif action == Action.SEND_BACK:
            self.step -= 1
        elif action == Action.EXTEND:
            self.extended = True
        self.status = after

    @precondition(lambda self: self.status in rules.TERMINAL)
    @rule(action=st.sampled_from(list(Action)), actors=st.sets(st.sampled_from(list(Actor))))
    def terminal_stays_terminal(self, action: Action, actors: set[Actor]) -> None:
        with pytest.raises(Refusal):
            rules.check(action, self.facts(), actors)
        assert rules.available_actions(self.facts(), actors) == []

    @invariant()
    def resume_is_never_a_waiting_status(self) -> None:
        assert self.resume not in rules.WAITING_FOR_APPLICANT

    @invariant()
    def clock_only_after_receipt(self) -> None:
        if not self.received:
            assert self.clock == 0

    @invariant()
    def steps_stay_in_range(self) -> None:
        assert 0 <= self.step <= self.steps


TestDossierMachine = DossierMachine.TestCase
