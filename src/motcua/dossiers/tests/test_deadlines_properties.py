"""Properties of the deadline rules, over instants from late 2025 to early 2027 (two Tết).

Instants are often drawn exactly on a session's start or end, where the boundary conventions of
``motcua.worktime.calendar`` matter, and otherwise anywhere in the day.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.dossiers import deadlines
from motcua.dossiers.constants import Status, Timeliness
from motcua.dossiers.deadlines import Deadline
from motcua.worktime.calendar import (
    VN_TZ,
    Calendar,
    Session,
    add_working_time,
    builtin_calendar,
    sessions_on,
    weekly_sessions,
    working_time_between,
)

_MORNING = Session(dt.time(7, 30), dt.time(11, 30))
# A service centre that also opens on Saturday mornings and has one announced extra day off.
SATURDAY_CENTRE = Calendar(
    weekly_sessions=weekly_sessions(
        [(day, s.start, s.end) for day in range(5) for s in builtin_calendar().weekly_sessions[0]]
        + [(5, _MORNING.start, _MORNING.end)]
    ),
    extra_days_off=frozenset({dt.date(2026, 3, 13)}),
    extra_working_days=frozenset({dt.date(2026, 3, 15)}),
    name="Saturday centre",
)
calendars = st.sampled_from([builtin_calendar(), SATURDAY_CENTRE])

FIRST_DAY = dt.date(2025, 12, 1)
LAST_DAY = dt.date(2027, 3, 31)
US = dt.timedelta(microseconds=1)
RANK = {Timeliness.EARLY: 0, Timeliness.ON_TIME: 1, Timeliness.LATE: 2}
WAITS = st.sampled_from([Status.SUPPLEMENT_REQUESTED, Status.PAYMENT_REQUESTED])
PROCESSING_TIMES = st.tuples(st.integers(0, 30), st.sampled_from(["working_days", "working_hours"]))


def draw_instant(data: st.DataObject, cal: Calendar) -> dt.datetime:
    day = data.draw(st.dates(FIRST_DAY, LAST_DAY))
    sessions = sessions_on(cal, day)
    boundaries = [instant for pair in sessions for instant in pair]
    on_boundary: bool = bool(boundaries) and data.draw(st.booleans())
    if on_boundary:
        return data.draw(st.sampled_from(boundaries))
    midnight = dt.datetime(day.year, day.month, day.day, tzinfo=VN_TZ)
    return midnight + dt.timedelta(minutes=data.draw(st.integers(0, 24 * 60 - 1)))


def draw_later(data: st.DataObject, t: dt.datetime) -> dt.datetime:
    """An instant from ``t`` up to 40 days later, often exactly ``t`` or a few minutes after."""
    minutes = data.draw(st.one_of(st.integers(0, 10), st.integers(0, 40 * 24 * 60)))
    return t + dt.timedelta(minutes=minutes)


@settings(deadline=None)
@given(cal=calendars, data=st.data(), waited_in=WAITS, restart=st.booleans(), pt=PROCESSING_TIMES)
def test_resuming_never_makes_a_due_time_earlier(
    cal: Calendar,
    data: st.DataObject,
    waited_in: Status,
    restart: bool,
    pt: tuple[int, str],
) -> None:
    # given any deadline (possibly extended, possibly already passed) and any wait
    original = draw_instant(data, cal)
    deadline = Deadline(due_at=draw_later(data, original), original_due_at=original)
    paused_at = draw_instant(data, cal)
    resumed_at = draw_later(data, paused_at)

    resumed = deadlines.resume(
        cal,
        deadline,
        paused_at=paused_at,
        resumed_at=resumed_at,
        waited_in=waited_in,
        restart_on_supplement=restart,
        value=pt[0],
        unit=pt[1],
    )

    assert resumed.due_at >= deadline.due_at
    assert resumed.original_due_at >= deadline.original_due_at
    assert resumed.original_due_at <= resumed.due_at


@settings(deadline=None)
@given(cal=calendars, data=st.data(), waited_in=WAITS, pt=PROCESSING_TIMES)
def test_a_wait_without_working_time_leaves_the_deadline_unchanged(
    cal: Calendar, data: st.DataObject, waited_in: Status, pt: tuple[int, str]
) -> None:
    # given a pause and a resume with no working time between them: the resume lies between the
    # pause and the last instant before any working time accrues (the pause itself when the clock
    # would be running)
    paused_at = draw_instant(data, cal)
    last_idle = add_working_time(cal, paused_at, US) - US
    resumed_at = paused_at + US * data.draw(st.integers(0, (last_idle - paused_at) // US))
    assert working_time_between(cal, paused_at, resumed_at) == dt.timedelta(0)
    original = draw_instant(data, cal)
    deadline = Deadline(due_at=draw_later(data, original), original_due_at=original)

    # when the clock does not restart (a payment restarts nothing even when the procedure would)
    resumed = deadlines.resume(
        cal,
        deadline,
        paused_at=paused_at,
        resumed_at=resumed_at,
        waited_in=waited_in,
        restart_on_supplement=waited_in == Status.PAYMENT_REQUESTED,
        value=pt[0],
        unit=pt[1],
    )

    assert resumed == deadline


@settings(deadline=None)
@given(cal=calendars, data=st.data())
def test_timeliness_is_monotonic_in_the_finishing_time(cal: Calendar, data: st.DataObject) -> None:
    due_at = draw_instant(data, cal)
    earlier = draw_instant(data, cal)
    later = draw_later(data, earlier)

    first = deadlines.timeliness(cal, earlier, due_at)
    second = deadlines.timeliness(cal, later, due_at)

    assert RANK[first] <= RANK[second]


@settings(deadline=None)
@given(cal=calendars, data=st.data(), pt=PROCESSING_TIMES)
def test_whether_a_paused_dossier_is_overdue_agrees_with_its_projected_due_time(
    cal: Calendar, data: st.DataObject, pt: tuple[int, str]
) -> None:
    # given a due time computed from a receipt, and a pause at any instant not on it
    due_at = deadlines.initial_due(cal, draw_instant(data, cal), *pt)
    paused_at = draw_instant(data, cal)
    now = draw_later(data, paused_at)
    projected = deadlines.shift_by_wait(cal, due_at, paused_at=paused_at, resumed_at=now)
    overdue = deadlines.is_overdue(now, due_at, Status.SUPPLEMENT_REQUESTED, paused_at=paused_at)

    # then: paused with working time still left, it would not be late if the applicant came back
    # now; paused after the due time, it would be (at best due this very instant)
    if working_time_between(cal, paused_at, due_at) > dt.timedelta(0):
        assert not overdue
        assert projected > now
    elif paused_at > due_at:
        assert overdue
        assert projected <= now


@settings(deadline=None)
@given(cal=calendars, data=st.data(), pt=PROCESSING_TIMES)
def test_a_due_time_is_on_time_at_itself_and_late_just_after(
    cal: Calendar, data: st.DataObject, pt: tuple[int, str]
) -> None:
    due_at = deadlines.initial_due(cal, draw_instant(data, cal), *pt)

    assert deadlines.timeliness(cal, due_at, due_at) == Timeliness.ON_TIME
    assert deadlines.timeliness(cal, due_at + US, due_at) == Timeliness.LATE
