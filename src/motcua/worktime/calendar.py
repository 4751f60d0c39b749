"""Working-time arithmetic on a working calendar. Pure: no database, no Django.

A :class:`Calendar` says which instants are working time: weekly sessions per weekday, national
public holidays (from the ``holidays`` package, computed lazily per year), and an agency's extra
days off and extra working days. The functions below add working time to an instant, measure the
working time between two instants and find the next working instant. Every datetime they take must
be timezone-aware; every datetime they return is aware, in ``Asia/Ho_Chi_Minh``.

Conventions (deadlines depend on them, so they are fixed here and tested as properties):

* **Which sessions a day has.** An extra day off (admin override) wins over everything. Then an
  extra working day (admin override) wins over the national holidays. Then a national holiday
  (including a substituted day off such as 2026-08-31) is a day off, and a swapped working weekend
  day (``weekend_workdays``, such as Saturday 2026-08-22) is a working day. Otherwise the weekly
  sessions of its weekday apply. A day that is *made* a working day (override or swap) keeps its
  own weekday's sessions if it has any; if its weekday has none (a Saturday or Sunday in the usual
  Monday-Friday week) it gets the sessions of the *reference day*: Monday, or, if Monday has no
  sessions, the first weekday that has some. So a swapped Saturday is a full normal working day,
  while at a centre that already opens on Saturday mornings it stays a morning.
* **A full working day** (what ``1 working day`` means) is the total length of the reference
  day's sessions: 7.5 hours for the default calendar.
* **Session ends belong to the session.** Sessions are closed intervals ``[start, end]`` for the
  question "where does counting start": an instant exactly at a session's end is its own next
  working instant. Working time itself is measured on ``[start, end)``, so this changes no
  durations. It is also where counting stops: when the amount runs out exactly at the end of a
  session, :func:`add_working_time` returns that end (Friday 17:00, not Monday 07:30).
  Because both rules use the same boundary, adding is exactly additive, including zero:
  ``add(add(t, d1), d2) == add(t, d1 + d2)`` for all ``d1, d2 >= 0``, and ``add(t, 0)`` is
  ``next_working_instant(t)``.
* Overlapping or touching sessions of one weekday are merged into one.

Working time is computed in integer microseconds, so results are exact (no float drift).
"""

from __future__ import annotations

import datetime as dt
import functools
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Final, Protocol
from zoneinfo import ZoneInfo

import holidays as holidays_data

__all__ = [
    "DEFAULT_SESSIONS",
    "DEFAULT_WEEKLY_SESSIONS",
    "VIETNAM_HOLIDAYS",
    "VN_TZ",
    "WORKING_DAYS",
    "WORKING_HOURS",
    "Calendar",
    "CalendarError",
    "HolidayProvider",
    "NoWorkingTimeError",
    "Session",
    "VietnamHolidays",
    "WeeklySessions",
    "add_working_time",
    "builtin_calendar",
    "full_working_day",
    "irregular_days",
    "is_working_day",
    "next_working_instant",
    "processing_time_to_delta",
    "sessions_on",
    "weekly_sessions",
    "working_day_of",
    "working_time_between",
]

VN_TZ: Final = ZoneInfo("Asia/Ho_Chi_Minh")

# Units of a procedure's processing time; the same values as catalog's TimeUnit choices.
WORKING_DAYS: Final = "working_days"
WORKING_HOURS: Final = "working_hours"

_US_PER_SECOND: Final = 1_000_000
_US_PER_HOUR: Final = 3600 * _US_PER_SECOND
_ONE_DAY: Final = dt.timedelta(days=1)
_ONE_WEEK: Final = dt.timedelta(days=7)
# However long a run of days off an override list or holiday table produces, a real calendar
# has a working day within a few weeks. Three years without one means a broken calendar, and
# failing loudly beats spinning.
_MAX_IDLE_DAYS: Final = 3 * 366
# Bound on the per-date memo of one calendar (about 55 years of dates); cleared when exceeded.
_DAY_CACHE_LIMIT: Final = 20_000


class CalendarError(ValueError):
    """A calendar or an argument that working-time arithmetic cannot use."""


class NoWorkingTimeError(CalendarError):
    """The calendar has no working session to count in (none at all, or none for years)."""


@dataclass(frozen=True, order=True)
class Session:
    """A working session of a day, in local wall-clock time: ``start`` to ``end`` (exclusive)."""

    start: dt.time
    end: dt.time

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise CalendarError("Session times are local wall-clock times and must be naive.")
        if not self.start < self.end:
            raise CalendarError(f"A session must start before it ends: {self.start}-{self.end}.")


WeeklySessions = tuple[tuple[Session, ...], ...]
"""Sessions per weekday, Monday (0) to Sunday (6): always seven entries."""

DEFAULT_SESSIONS: Final = (
    Session(dt.time(7, 30), dt.time(11, 30)),
    Session(dt.time(13, 30), dt.time(17, 0)),
)
DEFAULT_WEEKLY_SESSIONS: Final[WeeklySessions] = tuple(
    DEFAULT_SESSIONS if weekday < 5 else () for weekday in range(7)
)


def weekly_sessions(entries: Iterable[tuple[int, dt.time, dt.time]]) -> WeeklySessions:
    """Build the seven-day session table from ``(weekday, start, end)`` rows (Monday is 0)."""
    days: list[list[Session]] = [[] for _ in range(7)]
    for weekday, start, end in entries:
        if not 0 <= weekday <= 6:
            raise CalendarError(f"Weekday must be 0 (Monday) to 6 (Sunday), not {weekday}.")
        days[weekday].append(Session(start, end))
    return tuple(tuple(day) for day in days)


class HolidayProvider(Protocol):
    """Where national days off and swapped working days come from, one year at a time."""

    def days_off(self, year: int) -> frozenset[dt.date]:
        """Public holidays and substituted days off that fall in ``year``."""
        ...

    def working_days(self, year: int) -> frozenset[dt.date]:
        """Weekend days of ``year`` that are working days by government swap."""
        ...


@functools.lru_cache(maxsize=256)
def _vietnam_year(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    table = holidays_data.VN(years=year)
    days_off = frozenset(day for day in table if day.year == year)
    # weekend_workdays also carries swaps from adjacent years' data; keep this year's only, so
    # that each year's answer is complete and independent of which years were asked before.
    swapped = frozenset(day for day in table.weekend_workdays if day.year == year)
    return days_off, swapped


@dataclass(frozen=True)
class VietnamHolidays:
    """Vietnam's public holidays, lunar Tết and the government's day swaps (``holidays.VN``)."""

    def days_off(self, year: int) -> frozenset[dt.date]:
        """Public holidays and substituted days off in ``year``."""
        return _vietnam_year(year)[0]

    def working_days(self, year: int) -> frozenset[dt.date]:
        """Swapped working Saturdays (and Sundays) in ``year``."""
        return _vietnam_year(year)[1]


VIETNAM_HOLIDAYS: Final = VietnamHolidays()

_Span = tuple[int, int]  # (start, end) in microseconds since local midnight
_Day = tuple[tuple[_Span, ...], int]  # a day's spans and their total length


def _time_us(value: dt.time) -> int:
    seconds = (value.hour * 60 + value.minute) * 60 + value.second
    return seconds * _US_PER_SECOND + value.microsecond


def _merge(sessions: Iterable[Session]) -> tuple[Session, ...]:
    merged: list[Session] = []
    for session in sorted(sessions):
        if merged and session.start <= merged[-1].end:
            if session.end > merged[-1].end:
                merged[-1] = Session(merged[-1].start, session.end)
        else:
            merged.append(session)
    return tuple(merged)


@dataclass(frozen=True)
class Calendar:
    """A working calendar: weekly sessions, national holidays and an agency's overrides.

    ``holidays`` is ``None`` for a calendar that ignores national holidays. Build it once and
    reuse it: it memoises each date's sessions, so repeated deadline computations are cheap.
    """

    weekly_sessions: WeeklySessions = DEFAULT_WEEKLY_SESSIONS
    extra_days_off: frozenset[dt.date] = frozenset()
    extra_working_days: frozenset[dt.date] = frozenset()
    holidays: HolidayProvider | None = VIETNAM_HOLIDAYS
    name: str = field(default="", compare=False)

    # Derived tables and memos; not part of the calendar's identity.
    _weekly_spans: tuple[tuple[_Span, ...], ...] = field(init=False, repr=False, compare=False)
    _reference_spans: tuple[_Span, ...] = field(init=False, repr=False, compare=False)
    _week_total: int = field(init=False, repr=False, compare=False)
    _days: dict[dt.date, _Day] = field(init=False, repr=False, compare=False)
    _irregular: dict[int, tuple[dt.date, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.weekly_sessions) != 7:
            raise CalendarError("weekly_sessions needs exactly seven entries, Monday to Sunday.")
        weekly = tuple(_merge(day) for day in self.weekly_sessions)
        both = self.extra_days_off & self.extra_working_days
        if both:
            first = min(both).isoformat()
            raise CalendarError(
                f"{first} cannot be both an extra day off and an extra working day."
            )
        spans = tuple(tuple((_time_us(s.start), _time_us(s.end)) for s in day) for day in weekly)
        # The reference day: Monday, else the first weekday that has sessions.
        reference = spans[0] or next((day for day in spans if day), ())
        setattr_ = object.__setattr__  # the dataclass is frozen; these are set once, here
        setattr_(self, "weekly_sessions", weekly)
        setattr_(self, "extra_days_off", frozenset(self.extra_days_off))
        setattr_(self, "extra_working_days", frozenset(self.extra_working_days))
        setattr_(self, "_weekly_spans", spans)
        setattr_(self, "_reference_spans", reference)
        setattr_(self, "_week_total", sum(end - start for day in spans for start, end in day))
        setattr_(self, "_days", {})
        setattr_(self, "_irregular", {})

    # -- per-date tables -------------------------------------------------------------------

    def _day(self, day: dt.date) -> _Day:
        try:
            return self._days[day]
        except KeyError:
            pass
        spans = self._spans_of(day)
        entry = (spans, sum(end - start for start, end in spans))
        if len(self._days) >= _DAY_CACHE_LIMIT:
            self._days.clear()
        self._days[day] = entry
        return entry

    def _spans_of(self, day: dt.date) -> tuple[_Span, ...]:
        if day in self.extra_days_off:
            return ()
        forced = day in self.extra_working_days
        if not forced and self.holidays is not None:
            if day in self.holidays.days_off(day.year):
                return ()
            forced = day in self.holidays.working_days(day.year)
        own = self._weekly_spans[day.weekday()]
        if forced and not own:
            return self._reference_spans
        return own

    def _irregular_dates(self, year: int) -> tuple[dt.date, ...]:
        """Sorted dates of ``year`` whose sessions may differ from their weekday's."""
        try:
            return self._irregular[year]
        except KeyError:
            pass
        dates = {d for d in self.extra_days_off | self.extra_working_days if d.year == year}
        if self.holidays is not None:
            dates |= self.holidays.days_off(year) | self.holidays.working_days(year)
        result = tuple(sorted(dates))
        self._irregular[year] = result
        return result

    def _is_regular_week(self, first: dt.date) -> bool:
        """Whether the seven days from ``first`` all follow the weekly pattern.

        Such a week holds exactly ``_week_total`` of working time, so it can be skipped whole.
        """
        last = first + dt.timedelta(days=6)
        for year in {first.year, last.year}:
            dates = self._irregular_dates(year)
            index = bisect_left(dates, first)
            if index < len(dates) and dates[index] <= last:
                return False
        return True

    # -- stepping ----------------------------------------------------------------------------

    def _require_sessions(self) -> None:
        if self._week_total == 0:
            # Overrides and swaps only borrow weekly sessions, so nothing can ever be counted.
            raise NoWorkingTimeError(
                f"Calendar {self.name or '(unnamed)'} has no working sessions on any weekday."
            )

    def _next_working(self, day: dt.date, offset: int) -> tuple[dt.date, int]:
        for start, end in self._day(day)[0]:
            if offset <= end:  # a session's end still belongs to it: see the module docstring
                return day, max(start, offset)
        self._require_sessions()
        for _ in range(_MAX_IDLE_DAYS):
            day += _ONE_DAY
            spans = self._day(day)[0]
            if spans:
                return day, spans[0][0]
        raise NoWorkingTimeError(
            f"Calendar {self.name or '(unnamed)'} has no working day in the {_MAX_IDLE_DAYS} days after {day}."
        )

    def _advance(self, day: dt.date, remaining: int) -> tuple[dt.date, int]:
        """Count ``remaining`` (> 0) microseconds of working time from the start of ``day``."""
        idle = 0
        while True:
            if remaining > self._week_total and self._is_regular_week(day):
                remaining -= self._week_total
                day += _ONE_WEEK
                idle = 0
                continue
            spans, total = self._day(day)
            if remaining > total:
                remaining -= total
                day += _ONE_DAY
                idle = idle + 1 if total == 0 else 0
                if idle > _MAX_IDLE_DAYS:
                    raise NoWorkingTimeError(
                        f"Calendar {self.name or '(unnamed)'} has no working day for {_MAX_IDLE_DAYS} days from {day}."
                    )
                continue
            for start, end in spans:
                if remaining <= end - start:
                    return day, start + remaining
                remaining -= end - start
            raise AssertionError("unreachable: remaining <= total was checked")  # pragma: no cover


def builtin_calendar() -> Calendar:
    """The built-in default: Monday-Friday 07:30-11:30 and 13:30-17:00, national holidays."""
    return _BUILTIN


_BUILTIN: Final = Calendar(name="built-in default")


# -- conversions --------------------------------------------------------------------------------


def _split(t: dt.datetime) -> tuple[dt.date, int]:
    if t.tzinfo is None or t.utcoffset() is None:
        raise CalendarError("Working-time arithmetic needs timezone-aware datetimes.")
    local = t.astimezone(VN_TZ)
    return local.date(), _time_us(local.time())


def _join(day: dt.date, offset: int) -> dt.datetime:
    # Wall-clock arithmetic is safe: Vietnam has kept UTC+7 without daylight saving since 1975.
    midnight = dt.datetime(day.year, day.month, day.day, tzinfo=VN_TZ)
    return midnight + dt.timedelta(microseconds=offset)


def _as_us(amount: dt.timedelta) -> int:
    us = (amount.days * 86_400 + amount.seconds) * _US_PER_SECOND + amount.microseconds
    if us < 0:
        raise CalendarError(f"Working time cannot be negative: {amount}.")
    return us


def _overlap(spans: tuple[_Span, ...], low: int, high: int) -> int:
    return sum(max(0, min(end, high) - max(start, low)) for start, end in spans)


# -- public API ---------------------------------------------------------------------------------


def sessions_on(cal: Calendar, day: dt.date) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
    """The working sessions of ``day`` as aware ``(start, end)`` pairs, after all rules."""
    return tuple((_join(day, start), _join(day, end)) for start, end in cal._day(day)[0])


def is_working_day(cal: Calendar, day: dt.date) -> bool:
    """Whether ``day`` has at least one working session."""
    return bool(cal._day(day)[0])


def irregular_days(
    cal: Calendar, first: dt.date, last: dt.date
) -> tuple[tuple[dt.date, bool], ...]:
    """Dates in ``[first, last]`` worked or not worked against their weekday's habit.

    Each is ``(date, is_working)``: a holiday or day off on a weekday that has sessions gives
    ``False``, a swapped or override working day on a weekday without sessions gives ``True``.
    For showing officers what the holiday data and the overrides do.
    """
    result: list[tuple[dt.date, bool]] = []
    for year in range(first.year, last.year + 1):
        for day in cal._irregular_dates(year):
            if first <= day <= last:
                working = bool(cal._day(day)[0])
                if working != bool(cal._weekly_spans[day.weekday()]):
                    result.append((day, working))
    return tuple(result)


def next_working_instant(cal: Calendar, t: dt.datetime) -> dt.datetime:
    """``t`` itself if it falls in a session (its end included), else the next session's start.

    This is when a dossier received at ``t`` counts as received.
    """
    return _join(*cal._next_working(*_split(t)))


def working_day_of(cal: Calendar, t: dt.datetime) -> dt.date:
    """The working day ``t`` belongs to: the local date of :func:`next_working_instant`.

    A due time of Friday 17:00 belongs to that Friday; Saturday noon belongs to Monday.
    """
    return cal._next_working(*_split(t))[0]


def add_working_time(cal: Calendar, t: dt.datetime, amount: dt.timedelta) -> dt.datetime:
    """The instant ``amount`` of working time after ``t``, counted from the next working instant.

    Running out exactly at a session's end returns that end, not the next session's start;
    adding zero returns ``next_working_instant(t)``.
    """
    remaining = _as_us(amount)
    day, offset = cal._next_working(*_split(t))
    for start, end in cal._day(day)[0]:
        if end < offset:
            continue
        begin = max(start, offset)
        if remaining <= end - begin:
            return _join(day, begin + remaining)
        remaining -= end - begin
    return _join(*cal._advance(day + _ONE_DAY, remaining))


def working_time_between(cal: Calendar, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
    """Working time in ``[a, b)``; zero when ``b <= a``."""
    if b <= a:
        return dt.timedelta(0)
    first, low = _split(a)
    last, high = _split(b)
    if first == last:
        return dt.timedelta(microseconds=_overlap(cal._day(first)[0], low, high))
    total = _overlap(cal._day(first)[0], low, 86_400 * _US_PER_SECOND)
    day = first + _ONE_DAY
    while day < last:
        if (last - day).days >= 7 and cal._is_regular_week(day):
            total += cal._week_total
            day += _ONE_WEEK
        else:
            total += cal._day(day)[1]
            day += _ONE_DAY
    total += _overlap(cal._day(last)[0], 0, high)
    return dt.timedelta(microseconds=total)


def full_working_day(cal: Calendar) -> dt.timedelta:
    """Length of one working day of ``cal``: its reference day's sessions (7.5 h by default)."""
    cal._require_sessions()
    return dt.timedelta(microseconds=sum(end - start for start, end in cal._reference_spans))


def processing_time_to_delta(
    cal: Calendar, value: int | Decimal | Fraction | float, unit: str
) -> dt.timedelta:
    """Working time for a processing time of ``value`` ``unit`` (``working_days``/``working_hours``).

    Fractions are exact (``Decimal("0.5")`` working days is 3 h 45 min by default), rounded to
    the microsecond.
    """
    if value < 0:
        raise CalendarError(f"Processing time cannot be negative: {value}.")
    if unit == WORKING_DAYS:
        per_unit = full_working_day(cal) // dt.timedelta(microseconds=1)
    elif unit == WORKING_HOURS:
        per_unit = _US_PER_HOUR
    else:
        raise CalendarError(f"Unknown processing time unit {unit!r}.")
    return dt.timedelta(microseconds=round(Fraction(value) * per_unit))
