"""The deadline rules of API.md "Deadlines", as pure functions over a working :class:`Calendar`.

No database and no clock: callers pass the agency's calendar (``calendar_for_agency``) and the
instants involved, and store what comes back. Every datetime taken must be timezone-aware; every
datetime returned is in ``Asia/Ho_Chi_Minh``.

The life of a deadline, and what the dossier services call:

* receipt: ``clock_started_at = clock_start(cal, received_at)``;
  ``due = initial_due(cal, clock_started_at, value, unit)``; store ``Deadline(due, due)``.
* ``request_supplement`` / ``request_payment``: ``clock_paused_at = pause(now, waiting_in=status)``.
* ``supplement`` / ``pay``: ``resume(cal, deadline, paused_at=..., resumed_at=now, ...)`` gives the
  new ``Deadline``; when :func:`restarts_clock` says so, ``clock_start(cal, now)`` is the new
  ``clock_started_at``. A running step's due time moves with :func:`shift_by_wait`.
* ``extend``: ``due_at = extend(cal, now, due_at, new_due_at, already_extended)``.
* resolution: ``timeliness(cal, resolved_at, original_due_at)``; each hand-over on the control
  slip: ``step_due`` when the step starts, ``step_timeliness`` when it ends.
* lists and statistics: ``is_overdue(now, due_at, status, paused_at=...)``.

Conventions (fixed here because statistics and the slips depend on them):

* **Clock stops move both due times.** Waiting for the applicant (supplement or payment) does not
  count against the agency, so ``original_due_at``, the time timeliness is judged against, moves
  exactly like ``due_at``: later by the working time spent waiting, or, for a restart, to the due
  time recomputed from the new receipt. Only :func:`extend` moves ``due_at`` alone, so an extended
  dossier that finishes after its first (pause-adjusted) due time is late, as API.md says.
* **A restart never shortens a promise.** With ``restart_on_supplement`` the due time is
  ``clock_start(resumed_at)`` plus the full processing time. Without an extension that is always at
  least the shifted due time; after an extension it may be earlier than the date the apology letter
  gave the applicant, and that date is kept (moved by the wait). Hence resuming never makes
  either due time earlier, and ``original_due_at <= due_at`` keeps holding.
* **A paused dossier is not overdue** unless its due time had already passed when the clock
  stopped. Its due time moves when the applicant comes back, so the right comparison is with the
  due time it would have if they came back now (``shift_by_wait(due_at, paused_at, now)``); that
  lies after ``now`` exactly when ``due_at`` had not passed at ``paused_at`` (up to the instant of
  the due time itself). Comparing with ``paused_at`` gives the same answer without a calendar,
  and a database query can do the same: ``status in WAITING and due_at < clock_paused_at``.
* **Timeliness** (also of steps): ``late`` when finished after the due instant; otherwise
  ``early`` when finished on a local calendar date before the working day of the due time
  (:func:`~motcua.worktime.calendar.working_day_of`), else ``on_time``. Finishing at the due
  minute itself is on time; finishing on a Friday evening for a Monday due time is early.
* **Extensions** must add working time: a new due time on the Saturday after a Friday 17:00 due
  time gives the agency nothing and is refused like an earlier one. The chosen instant is stored as
  given (it is what the apology letter states), not moved into a working session.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from motcua.worktime.calendar import (
    VN_TZ,
    WORKING_HOURS,
    Calendar,
    CalendarError,
    add_working_time,
    next_working_instant,
    processing_time_to_delta,
    working_day_of,
    working_time_between,
)

from .constants import Status, Timeliness
from .exceptions import AlreadyExtended, ExtendAfterDue, ExtendNotLater
from .rules import CLOCK_RUNNING, IN_PROGRESS, WAITING_FOR_APPLICANT

__all__ = [
    "Amount",
    "Deadline",
    "clock_start",
    "extend",
    "initial_due",
    "is_overdue",
    "pause",
    "restarts_clock",
    "resume",
    "shift_by_wait",
    "step_due",
    "step_timeliness",
    "timeliness",
]

Amount = int | Decimal | Fraction
"""A processing time or step budget: whole or exact fractional units (no floats: no drift)."""


@dataclass(frozen=True)
class Deadline:
    """A dossier's two due times: ``due_at`` (moved by extension) and ``original_due_at`` (not)."""

    due_at: dt.datetime
    original_due_at: dt.datetime


def _local(t: dt.datetime) -> dt.datetime:
    if t.tzinfo is None or t.utcoffset() is None:
        raise CalendarError("Deadline rules need timezone-aware datetimes.")
    return t.astimezone(VN_TZ)


def _require_waiting(status: str) -> None:
    if status not in WAITING_FOR_APPLICANT:
        # A programming error in the caller, not a business rule: only these statuses stop the
        # clock in a way that resumes.
        raise ValueError(
            f"The clock pauses only while waiting for the applicant, not in {status!r}."
        )


# -- receipt -------------------------------------------------------------------------------------


def clock_start(cal: Calendar, received_at: dt.datetime) -> dt.datetime:
    """When the clock of a dossier received at ``received_at`` starts.

    ``received_at`` itself in working time (a session's last instant included); otherwise the
    start of the next working session: the evening, lunch, a weekend or a holiday all count as
    the next session's opening.
    """
    return next_working_instant(cal, received_at)


def initial_due(
    cal: Calendar, clock_started_at: dt.datetime, value: Amount, unit: str
) -> dt.datetime:
    """The first due time: ``value`` ``unit`` (``working_days``/``working_hours``) of working time
    after ``clock_started_at``.

    A working day is a full working day of ``cal`` (7.5 hours by default), so Monday 09:00 plus
    3 working days is Thursday 09:00, and the count runs over lunch, nights and holidays.
    """
    return add_working_time(cal, clock_started_at, processing_time_to_delta(cal, value, unit))


# -- clock stops ---------------------------------------------------------------------------------


def pause(now: dt.datetime, *, waiting_in: str) -> dt.datetime:
    """The instant to store as ``clock_paused_at`` when the dossier starts waiting in ``waiting_in``.

    The instant is kept as it is, even outside working time: :func:`resume` counts only the
    working time of the wait, so an evening request costs the applicant nothing until morning.
    Raises ``ValueError`` for a status that is not a wait for the applicant.
    """
    _require_waiting(waiting_in)
    return _local(now)


def restarts_clock(waited_in: str, restart_on_supplement: bool) -> bool:
    """Whether coming back from ``waited_in`` restarts the processing time from zero.

    Only a supplement does, and only for procedures that say so: the complete dossier counts as
    received anew. A payment never restarts the clock; its wait is only added.
    """
    return restart_on_supplement and waited_in == Status.SUPPLEMENT_REQUESTED


def shift_by_wait(
    cal: Calendar, t: dt.datetime, *, paused_at: dt.datetime, resumed_at: dt.datetime
) -> dt.datetime:
    """``t`` moved later by the working time between ``paused_at`` and ``resumed_at``.

    For a due time (the dossier's or a running step's) across a clock stop. A wait with no working
    time in it (a request on Friday evening answered on Sunday) leaves ``t`` exactly as it was.
    """
    waited = working_time_between(cal, paused_at, resumed_at)
    if not waited:
        # Not add_working_time(t, 0): that would move a ``t`` outside working time (an extended
        # due time chosen on a Saturday) to the next session although nothing was waited.
        return _local(t)
    return add_working_time(cal, t, waited)


def resume(
    cal: Calendar,
    deadline: Deadline,
    *,
    paused_at: dt.datetime,
    resumed_at: dt.datetime,
    waited_in: str,
    restart_on_supplement: bool,
    value: Amount,
    unit: str,
) -> Deadline:
    """The deadline after the applicant supplied the dossier or paid (the clock runs again).

    Both due times move later by the working time spent waiting. If :func:`restarts_clock`, both
    become at least ``clock_start(resumed_at)`` plus the full processing time ``value`` ``unit``
    (see the module docstring for why an extended due time is never pulled earlier).
    ``waited_in`` is the status the dossier waited in (``supplement_requested`` or
    ``payment_requested``). A ``resumed_at`` before ``paused_at`` (clocks of two servers a few
    milliseconds apart) counts as an immediate return.
    """
    _require_waiting(waited_in)
    resumed_at = max(_local(resumed_at), _local(paused_at))
    due = shift_by_wait(cal, deadline.due_at, paused_at=paused_at, resumed_at=resumed_at)
    original = shift_by_wait(
        cal, deadline.original_due_at, paused_at=paused_at, resumed_at=resumed_at
    )
    if restarts_clock(waited_in, restart_on_supplement):
        restarted = initial_due(cal, clock_start(cal, resumed_at), value, unit)
        due = max(due, restarted)
        original = max(original, restarted)
    return Deadline(due_at=due, original_due_at=original)


# -- extension -----------------------------------------------------------------------------------


def extend(
    cal: Calendar,
    now: dt.datetime,
    due_at: dt.datetime,
    new_due_at: dt.datetime,
    already_extended: bool,
) -> dt.datetime:
    """The new ``due_at`` for an ``extend`` at ``now``; ``original_due_at`` is left as it was.

    Refused with :class:`AlreadyExtended` (``extend_once``) for a second extension,
    :class:`ExtendAfterDue` (``extend_after_due``) unless ``now`` is strictly before ``due_at``,
    and :class:`ExtendNotLater` (``extend_not_later``) unless ``new_due_at`` adds working time.
    """
    if already_extended:
        raise AlreadyExtended(
            "This dossier's due time has already been extended; it can be extended only once.",
            errors={"new_due_at": ["Hồ sơ đã được gia hạn một lần, không thể gia hạn tiếp."]},
        )
    if not now < due_at:
        raise ExtendAfterDue(
            f"The due time {_local(due_at).isoformat()} has passed; extend before it.",
            errors={"new_due_at": ["Chỉ được gia hạn trước khi đến hạn giải quyết."]},
            extra={"due_at": _local(due_at).isoformat()},
        )
    if not working_time_between(cal, due_at, new_due_at):
        raise ExtendNotLater(
            f"The new due time must add working time after {_local(due_at).isoformat()}.",
            errors={"new_due_at": ["Thời hạn mới phải sau thời hạn hiện tại, trong giờ làm việc."]},
            extra={"due_at": _local(due_at).isoformat()},
        )
    return _local(new_due_at)


# -- judging -------------------------------------------------------------------------------------


def timeliness(cal: Calendar, resolved_at: dt.datetime, original_due_at: dt.datetime) -> Timeliness:
    """``early``, ``on_time`` or ``late`` for a dossier resolved at ``resolved_at``.

    Judged against ``original_due_at``, never the extended ``due_at``: late after it, early on a
    date before its working day, on time otherwise.
    """
    if resolved_at > original_due_at:
        return Timeliness.LATE
    # The due time's *working* day: a due time at a session's end belongs to that day, and one
    # outside working time to the next working day. The finish counts by its calendar date: work
    # finished on Friday evening was done before Monday, whatever the office hours.
    if _local(resolved_at).date() < working_day_of(cal, original_due_at):
        return Timeliness.EARLY
    return Timeliness.ON_TIME


def is_overdue(
    now: dt.datetime,
    due_at: dt.datetime | None,
    status: str,
    *,
    paused_at: dt.datetime | None = None,
) -> bool:
    """Whether a dossier in ``status`` is overdue as of ``now``.

    Only received dossiers not yet resolved can be overdue. While the clock runs (``received``,
    ``processing``): ``now`` is after ``due_at``. While it is stopped (waiting for a supplement or a
    payment, or a withdrawal to be confirmed): only if ``due_at`` had already passed when it stopped,
    at ``paused_at`` (``clock_paused_at``; for a withdrawal, the time it was requested). Without a
    ``paused_at`` a stopped dossier is not overdue.
    """
    if due_at is None:
        return False
    if status in CLOCK_RUNNING:
        return now > due_at
    if status in IN_PROGRESS:
        return paused_at is not None and paused_at > due_at
    return False


# -- control slip steps ----------------------------------------------------------------------------


def step_due(cal: Calendar, started_at: dt.datetime, budget_hours: Amount) -> dt.datetime:
    """When a process step started at ``started_at`` with ``budget_hours`` working hours is due."""
    return add_working_time(
        cal, started_at, processing_time_to_delta(cal, budget_hours, WORKING_HOURS)
    )


def step_timeliness(
    cal: Calendar, finished_at: dt.datetime, step_due_at: dt.datetime
) -> Timeliness:
    """``early``, ``on_time`` or ``late`` for a hand-over: the same rule as :func:`timeliness`."""
    return timeliness(cal, finished_at, step_due_at)
