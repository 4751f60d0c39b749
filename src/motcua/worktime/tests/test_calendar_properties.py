"""Properties of working-time arithmetic, on the default calendar and on random ones.

The boundary convention under test (see ``motcua.worktime.calendar``): a session's end belongs
to the session, so ``add`` returns a session end when the amount runs out exactly there and
``next_working_instant(end) == end``. With it, adding is exactly additive for every pair of
non-negative amounts, zero included.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.worktime.calendar import (
    VIETNAM_HOLIDAYS,
    VN_TZ,
    Calendar,
    Session,
    add_working_time,
    builtin_calendar,
    full_working_day,
    is_working_day,
    next_working_instant,
    sessions_on,
    working_day_of,
    working_time_between,
)

WINDOW_FIRST = dt.date(2025, 12, 1)
WINDOW_LAST = dt.date(2027, 3, 31)
ZERO = dt.timedelta(0)

# Random calendars are generous with edge cases: zero to three sessions a day, at quarter hours
# (so that boundaries collide with amounts often) or at any minute, overrides anywhere in the
# window, with or without national holidays.
_minute_points = st.one_of(
    st.integers(0, 24 * 4 - 1).map(lambda q: q * 15), st.integers(0, 24 * 60 - 1)
)


@st.composite
def day_sessions(draw: st.DrawFn) -> tuple[Session, ...]:
    count = draw(st.integers(0, 3))
    points = sorted(
        draw(st.lists(_minute_points, min_size=2 * count, max_size=2 * count, unique=True))
    )
    times = [dt.time(p // 60, p % 60) for p in points]
    return tuple(Session(times[i], times[i + 1]) for i in range(0, len(times), 2))


@st.composite
def random_calendars(draw: st.DrawFn) -> Calendar:
    weekly = [draw(day_sessions()) for _ in range(7)]
    if not any(weekly):
        weekly[draw(st.integers(0, 6))] = (Session(dt.time(8), dt.time(12)),)
    window = st.dates(WINDOW_FIRST, WINDOW_LAST)
    days_off = draw(st.frozensets(window, max_size=12))
    working_days = draw(st.frozensets(window, max_size=12)) - days_off
    return Calendar(
        weekly_sessions=tuple(weekly),
        extra_days_off=days_off,
        extra_working_days=working_days,
        holidays=draw(st.sampled_from([None, VIETNAM_HOLIDAYS])),
        name="random",
    )


calendars = st.one_of(st.just(builtin_calendar()), random_calendars())

_DAY_US = 86_400_000_000


def draw_instant(data: st.DataObject, cal: Calendar) -> dt.datetime:
    """An instant in 2026: often exactly on a session boundary, else anywhere in the day."""
    day = data.draw(st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
    sessions = sessions_on(cal, day)
    if sessions and data.draw(st.booleans()):
        return data.draw(st.sampled_from([instant for pair in sessions for instant in pair]))
    offset = data.draw(
        st.one_of(
            st.integers(0, 24 * 60 - 1).map(lambda m: m * 60_000_000), st.integers(0, _DAY_US - 1)
        )
    )
    return dt.datetime(day.year, day.month, day.day, tzinfo=VN_TZ) + dt.timedelta(
        microseconds=offset
    )


def draw_amount(data: st.DataObject, cal: Calendar) -> dt.timedelta:
    """Up to 30 working days of ``cal``: zero, whole days, quarter hours or any microsecond."""
    day = full_working_day(cal)
    return data.draw(
        st.one_of(
            st.just(ZERO),
            st.integers(0, 30).map(lambda n: n * day),
            st.integers(0, 30 * 4 * 24).map(lambda q: min(q * dt.timedelta(minutes=15), 30 * day)),
            st.integers(0, 30 * day // dt.timedelta(microseconds=1)).map(
                lambda us: dt.timedelta(microseconds=us)
            ),
        )
    )


def is_in_or_at_end_of_session(cal: Calendar, t: dt.datetime) -> bool:
    local = t.astimezone(VN_TZ)
    return any(start <= local <= end for start, end in sessions_on(cal, local.date()))


# -- oracles: the obvious day-by-day computation, without week skipping or memo tricks ----------


def oracle_between(cal: Calendar, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
    total = ZERO
    day = a.astimezone(VN_TZ).date()
    while day <= b.astimezone(VN_TZ).date():
        for start, end in sessions_on(cal, day):
            low, high = max(start, a), min(end, b)
            if high > low:
                total += high - low
        day += dt.timedelta(days=1)
    return total


def oracle_add(cal: Calendar, t: dt.datetime, amount: dt.timedelta) -> dt.datetime:
    remaining = amount
    day = t.astimezone(VN_TZ).date()
    while True:
        for start, end in sessions_on(cal, day):
            if end < t:
                continue
            begin = max(start, t)
            if remaining <= end - begin:
                return begin + remaining
            remaining -= end - begin
        day += dt.timedelta(days=1)


PROPERTY_SETTINGS = settings(max_examples=150, deadline=None)


@PROPERTY_SETTINGS
@given(cal=calendars, data=st.data())
def test_add_is_monotonic_in_the_start(cal: Calendar, data: st.DataObject) -> None:
    a, b = sorted([draw_instant(data, cal), draw_instant(data, cal)])
    amount = draw_amount(data, cal)
    assert add_working_time(cal, a, amount) <= add_working_time(cal, b, amount)


@PROPERTY_SETTINGS
@given(cal=calendars, data=st.data())
def test_add_is_monotonic_in_the_amount(cal: Calendar, data: st.DataObject) -> None:
    t = draw_instant(data, cal)
    d1, d2 = sorted([draw_amount(data, cal), draw_amount(data, cal)])
    assert add_working_time(cal, t, d1) <= add_working_time(cal, t, d2)


@PROPERTY_SETTINGS
@given(cal=calendars, data=st.data())
def test_add_is_additive(cal: Calendar, data: st.DataObject) -> None:
    t = draw_instant(data, cal)
    # d1 often runs out exactly at a session end, the case the boundary convention is about.
    if data.draw(st.booleans()):
        d1 = working_time_between(cal, t, max(t, draw_instant(data, cal)))
    else:
        d1 = draw_amount(data, cal)
    d2 = draw_amount(data, cal)
    assert add_working_time(cal, add_working_time(cal, t, d1), d2) == add_working_time(
        cal, t, d1 + d2
    )


@PROPERTY_SETTINGS
@given(cal=calendars, data=st.data())
def test_adding_zero_is_the_next_working_instant(cal: Calendar, data: st.DataObject) -> None:
    t = draw_instant(data, cal)
    assert add_working_time(cal, t, ZERO) == next_working_instant(cal, t)


@PROPERTY_SETTINGS
@given(cal=calendars, data=st.data())
def test_between_inverts_add_from_a_working_instant(cal: Calendar, data: st.DataObject) -> None:
    t = next_working_instant(cal, draw_instant(data, cal))
    amount = draw_amount(data, cal)
    assert working_time_between(cal, t, add_working_time(cal, t, amount)) == amount


@PROPERTY_SETTINGS
@given(cal=calendars, data=st.data())
def test_between_inverts_add_from_any_instant(cal: Calendar, data: st.DataObject) -> None:
    t = draw_instant(data, cal)
    amount = draw_amount(data, cal)
    due = add_working_time(cal, t, amount)
    assert working_time_between(cal, next_working_instant(cal, t), due) == amount
    assert working_time_between(cal, t, due) == amount  # nothing is worked before the start


@PROPERTY_SETTINGS
@given(cal=calendars, data=st.data())
def test_between_is_additive_over_a_split_point(cal: Calendar, data: st.DataObject) -> None:
    a, b, c = sorted(draw_instant(data, cal) for _ in range(3))
    whole = working_time_between(cal, a, c)
    assert whole == working_time_between(cal, a, b) + working_time_between(cal, b, c)
    assert working_time_between(cal, c, a) == (ZERO if a < c else whole)


@PROPERTY_SETTINGS
@given(cal=calendars, data=st.data())
def test_results_are_working_instants_or_session_ends(cal: Calendar, data: st.DataObject) -> None:
    t = draw_instant(data, cal)
    due = add_working_time(cal, t, draw_amount(data, cal))
    start = next_working_instant(cal, t)
    for result in (start, due):
        assert result.tzinfo is VN_TZ
        assert is_in_or_at_end_of_session(cal, result)
        assert next_working_instant(cal, result) == result
    assert start >= t
    assert working_time_between(cal, t, start) == ZERO
    assert working_day_of(cal, t) == start.date()
    assert is_working_day(cal, working_day_of(cal, t))


@PROPERTY_SETTINGS
@given(cal=calendars, data=st.data())
def test_add_and_between_agree_with_a_day_by_day_oracle(cal: Calendar, data: st.DataObject) -> None:
    t = draw_instant(data, cal)
    amount = draw_amount(data, cal)
    due = add_working_time(cal, t, amount)
    assert due == oracle_add(cal, t, amount)
    later = draw_instant(data, cal)
    assert working_time_between(cal, t, later) == (
        oracle_between(cal, t, later) if later > t else ZERO
    )


@PROPERTY_SETTINGS
@given(data=st.data())
def test_whole_days_on_the_default_calendar_keep_the_time_of_day(data: st.DataObject) -> None:
    cal = builtin_calendar()
    t = next_working_instant(cal, draw_instant(data, cal))
    n = data.draw(st.integers(1, 60))
    due = add_working_time(cal, t, n * full_working_day(cal))
    # Default sessions are the same on every working day, so whole days keep the clock time;
    # from a session's start they end at the previous session's end (07:30 + 1 day = 17:00).
    expected = {dt.time(7, 30): dt.time(17), dt.time(13, 30): dt.time(11, 30)}
    assert due.time() == expected.get(t.time(), t.time())
