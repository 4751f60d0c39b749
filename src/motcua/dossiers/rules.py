"""The dossier status machine of API.md, as one table. Pure: no database, no clock.

Everything about *whether* an action may happen lives here; services gather the facts (status,
steps, deadlines, the caller's roles on the dossier), ask this module, and then write.

- ``RULES`` maps each action to who may take it, from which statuses, to which status, and
  under which extra condition (a guard over ``Facts``).
- ``RESUME`` as a target means "back to the status the dossier had before it started waiting"
  (supplement, payment).
- An action outside the caller's roles altogether is *forbidden* (HTTP 403); an action the
  caller could take but not now is *not allowed* (HTTP 409).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .constants import Action, Actor, Status

TERMINAL: frozenset[Status] = frozenset({Status.REFUSED, Status.STOPPED, Status.RETURNED})
# The processing clock runs only here. Waiting for the applicant (supplement, payment), for the
# counter to confirm a withdrawal, before receipt and after the decision, it is stopped.
CLOCK_RUNNING: frozenset[Status] = frozenset({Status.RECEIVED, Status.PROCESSING})
WAITING_FOR_APPLICANT: frozenset[Status] = frozenset(
    {Status.SUPPLEMENT_REQUESTED, Status.PAYMENT_REQUESTED}
)
# Statuses in which the dossier has been received and has a running or paused deadline.
IN_PROGRESS: frozenset[Status] = frozenset(
    {
        Status.RECEIVED,
        Status.PROCESSING,
        Status.SUPPLEMENT_REQUESTED,
        Status.PAYMENT_REQUESTED,
        Status.WITHDRAWAL_REQUESTED,
    }
)

RESUME = "resume"


@dataclass(frozen=True)
class Facts:
    """What the rules need to know about one dossier at one moment."""

    status: Status
    resume_status: Status | None = None  # where a supplement or payment returns to
    received: bool = False  # has the counter received it (is there a receipt)?
    has_next_step: bool = False
    has_previous_step: bool = False
    extended: bool = False
    before_due: bool = True


Guard = Callable[[Facts], bool]


@dataclass(frozen=True)
class Rule:
    action: Action
    actors: frozenset[Actor]
    sources: frozenset[Status]
    target: Status | str  # a Status, or RESUME
    guard: Guard | None = None
    guard_reason: str = ""


def _rule(
    action: Action,
    actors: Iterable[Actor],
    sources: Iterable[Status],
    target: Status | str,
    guard: Guard | None = None,
    guard_reason: str = "",
) -> Rule:
    return Rule(action, frozenset(actors), frozenset(sources), target, guard, guard_reason)


A = Actor
S = Status

RULES: dict[Action, Rule] = {
    r.action: r
    for r in [
        _rule(Action.SUBMIT, [A.APPLICANT], [S.DRAFT], S.SUBMITTED),
        _rule(Action.RECEIVE, [A.COUNTER_OFFICER], [S.SUBMITTED], S.RECEIVED),
        _rule(
            Action.REQUEST_SUPPLEMENT,
            [A.COUNTER_OFFICER, A.SPECIALIST],
            [S.SUBMITTED, S.RECEIVED, S.PROCESSING],
            S.SUPPLEMENT_REQUESTED,
        ),
        # A walk-in applicant hands the missing papers to the counter, which scans them: the
        # counter officer may supplement on the applicant's behalf (recorded as such).
        _rule(
            Action.SUPPLEMENT, [A.APPLICANT, A.COUNTER_OFFICER], [S.SUPPLEMENT_REQUESTED], RESUME
        ),
        _rule(Action.REFUSE, [A.COUNTER_OFFICER], [S.SUBMITTED], S.REFUSED),
        _rule(
            Action.FORWARD,
            [A.COUNTER_OFFICER, A.SPECIALIST, A.LEADER],
            [S.RECEIVED, S.PROCESSING],
            S.PROCESSING,
            lambda f: f.has_next_step,
            "no_next_step",
        ),
        _rule(
            Action.SEND_BACK,
            [A.SPECIALIST, A.LEADER],
            [S.PROCESSING],
            S.PROCESSING,
            lambda f: f.has_previous_step,
            "no_previous_step",
        ),
        _rule(
            Action.REQUEST_PAYMENT,
            [A.COUNTER_OFFICER, A.SPECIALIST],
            [S.RECEIVED, S.PROCESSING],
            S.PAYMENT_REQUESTED,
        ),
        # The counter takes cash; the gateway's confirmation of an online payment takes ``pay``
        # as the system. The applicant is offered ``pay`` (API.md) but takes it at the gateway:
        # their request is answered 409 ``pay_online_at_gateway`` with the payments endpoint
        # (dossiers.services.actions._pay; docs/adr/0011).
        _rule(
            Action.PAY,
            [A.COUNTER_OFFICER, A.APPLICANT, A.SYSTEM],
            [S.PAYMENT_REQUESTED],
            RESUME,
        ),
        _rule(Action.APPROVE, [A.LEADER], [S.PROCESSING], S.RESOLVED),
        _rule(Action.REJECT, [A.LEADER], [S.PROCESSING], S.RESOLVED),
        _rule(
            Action.EXTEND,
            [A.LEADER],
            [S.PROCESSING],
            S.PROCESSING,
            lambda f: not f.extended and f.before_due,
            "extend_not_possible",
        ),
        _rule(
            Action.WITHDRAW,
            [A.APPLICANT],
            [
                S.DRAFT,
                S.SUBMITTED,
                S.RECEIVED,
                S.PROCESSING,
                S.SUPPLEMENT_REQUESTED,
                S.PAYMENT_REQUESTED,
            ],
            S.WITHDRAWAL_REQUESTED,  # or STOPPED before receipt: see target_status()
        ),
        _rule(Action.STOP, [A.COUNTER_OFFICER], [S.WITHDRAWAL_REQUESTED], S.STOPPED),
        _rule(Action.RETURN_RESULT, [A.COUNTER_OFFICER, A.SYSTEM], [S.RESOLVED], S.RETURNED),
    ]
}

assert set(RULES) == set(Action), "every action has exactly one rule"


class Refusal(Exception):
    """Why an action cannot be taken: ``forbidden`` (never, for these roles) or not now."""

    def __init__(self, action: str, *, forbidden: bool, reason: str) -> None:
        super().__init__(f"{action}: {reason}")
        self.action = action
        self.forbidden = forbidden
        self.reason = reason


def target_status(rule: Rule, facts: Facts) -> Status:
    if rule.action == Action.WITHDRAW and not facts.received:
        return Status.STOPPED  # nothing to stop yet: withdrawing before receipt ends it at once
    if rule.target == RESUME:
        if facts.resume_status is None:
            raise Refusal(rule.action, forbidden=False, reason="nothing_to_resume")
        return facts.resume_status
    return Status(rule.target)


def check(action: str, facts: Facts, actors: Iterable[Actor]) -> Status:
    """The status after ``action``, or raise Refusal."""
    try:
        rule = RULES[Action(action)]
    except ValueError:
        raise Refusal(action, forbidden=False, reason="unknown_action") from None
    if not rule.actors & set(actors):
        raise Refusal(action, forbidden=True, reason="role_cannot_take_action")
    if facts.status not in rule.sources:
        raise Refusal(action, forbidden=False, reason="action_not_allowed_in_status")
    if rule.guard is not None and not rule.guard(facts):
        raise Refusal(action, forbidden=False, reason=rule.guard_reason)
    return target_status(rule, facts)


def available_actions(facts: Facts, actors: Iterable[Actor]) -> list[str]:
    """The actions these actors may take now, in the table's order."""
    roles = set(actors)
    out = []
    for action, rule in RULES.items():
        if not rule.actors & roles or facts.status not in rule.sources:
            continue
        if rule.guard is not None and not rule.guard(facts):
            continue
        if rule.target == RESUME and facts.resume_status is None:
            continue
        out.append(str(action.value))
    return out


def could_ever(action: str, actors: Iterable[Actor]) -> bool:
    """Whether these roles may take this action in some status (else the API answers 403)."""
    try:
        return bool(RULES[Action(action)].actors & set(actors))
    except ValueError:
        return False


# Reassignment (giao lại): a leader of the agency holding a dossier hands its current step to
# another officer of that agency. No status changes, so it is not a row of RULES (and not one of
# ``available_actions``); it has its own check, decided here like the others.
REASSIGN_ACTORS: frozenset[Actor] = frozenset({Actor.LEADER})
REASSIGNABLE: frozenset[Status] = frozenset(
    {Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED, Status.PAYMENT_REQUESTED}
)
REASSIGN = "reassign"  # the action of its history event


def check_reassign(status: Status, actors: Iterable[Actor]) -> None:
    """Raise Refusal unless these actors may reassign a dossier in this status."""
    if not REASSIGN_ACTORS & set(actors):
        raise Refusal(REASSIGN, forbidden=True, reason="role_cannot_take_action")
    if status not in REASSIGNABLE:
        raise Refusal(REASSIGN, forbidden=False, reason="action_not_allowed_in_status")


def may_reassign(status: Status, actors: Iterable[Actor]) -> bool:
    try:
        check_reassign(status, actors)
    except Refusal:
        return False
    return True


def clock_runs(status: Status) -> bool:
    return status in CLOCK_RUNNING


def reachable_statuses() -> set[Status]:
    """Statuses reachable from a draft or a counter receipt through the table."""
    seen: set[Status] = {Status.DRAFT, Status.RECEIVED}
    frontier = list(seen)
    while frontier:
        current = frontier.pop()
        for rule in RULES.values():
            if current not in rule.sources:
                continue
            if rule.target == RESUME:
                targets = set(IN_PROGRESS | {Status.SUBMITTED}) - WAITING_FOR_APPLICANT
            else:
                targets = {Status(rule.target)}
            if rule.action == Action.WITHDRAW:
                targets.add(Status.STOPPED)
            for target in targets - seen:
                seen.add(target)
                frontier.append(target)
    return seen
