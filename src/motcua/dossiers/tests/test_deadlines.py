"""The deadline rules of API.md "Deadlines", on the built-in calendar with fixed instants.

The built-in calendar works Monday-Friday 07:30-11:30 and 13:30-17:00 (7.5 hours a day) with
Vietnam's holidays. In 2026 those include Tết from Monday 16 to Friday 20 February, Liberation
Day and Labour Day on Thursday 30 April and Friday 1 May, and Saturday 22 August as a swapped
working day. Expected times are worked out by hand in the comments.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from motcua.core.exceptions import ApplicationError
from motcua.dossiers import deadlines
from motcua.dossiers.constants import Status, Timeliness
from motcua.dossiers.deadlines import Deadline
from motcua.dossiers.exceptions import (
    AlreadyExtended,
    DossierError,
    ExtendAfterDue,
    ExtendNotLater,
    ExtensionRefused,
)
from motcua.worktime.calendar import VN_TZ, CalendarError, builtin_calendar

CAL = builtin_calendar()
DAYS = "working_days"
HOURS = "working_hours"
SUPPLEMENT = Status.SUPPLEMENT_REQUESTED
PAYMENT = Status.PAYMENT_REQUESTED


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """A wall-clock instant in Asia/Ho_Chi_Minh."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN_TZ)


def resume(
    deadline: Deadline,
    paused_at: dt.datetime,
    resumed_at: dt.datetime,
    *,
    waited_in: str = SUPPLEMENT,
    restart: bool = False,
    value: int = 5,
    unit: str = DAYS,
) -> Deadline:
    return deadlines.resume(
        CAL,
        deadline,
        paused_at=paused_at,
        resumed_at=resumed_at,
        waited_in=waited_in,
        restart_on_supplement=restart,
        value=value,
        unit=unit,
    )


# -- receipt outside working time ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("received_at", "expected"),
    [
        pytest.param(at(2026, 3, 3, 10, 15), at(2026, 3, 3, 10, 15), id="in a session"),
        pytest.param(at(2026, 3, 3, 6, 0), at(2026, 3, 3, 7, 30), id="before opening"),
        pytest.param(at(2026, 3, 3, 12, 0), at(2026, 3, 3, 13, 30), id="lunch"),
        pytest.param(at(2026, 3, 3, 18, 30), at(2026, 3, 4, 7, 30), id="evening"),
        pytest.param(at(2026, 3, 3, 17, 0), at(2026, 3, 3, 17, 0), id="at closing: still today"),
        pytest.param(at(2026, 3, 7, 9, 0), at(2026, 3, 9, 7, 30), id="Saturday"),
        pytest.param(at(2026, 4, 30, 9, 0), at(2026, 5, 4, 7, 30), id="30 April, 1 May, weekend"),
        pytest.param(at(2026, 2, 17, 9, 0), at(2026, 2, 23, 7, 30), id="Tết"),
        pytest.param(at(2026, 8, 22, 9, 0), at(2026, 8, 22, 9, 0), id="swapped Saturday"),
    ],
)
def test_clock_starts_at_the_next_working_session(
    received_at: dt.datetime, expected: dt.datetime
) -> None:
    # given a dossier received at received_at; when its clock starts; then
    assert deadlines.clock_start(CAL, received_at) == expected


def test_clock_start_is_given_in_vietnam_time() -> None:
    # given a receipt stamped in UTC (as the database returns it): 03:00 UTC is 10:00 in Hà Nội
    received_at = dt.datetime(2026, 3, 3, 3, 0, tzinfo=dt.UTC)

    started = deadlines.clock_start(CAL, received_at)

    assert started == at(2026, 3, 3, 10, 0)
    assert started.tzinfo == VN_TZ


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(CalendarError):
        deadlines.clock_start(CAL, dt.datetime(2026, 3, 3, 10, 0))


# -- initial due time -----------------------------------------------------------------------------


def test_api_example_monday_0900_plus_three_working_days_is_thursday_0900() -> None:
    # Monday 09:00-17:00 is 6 h, Tuesday and Wednesday 7.5 h each (21 h), Thursday 07:30 + 1.5 h.
    assert deadlines.initial_due(CAL, at(2026, 3, 2, 9, 0), 3, DAYS) == at(2026, 3, 5, 9, 0)


def test_one_working_day_before_tet_ends_after_tet() -> None:
    # Friday 13 Feb 16:00-17:00 is 1 h; Tết is 16-20 Feb; Monday 23 Feb: 4 h in the morning,
    # then 13:30 + 2.5 h.
    assert deadlines.initial_due(CAL, at(2026, 2, 13, 16, 0), 1, DAYS) == at(2026, 2, 23, 16, 0)


def test_working_hours_run_over_the_night() -> None:
    # Tuesday 10:00-11:30 and 13:30-17:00 is 5 h; Wednesday 07:30 + 3 h.
    assert deadlines.initial_due(CAL, at(2026, 3, 3, 10, 0), 8, HOURS) == at(2026, 3, 4, 10, 30)


def test_due_time_skips_the_april_holidays() -> None:
    # Wednesday 29 Apr 09:00-17:00 is 6 h; 30 Apr and 1 May are holidays, then a weekend;
    # Monday 4 May 7.5 h (13.5 h); Tuesday 5 May 07:30 + 1.5 h.
    assert deadlines.initial_due(CAL, at(2026, 4, 29, 9, 0), 2, DAYS) == at(2026, 5, 5, 9, 0)


def test_half_a_working_day_is_exact() -> None:
    # 0.5 x 7.5 h = 3 h 45 min from the opening.
    due = deadlines.initial_due(CAL, at(2026, 3, 2, 7, 30), Decimal("0.5"), DAYS)
    assert due == at(2026, 3, 2, 11, 15)


def test_receipt_on_friday_evening_counts_from_monday_and_ends_at_a_session_end() -> None:
    # given a dossier received Friday 6 Mar at 18:00 for 2 working days
    started = deadlines.clock_start(CAL, at(2026, 3, 6, 18, 0))

    due = deadlines.initial_due(CAL, started, 2, DAYS)

    # then the clock starts Monday 07:30 and two full days end at Tuesday's closing time
    assert started == at(2026, 3, 9, 7, 30)
    assert due == at(2026, 3, 10, 17, 0)


def test_receipt_at_lunch_counts_from_the_afternoon() -> None:
    started = deadlines.clock_start(CAL, at(2026, 3, 3, 12, 0))

    due = deadlines.initial_due(CAL, started, 1, DAYS)

    # Tuesday 13:30-17:00 is 3.5 h, Wednesday's morning the other 4 h: the day runs out exactly at
    # Wednesday 11:30, which is the due time (a session's end, not the 13:30 reopening)
    assert started == at(2026, 3, 3, 13, 30)
    assert due == at(2026, 3, 4, 11, 30)


# -- clock stops ----------------------------------------------------------------------------------


def test_pause_keeps_the_instant_and_refuses_statuses_that_do_not_wait() -> None:
    assert deadlines.pause(at(2026, 3, 6, 18, 0), waiting_in=PAYMENT) == at(2026, 3, 6, 18, 0)
    with pytest.raises(ValueError, match="waiting for the applicant"):
        deadlines.pause(at(2026, 3, 6, 18, 0), waiting_in=Status.PROCESSING)


def test_supplement_over_tet_moves_both_due_times_by_the_working_time_waited() -> None:
    # given a dossier received Monday 9 Feb 09:00 for 5 working days (37.5 h): Monday 6 h,
    # Tuesday-Friday 30 h, then after Tết Monday 23 Feb 07:30 + 1.5 h
    due = deadlines.initial_due(CAL, at(2026, 2, 9, 9, 0), 5, DAYS)
    assert due == at(2026, 2, 23, 9, 0)

    # when a supplement is requested Thursday 12 Feb 10:00 and supplied Tuesday 24 Feb 09:00
    resumed = resume(Deadline(due, due), at(2026, 2, 12, 10, 0), at(2026, 2, 24, 9, 0))

    # then the wait counted 21.5 working hours: Thursday 10:00-17:00 5 h, Friday 13 Feb 7.5 h,
    # Tết none, Monday 23 Feb 7.5 h, Tuesday 07:30-09:00 1.5 h. From Monday 23 Feb 09:00 that is
    # Monday 6 h, Tuesday 7.5 h, Wednesday 7.5 h (21 h), Thursday 26 Feb 07:30 + 0.5 h.
    assert resumed == Deadline(due_at=at(2026, 2, 26, 8, 0), original_due_at=at(2026, 2, 26, 8, 0))


def test_supplement_over_tet_restarts_the_clock_when_the_procedure_says_so() -> None:
    due = at(2026, 2, 23, 9, 0)  # as above: received Monday 9 Feb 09:00, 5 working days

    resumed = resume(
        Deadline(due, due), at(2026, 2, 12, 10, 0), at(2026, 2, 24, 9, 0), restart=True
    )

    # then 5 full working days count from Tuesday 24 Feb 09:00: Tuesday 6 h, Wednesday 25 Feb to
    # Monday 2 Mar 30 h, Tuesday 3 Mar 07:30 + 1.5 h
    assert resumed == Deadline(due_at=at(2026, 3, 3, 9, 0), original_due_at=at(2026, 3, 3, 9, 0))


def test_a_payment_wait_only_shifts_even_for_a_restarting_procedure() -> None:
    due = at(2026, 2, 23, 9, 0)

    resumed = resume(
        Deadline(due, due),
        at(2026, 2, 12, 10, 0),
        at(2026, 2, 24, 9, 0),
        waited_in=PAYMENT,
        restart=True,
    )

    assert resumed == Deadline(due_at=at(2026, 2, 26, 8, 0), original_due_at=at(2026, 2, 26, 8, 0))


def test_payment_wait_shifts_the_due_time() -> None:
    # given due Thursday 5 Mar 09:00; payment requested Tuesday 15:00, paid Wednesday 08:00
    due = at(2026, 3, 5, 9, 0)

    resumed = resume(
        Deadline(due, due), at(2026, 3, 3, 15, 0), at(2026, 3, 4, 8, 0), waited_in=PAYMENT
    )

    # then 2.5 working hours were waited (Tuesday 15:00-17:00, Wednesday 07:30-08:00), so the due
    # time ends exactly at Thursday's lunch break
    assert resumed == Deadline(
        due_at=at(2026, 3, 5, 11, 30), original_due_at=at(2026, 3, 5, 11, 30)
    )


def test_a_wait_outside_working_time_changes_nothing() -> None:
    # given a supplement requested Friday 17:30 and supplied Saturday 10:00
    deadline = Deadline(at(2026, 3, 10, 9, 0), at(2026, 3, 10, 9, 0))

    assert resume(deadline, at(2026, 3, 6, 17, 30), at(2026, 3, 7, 10, 0)) == deadline


def test_clock_stops_move_the_original_due_time_but_keep_the_extension_apart() -> None:
    # given an extended dossier: first due Thursday 5 Mar 09:00, extended to Tuesday 10 Mar 09:00
    deadline = Deadline(due_at=at(2026, 3, 10, 9, 0), original_due_at=at(2026, 3, 5, 9, 0))

    # when it waits for a supplement from Wednesday 09:00 to 11:00 (2 working hours)
    resumed = resume(deadline, at(2026, 3, 4, 9, 0), at(2026, 3, 4, 11, 0))

    # then both move by 2 working hours
    assert resumed == Deadline(due_at=at(2026, 3, 10, 11, 0), original_due_at=at(2026, 3, 5, 11, 0))


def test_a_restart_keeps_the_date_promised_by_an_extension() -> None:
    # given first due Thursday 5 Mar 09:00, extended to Friday 20 Mar 09:00, a 3-day procedure
    # that restarts on supplement; waiting on Wednesday 4 Mar from 09:00 to 10:00
    deadline = Deadline(due_at=at(2026, 3, 20, 9, 0), original_due_at=at(2026, 3, 5, 9, 0))

    resumed = resume(deadline, at(2026, 3, 4, 9, 0), at(2026, 3, 4, 10, 0), restart=True, value=3)

    # then the restart gives Wednesday 10:00 + 22.5 h: Wednesday 5 h, Thursday and Friday 15 h,
    # Monday 9 Mar 07:30 + 2.5 h. The original due time takes it; the promised Friday 20 Mar
    # moves by the 1 working hour waited and is kept because it is later.
    assert resumed == Deadline(due_at=at(2026, 3, 20, 10, 0), original_due_at=at(2026, 3, 9, 10, 0))


def test_a_restart_on_a_saturday_counts_from_monday_opening() -> None:
    # given received Monday 2 Mar 09:00 for 1 working day (due Tuesday 09:00), a supplement
    # requested Monday 14:00 and supplied on Saturday 7 Mar
    deadline = Deadline(at(2026, 3, 3, 9, 0), at(2026, 3, 3, 9, 0))

    resumed = resume(deadline, at(2026, 3, 2, 14, 0), at(2026, 3, 7, 10, 0), restart=True, value=1)

    # then the complete dossier counts as received Monday 9 Mar 07:30, due at that day's closing
    assert resumed == Deadline(at(2026, 3, 9, 17, 0), at(2026, 3, 9, 17, 0))


def test_a_resume_stamped_before_its_pause_counts_as_immediate() -> None:
    deadline = Deadline(at(2026, 3, 5, 9, 0), at(2026, 3, 5, 9, 0))
    paused_at = at(2026, 3, 4, 10, 0)

    resumed = resume(deadline, paused_at, paused_at - dt.timedelta(milliseconds=3))

    assert resumed == deadline


def test_resume_refuses_a_status_that_is_not_a_wait() -> None:
    deadline = Deadline(at(2026, 3, 5, 9, 0), at(2026, 3, 5, 9, 0))
    with pytest.raises(ValueError, match="waiting for the applicant"):
        resume(deadline, at(2026, 3, 4, 9, 0), at(2026, 3, 4, 10, 0), waited_in=Status.PROCESSING)


def test_resume_answers_in_vietnam_time() -> None:
    # given instants as the database returns them (UTC)
    utc = dt.UTC
    deadline = Deadline(
        dt.datetime(2026, 3, 5, 2, 0, tzinfo=utc), dt.datetime(2026, 3, 5, 2, 0, tzinfo=utc)
    )

    resumed = resume(
        deadline,
        dt.datetime(2026, 3, 4, 2, 0, tzinfo=utc),  # Wednesday 09:00 in Hà Nội
        dt.datetime(2026, 3, 4, 3, 0, tzinfo=utc),  # 10:00
    )

    assert resumed.due_at == at(2026, 3, 5, 10, 0)
    assert resumed.due_at.tzinfo == VN_TZ
    assert resumed.original_due_at.tzinfo == VN_TZ


@pytest.mark.parametrize(
    ("waited_in", "restart_on_supplement", "expected"),
    [
        (SUPPLEMENT, True, True),
        (SUPPLEMENT, False, False),
        (PAYMENT, True, False),
        (PAYMENT, False, False),
    ],
)
def test_only_a_supplement_restarts_and_only_when_the_procedure_says_so(
    waited_in: str, restart_on_supplement: bool, expected: bool
) -> None:
    assert deadlines.restarts_clock(waited_in, restart_on_supplement) is expected


def test_a_running_step_moves_with_the_wait() -> None:
    # given a step due Wednesday 4 Mar 10:30; the dossier waited Tuesday 16:00 to Wednesday 08:00
    shifted = deadlines.shift_by_wait(
        CAL, at(2026, 3, 4, 10, 30), paused_at=at(2026, 3, 3, 16, 0), resumed_at=at(2026, 3, 4, 8)
    )

    # then 1.5 working hours later (16:00-17:00 and 07:30-08:00 waited): 10:30-11:30, 13:30-14:00
    assert shifted == at(2026, 3, 4, 14, 0)


def test_a_zero_wait_keeps_a_due_time_outside_working_time() -> None:
    # an extension may have chosen a Saturday; a wait over a night moves nothing
    saturday = at(2026, 3, 14, 10, 0)
    shifted = deadlines.shift_by_wait(
        CAL, saturday, paused_at=at(2026, 3, 9, 18, 0), resumed_at=at(2026, 3, 9, 19, 0)
    )
    assert shifted == saturday


# -- extend ---------------------------------------------------------------------------------------


def test_extend_before_the_due_time_sets_the_new_one() -> None:
    new = deadlines.extend(
        CAL, at(2026, 3, 3, 10, 0), at(2026, 3, 5, 9, 0), at(2026, 3, 9, 9, 0), False
    )
    assert new == at(2026, 3, 9, 9, 0)
    assert new.tzinfo == VN_TZ


def test_extend_once_only() -> None:
    with pytest.raises(AlreadyExtended) as refused:
        deadlines.extend(
            CAL, at(2026, 3, 3, 10, 0), at(2026, 3, 5, 9, 0), at(2026, 3, 9, 9, 0), True
        )

    assert refused.value.code == "extend_once"
    assert refused.value.status == 422
    assert isinstance(refused.value, ExtensionRefused)
    assert isinstance(refused.value, DossierError)
    assert isinstance(refused.value, ApplicationError)
    assert list(refused.value.errors) == ["new_due_at"]


@pytest.mark.parametrize(
    "now",
    [
        pytest.param(at(2026, 3, 5, 9, 0), id="at the due time"),
        pytest.param(at(2026, 3, 5, 9, 0) + dt.timedelta(microseconds=1), id="just after"),
        pytest.param(at(2026, 3, 6, 8, 0), id="the next day"),
    ],
)
def test_extend_only_before_the_due_time(now: dt.datetime) -> None:
    with pytest.raises(ExtendAfterDue) as refused:
        deadlines.extend(CAL, now, at(2026, 3, 5, 9, 0), at(2026, 3, 9, 9, 0), False)

    assert refused.value.code == "extend_after_due"
    assert refused.value.status == 422
    assert refused.value.extra == {"due_at": "2026-03-05T09:00:00+07:00"}


@pytest.mark.parametrize(
    ("due_at", "new_due_at"),
    [
        pytest.param(at(2026, 3, 5, 9, 0), at(2026, 3, 5, 9, 0), id="the same"),
        pytest.param(at(2026, 3, 5, 9, 0), at(2026, 3, 4, 9, 0), id="earlier"),
        pytest.param(at(2026, 3, 6, 17, 0), at(2026, 3, 7, 10, 0), id="Friday 17:00 to Saturday"),
        pytest.param(at(2026, 3, 5, 11, 30), at(2026, 3, 5, 13, 30), id="over lunch"),
    ],
)
def test_extend_must_add_working_time(due_at: dt.datetime, new_due_at: dt.datetime) -> None:
    with pytest.raises(ExtendNotLater) as refused:
        deadlines.extend(CAL, at(2026, 3, 3, 10, 0), due_at, new_due_at, False)

    assert refused.value.code == "extend_not_later"
    assert refused.value.status == 422


def test_the_once_rule_is_reported_before_the_others() -> None:
    # after the due time and not later either: the "once" rule is the one reported
    with pytest.raises(AlreadyExtended):
        deadlines.extend(CAL, at(2026, 3, 6, 10, 0), at(2026, 3, 5, 9, 0), at(2026, 3, 4, 9), True)


# -- timeliness -----------------------------------------------------------------------------------

DUE = at(2026, 3, 5, 10, 0)  # Thursday


@pytest.mark.parametrize(
    ("resolved_at", "expected"),
    [
        pytest.param(at(2026, 3, 4, 16, 0), Timeliness.EARLY, id="the day before"),
        pytest.param(at(2026, 3, 4, 23, 59), Timeliness.EARLY, id="the evening before"),
        pytest.param(at(2026, 3, 5, 7, 0), Timeliness.ON_TIME, id="on the day before opening"),
        pytest.param(at(2026, 3, 5, 9, 59), Timeliness.ON_TIME, id="the minute before"),
        pytest.param(DUE, Timeliness.ON_TIME, id="at the due minute"),
        pytest.param(DUE + dt.timedelta(microseconds=1), Timeliness.LATE, id="just after"),
        pytest.param(at(2026, 3, 5, 10, 1), Timeliness.LATE, id="the minute after"),
        pytest.param(at(2026, 3, 6, 8, 0), Timeliness.LATE, id="the next day"),
    ],
)
def test_timeliness_boundaries(resolved_at: dt.datetime, expected: Timeliness) -> None:
    assert deadlines.timeliness(CAL, resolved_at, DUE) == expected


def test_timeliness_compares_dates_in_vietnam_time() -> None:
    # 17:30 UTC on 4 March is 00:30 on 5 March in Hà Nội: the due day, so on time, not early
    resolved_at = dt.datetime(2026, 3, 4, 17, 30, tzinfo=dt.UTC)
    assert deadlines.timeliness(CAL, resolved_at, DUE) == Timeliness.ON_TIME


def test_timeliness_around_tet() -> None:
    # a due time at Friday 13 Feb's closing belongs to that Friday
    friday_close = at(2026, 2, 13, 17, 0)
    assert deadlines.timeliness(CAL, at(2026, 2, 12, 15, 0), friday_close) == Timeliness.EARLY
    assert deadlines.timeliness(CAL, friday_close, friday_close) == Timeliness.ON_TIME
    assert deadlines.timeliness(CAL, at(2026, 2, 13, 17, 30), friday_close) == Timeliness.LATE
    # for a due time after Tết, work done before or during Tết is early
    after_tet = at(2026, 2, 23, 9, 0)
    assert deadlines.timeliness(CAL, at(2026, 2, 13, 15, 0), after_tet) == Timeliness.EARLY
    assert deadlines.timeliness(CAL, at(2026, 2, 18, 10, 0), after_tet) == Timeliness.EARLY


def test_an_extended_dossier_finishing_after_its_original_due_time_is_late() -> None:
    # given first due Thursday 5 Mar 10:00, extended to Monday 9 Mar 10:00
    deadline = Deadline(due_at=at(2026, 3, 9, 10, 0), original_due_at=DUE)
    resolved_at = at(2026, 3, 6, 9, 0)

    # then finishing Friday, before the extended time, is neither overdue nor on time
    assert not deadlines.is_overdue(resolved_at, deadline.due_at, Status.PROCESSING)
    assert deadlines.timeliness(CAL, resolved_at, deadline.original_due_at) == Timeliness.LATE


def test_a_due_time_outside_working_time_belongs_to_the_next_working_day() -> None:
    # an extension may pick Saturday 7 Mar 12:00; its working day is Monday 9 Mar
    saturday = at(2026, 3, 7, 12, 0)
    assert deadlines.timeliness(CAL, at(2026, 3, 7, 11, 0), saturday) == Timeliness.EARLY
    assert deadlines.timeliness(CAL, at(2026, 3, 7, 12, 1), saturday) == Timeliness.LATE


# -- overdue --------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.RECEIVED, Status.PROCESSING])
def test_a_running_dossier_is_overdue_after_its_due_time(status: Status) -> None:
    assert not deadlines.is_overdue(DUE - dt.timedelta(minutes=1), DUE, status)
    assert not deadlines.is_overdue(DUE, DUE, status)
    assert deadlines.is_overdue(DUE + dt.timedelta(microseconds=1), DUE, status)


@pytest.mark.parametrize(
    "status", [Status.SUPPLEMENT_REQUESTED, Status.PAYMENT_REQUESTED, Status.WITHDRAWAL_REQUESTED]
)
def test_a_stopped_dossier_is_overdue_only_if_it_was_when_the_clock_stopped(status: Status) -> None:
    long_after = at(2026, 6, 1, 9, 0)
    # stopped before the due time: never overdue while waiting
    assert not deadlines.is_overdue(long_after, DUE, status, paused_at=at(2026, 3, 4, 9, 0))
    assert not deadlines.is_overdue(long_after, DUE, status, paused_at=DUE)
    # stopped after the due time had passed: the wait does not excuse it
    assert deadlines.is_overdue(long_after, DUE, status, paused_at=at(2026, 3, 5, 10, 1))
    # no record of when it stopped
    assert not deadlines.is_overdue(long_after, DUE, status)


@pytest.mark.parametrize(
    "status",
    [
        Status.DRAFT,
        Status.SUBMITTED,
        Status.REFUSED,
        Status.RESOLVED,
        Status.RETURNED,
        Status.STOPPED,
    ],
)
def test_dossiers_not_pending_are_never_overdue(status: Status) -> None:
    long_after = at(2026, 6, 1, 9, 0)
    assert not deadlines.is_overdue(long_after, DUE, status, paused_at=long_after)


def test_a_dossier_without_a_due_time_is_not_overdue() -> None:
    assert not deadlines.is_overdue(at(2026, 6, 1, 9, 0), None, Status.PROCESSING)


def test_is_overdue_accepts_the_stored_status_string() -> None:
    assert deadlines.is_overdue(at(2026, 6, 1, 9, 0), DUE, "processing")


# -- steps of the control slip --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("started_at", "budget_hours", "expected"),
    [
        # Tuesday 15:00-17:00 is 2 h; Wednesday 07:30 + 2 h
        pytest.param(at(2026, 3, 3, 15, 0), Decimal(4), at(2026, 3, 4, 9, 30), id="overnight"),
        # 11:15-11:30 is 15 min; 13:30 + 15 min
        pytest.param(at(2026, 3, 3, 11, 15), Decimal("0.5"), at(2026, 3, 3, 13, 45), id="lunch"),
        # Friday 13 Feb 14:00-17:00 is 3 h; Monday 23 Feb 4 h in the morning, 13:30 + 1 h
        pytest.param(at(2026, 2, 13, 14, 0), 8, at(2026, 2, 23, 14, 30), id="over Tết"),
        pytest.param(at(2026, 3, 7, 9, 0), 4, at(2026, 3, 9, 11, 30), id="started on Saturday"),
        pytest.param(at(2026, 3, 3, 10, 0), 0, at(2026, 3, 3, 10, 0), id="no budget"),
    ],
)
def test_step_due(
    started_at: dt.datetime, budget_hours: Decimal | int, expected: dt.datetime
) -> None:
    assert deadlines.step_due(CAL, started_at, budget_hours) == expected


@pytest.mark.parametrize(
    ("finished_at", "expected"),
    [
        pytest.param(at(2026, 3, 3, 16, 0), Timeliness.EARLY, id="the day before"),
        pytest.param(at(2026, 3, 4, 8, 0), Timeliness.ON_TIME, id="on the day"),
        pytest.param(at(2026, 3, 4, 9, 30), Timeliness.ON_TIME, id="at the due minute"),
        pytest.param(at(2026, 3, 4, 9, 31), Timeliness.LATE, id="after"),
    ],
)
def test_step_timeliness(finished_at: dt.datetime, expected: Timeliness) -> None:
    assert deadlines.step_timeliness(CAL, finished_at, at(2026, 3, 4, 9, 30)) == expected
