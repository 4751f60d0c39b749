"""Fixed cases of the pure working-time module, on the default calendar and on variations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from motcua.worktime.calendar import (
    DEFAULT_SESSIONS,
    VN_TZ,
    WORKING_DAYS,
    WORKING_HOURS,
    Calendar,
    CalendarError,
    NoWorkingTimeError,
    Session,
    add_working_time,
    builtin_calendar,
    full_working_day,
    irregular_days,
    is_working_day,
    next_working_instant,
    processing_time_to_delta,
    sessions_on,
    weekly_sessions,
    working_day_of,
    working_time_between,
)

CAL = builtin_calendar()


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN_TZ)


def days(cal: Calendar, value: int | Decimal) -> dt.timedelta:
    return processing_time_to_delta(cal, value, WORKING_DAYS)


def hours(value: int | Decimal) -> dt.timedelta:
    return processing_time_to_delta(CAL, value, WORKING_HOURS)


class TestDefaultCalendar:
    def test_full_working_day_is_seven_and_a_half_hours(self) -> None:
        assert full_working_day(CAL) == dt.timedelta(hours=7, minutes=30)

    def test_api_example_monday_nine_plus_three_days_is_thursday_nine(self) -> None:
        # Given a dossier received Monday 2 March 2026 at 09:00 (no holiday that week)
        received = at(2026, 3, 2, 9)
        # When three working days are added
        due = add_working_time(CAL, received, days(CAL, 3))
        # Then it is due Thursday at 09:00
        assert due == at(2026, 3, 5, 9)

    def test_swapped_saturday_is_a_working_day_with_full_sessions(self) -> None:
        assert is_working_day(CAL, dt.date(2026, 8, 22))
        assert sessions_on(CAL, dt.date(2026, 8, 22)) == (
            (at(2026, 8, 22, 7, 30), at(2026, 8, 22, 11, 30)),
            (at(2026, 8, 22, 13, 30), at(2026, 8, 22, 17)),
        )

    def test_ordinary_saturday_is_not_a_working_day(self) -> None:
        assert not is_working_day(CAL, dt.date(2026, 8, 15))

    @pytest.mark.parametrize(
        "day",
        [
            dt.date(2026, 8, 31),  # substituted day off for the swapped Saturday 22 August
            dt.date(2026, 11, 24),  # Vietnam Cultural Day
            dt.date(2026, 9, 2),  # National Day
            dt.date(2026, 2, 17),  # Tết
        ],
    )
    def test_national_days_off(self, day: dt.date) -> None:
        assert not is_working_day(CAL, day)

    def test_tet_between_friday_and_the_due_day(self) -> None:
        # Received Friday 13 Feb 2026 16:00: 1 h that day, Tết 16-20 Feb, then 6.5 h on Monday 23.
        due = add_working_time(CAL, at(2026, 2, 13, 16), days(CAL, 1))
        assert due == at(2026, 2, 23, 16)

    def test_received_on_saturday_counts_from_monday_morning(self) -> None:
        received = at(2026, 3, 7, 10)
        assert next_working_instant(CAL, received) == at(2026, 3, 9, 7, 30)
        assert add_working_time(CAL, received, days(CAL, 1)) == at(2026, 3, 9, 17)

    def test_received_after_closing_counts_from_next_morning(self) -> None:
        received = at(2026, 3, 3, 17, 20)
        assert next_working_instant(CAL, received) == at(2026, 3, 4, 7, 30)
        assert add_working_time(CAL, received, hours(2)) == at(2026, 3, 4, 9, 30)

    def test_received_at_lunch_counts_from_half_past_one(self) -> None:
        received = at(2026, 3, 3, 12, 5)
        assert next_working_instant(CAL, received) == at(2026, 3, 3, 13, 30)
        assert add_working_time(CAL, received, hours(1)) == at(2026, 3, 3, 14, 30)

    def test_received_before_opening_counts_from_opening(self) -> None:
        assert next_working_instant(CAL, at(2026, 3, 3, 6)) == at(2026, 3, 3, 7, 30)

    def test_inside_a_session_is_its_own_next_working_instant(self) -> None:
        assert next_working_instant(CAL, at(2026, 3, 3, 10, 17)) == at(2026, 3, 3, 10, 17)

    def test_session_end_belongs_to_the_session(self) -> None:
        assert next_working_instant(CAL, at(2026, 3, 3, 17)) == at(2026, 3, 3, 17)
        assert next_working_instant(CAL, at(2026, 3, 3, 11, 30)) == at(2026, 3, 3, 11, 30)

    def test_running_out_at_session_end_returns_the_end(self) -> None:
        # Monday 07:30 + 1 working day ends at Monday 17:00, not Tuesday 07:30.
        assert add_working_time(CAL, at(2026, 3, 2, 7, 30), days(CAL, 1)) == at(2026, 3, 2, 17)
        # Friday 13:30 + 3.5 h ends at Friday 17:00, not Monday 07:30.
        assert add_working_time(CAL, at(2026, 3, 6, 13, 30), hours(Decimal("3.5"))) == at(
            2026, 3, 6, 17
        )
        assert add_working_time(CAL, at(2026, 3, 2, 9), hours(Decimal("2.5"))) == at(
            2026, 3, 2, 11, 30
        )

    def test_adding_zero_is_the_next_working_instant(self) -> None:
        assert add_working_time(CAL, at(2026, 3, 7, 10), dt.timedelta(0)) == at(2026, 3, 9, 7, 30)
        assert add_working_time(CAL, at(2026, 3, 3, 9), dt.timedelta(0)) == at(2026, 3, 3, 9)

    def test_half_a_day_expressed_in_hours(self) -> None:
        # Procedures with half a day publish it as hours: 4 working hours from 09:00 skips lunch.
        assert add_working_time(CAL, at(2026, 3, 3, 9), hours(4)) == at(2026, 3, 3, 15)

    def test_half_a_working_day_is_half_the_day_length(self) -> None:
        assert days(CAL, Decimal("0.5")) == dt.timedelta(hours=3, minutes=45)
        assert add_working_time(CAL, at(2026, 3, 3, 9), days(CAL, Decimal("0.5"))) == at(
            2026, 3, 3, 14, 45
        )

    def test_long_processing_time_over_many_holidays(self) -> None:
        # 2026 has 249 working days on the default calendar: 365 - 104 weekend days - 13
        # weekday holidays (Tết 16-20 Feb, 1 Jan, 27 Apr, 30 Apr, 1 May, 31 Aug, 1-2 Sep,
        # 24 Nov) + 1 swapped Saturday.
        year = working_time_between(CAL, at(2026, 1, 1), at(2027, 1, 1))
        assert year == 249 * full_working_day(CAL)
        assert add_working_time(CAL, at(2026, 1, 1), year) == at(2026, 12, 31, 17)

    def test_working_time_between(self) -> None:
        assert working_time_between(CAL, at(2026, 3, 2, 9), at(2026, 3, 5, 9)) == days(CAL, 3)
        assert working_time_between(CAL, at(2026, 3, 2, 12), at(2026, 3, 2, 13)) == dt.timedelta(0)
        assert working_time_between(CAL, at(2026, 3, 5, 9), at(2026, 3, 2, 9)) == dt.timedelta(0)
        assert working_time_between(CAL, at(2026, 3, 6, 16), at(2026, 3, 9, 8)) == dt.timedelta(
            hours=1, minutes=30
        )

    def test_working_day_of(self) -> None:
        assert working_day_of(CAL, at(2026, 3, 6, 17)) == dt.date(2026, 3, 6)
        assert working_day_of(CAL, at(2026, 3, 6, 17, 1)) == dt.date(2026, 3, 9)
        assert working_day_of(CAL, at(2026, 3, 7, 12)) == dt.date(2026, 3, 9)
        assert working_day_of(CAL, at(2026, 3, 3, 12)) == dt.date(2026, 3, 3)

    def test_other_time_zones_are_converted_and_results_are_in_vietnam_time(self) -> None:
        received = dt.datetime(2026, 3, 2, 2, tzinfo=dt.UTC)  # 09:00 in Hà Nội
        due = add_working_time(CAL, received, days(CAL, 3))
        assert due == at(2026, 3, 5, 9)
        assert due.tzinfo == ZoneInfo("Asia/Ho_Chi_Minh")
        assert due.utcoffset() == dt.timedelta(hours=7)

    def test_naive_datetimes_are_refused(self) -> None:
        with pytest.raises(CalendarError, match="timezone-aware"):
            next_working_instant(CAL, dt.datetime(2026, 3, 2, 9))

    def test_negative_amounts_are_refused(self) -> None:
        with pytest.raises(CalendarError, match="negative"):
            add_working_time(CAL, at(2026, 3, 2, 9), dt.timedelta(hours=-1))
        with pytest.raises(CalendarError, match="negative"):
            processing_time_to_delta(CAL, -1, WORKING_DAYS)

    def test_unknown_unit_is_refused(self) -> None:
        with pytest.raises(CalendarError, match="Unknown processing time unit"):
            processing_time_to_delta(CAL, 1, "calendar_days")


class TestOverrides:
    def test_extra_day_off_pushes_the_due_date(self) -> None:
        cal = Calendar(extra_days_off=frozenset({dt.date(2026, 3, 4)}))
        assert not is_working_day(cal, dt.date(2026, 3, 4))
        assert add_working_time(cal, at(2026, 3, 2, 9), days(cal, 3)) == at(2026, 3, 6, 9)

    def test_extra_working_day_on_a_sunday_uses_monday_sessions(self) -> None:
        cal = Calendar(extra_working_days=frozenset({dt.date(2026, 3, 8)}))
        assert sessions_on(cal, dt.date(2026, 3, 8)) == (
            (at(2026, 3, 8, 7, 30), at(2026, 3, 8, 11, 30)),
            (at(2026, 3, 8, 13, 30), at(2026, 3, 8, 17)),
        )
        # Friday 09:00 + 1 day: 6 h on Friday, 1.5 h on the working Sunday.
        assert add_working_time(cal, at(2026, 3, 6, 9), days(cal, 1)) == at(2026, 3, 8, 9)

    def test_extra_working_day_cancels_a_national_holiday(self) -> None:
        cal = Calendar(extra_working_days=frozenset({dt.date(2026, 11, 24)}))
        assert is_working_day(cal, dt.date(2026, 11, 24))
        assert not is_working_day(CAL, dt.date(2026, 11, 24))

    def test_extra_day_off_wins_over_a_swapped_saturday(self) -> None:
        cal = Calendar(extra_days_off=frozenset({dt.date(2026, 8, 22)}))
        assert not is_working_day(cal, dt.date(2026, 8, 22))

    def test_a_date_cannot_be_both(self) -> None:
        day = dt.date(2026, 3, 4)
        with pytest.raises(CalendarError, match="both"):
            Calendar(extra_days_off=frozenset({day}), extra_working_days=frozenset({day}))

    def test_irregular_days_list_what_differs_from_the_week(self) -> None:
        cal = Calendar(
            extra_days_off=frozenset({dt.date(2026, 8, 5), dt.date(2026, 8, 9)}),
            extra_working_days=frozenset({dt.date(2026, 8, 16), dt.date(2026, 8, 19)}),
        )
        assert irregular_days(cal, dt.date(2026, 8, 1), dt.date(2026, 9, 1)) == (
            (dt.date(2026, 8, 5), False),  # a Wednesday made a day off
            # 9 August: a Sunday made a day off changes nothing; 19 August: a Wednesday
            # made a working day neither.
            (dt.date(2026, 8, 16), True),  # a Sunday made a working day
            (dt.date(2026, 8, 22), True),  # the swapped Saturday
            (dt.date(2026, 8, 31), False),  # its substitute day off
            (dt.date(2026, 9, 1), False),  # National Day
        )
        assert irregular_days(cal, dt.date(2026, 12, 30), dt.date(2027, 1, 2)) == (
            (dt.date(2027, 1, 1), False),
        )

    def test_without_national_holidays_tet_is_worked(self) -> None:
        cal = Calendar(holidays=None)
        assert is_working_day(cal, dt.date(2026, 2, 17))
        assert not is_working_day(cal, dt.date(2026, 8, 22))


class TestCustomWeeks:
    def test_saturday_morning_service_center(self) -> None:
        saturday_morning = Session(dt.time(7, 30), dt.time(11, 30))
        weekly = (*[DEFAULT_SESSIONS] * 5, (saturday_morning,), ())
        cal = Calendar(weekly_sessions=weekly)
        assert full_working_day(cal) == dt.timedelta(hours=7, minutes=30)
        # Friday 16:00 + 1 day: 1 h Friday, 4 h Saturday morning, 2.5 h Monday.
        assert add_working_time(cal, at(2026, 3, 6, 16), days(cal, 1)) == at(2026, 3, 9, 10)
        # A swapped Saturday keeps the center's own Saturday sessions.
        assert sessions_on(cal, dt.date(2026, 8, 22)) == (
            (at(2026, 8, 22, 7, 30), at(2026, 8, 22, 11, 30)),
        )

    def test_sessions_are_sorted_and_merged(self) -> None:
        weekly = weekly_sessions(
            [
                (0, dt.time(13, 0), dt.time(15, 0)),
                (0, dt.time(8, 0), dt.time(10, 0)),
                (0, dt.time(9, 0), dt.time(11, 0)),
                (0, dt.time(11, 0), dt.time(12, 0)),
            ]
        )
        cal = Calendar(weekly_sessions=weekly, holidays=None)
        assert cal.weekly_sessions[0] == (
            Session(dt.time(8), dt.time(12)),
            Session(dt.time(13), dt.time(15)),
        )
        assert full_working_day(cal) == dt.timedelta(hours=6)

    def test_reference_day_is_first_weekday_with_sessions_when_monday_has_none(self) -> None:
        weekly = weekly_sessions([(2, dt.time(8), dt.time(10)), (4, dt.time(8), dt.time(12))])
        cal = Calendar(weekly_sessions=weekly, holidays=None)
        assert full_working_day(cal) == dt.timedelta(hours=2)

    def test_invalid_sessions_are_refused(self) -> None:
        with pytest.raises(CalendarError, match="start before"):
            Session(dt.time(12), dt.time(8))
        with pytest.raises(CalendarError, match="naive"):
            Session(dt.time(8, tzinfo=VN_TZ), dt.time(9, tzinfo=VN_TZ))
        with pytest.raises(CalendarError, match="Weekday"):
            weekly_sessions([(7, dt.time(8), dt.time(9))])
        with pytest.raises(CalendarError, match="seven"):
            Calendar(weekly_sessions=(DEFAULT_SESSIONS,))

    def test_calendar_without_sessions_raises_instead_of_looping(self) -> None:
        cal = Calendar(
            weekly_sessions=((),) * 7, extra_working_days=frozenset({dt.date(2026, 3, 3)})
        )
        with pytest.raises(NoWorkingTimeError):
            next_working_instant(cal, at(2026, 3, 2, 9))
        with pytest.raises(NoWorkingTimeError):
            add_working_time(cal, at(2026, 3, 2, 9), dt.timedelta(hours=1))
        with pytest.raises(NoWorkingTimeError):
            processing_time_to_delta(cal, 1, WORKING_DAYS)
        assert working_time_between(cal, at(2026, 3, 2), at(2026, 4, 2)) == dt.timedelta(0)
        assert not is_working_day(cal, dt.date(2026, 3, 3))

    def test_calendar_whose_only_weekday_is_always_off_raises(self) -> None:
        # Only Sundays have sessions, and every Sunday for years is an extra day off.
        weekly = weekly_sessions([(6, dt.time(8), dt.time(9))])
        start = dt.date(2026, 3, 1)
        sundays = frozenset(start + dt.timedelta(weeks=n) for n in range(200))
        cal = Calendar(weekly_sessions=weekly, extra_days_off=sundays, holidays=None)
        with pytest.raises(NoWorkingTimeError, match="no working day"):
            next_working_instant(cal, at(2026, 3, 1, 10))
        with pytest.raises(NoWorkingTimeError, match="no working day"):
            add_working_time(cal, at(2026, 2, 27, 10), dt.timedelta(hours=2))

    def test_calendars_compare_by_content(self) -> None:
        assert Calendar(name="a") == Calendar(name="b") == builtin_calendar()
        assert hash(Calendar()) == hash(builtin_calendar())
        assert Calendar(holidays=None) != builtin_calendar()
