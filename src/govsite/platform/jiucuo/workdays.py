"""Working days (工作日) on the State Council's holiday calendar, for every deadline the
platform counts in working days (error reports here, rectification deadlines elsewhere).

A day is a working day by, in this order:

1. the editable table (``CalendarDay``: a date marked 休 holiday or 班 working day) —
   corrections and the years the package does not know yet;
2. the ``chinese-calendar`` package (the State Council's yearly 放假安排, adjusted
   working weekends included), for the years it covers;
3. the weekend rule (Monday–Friday), but only for a year the table declares complete
   (``CalendarYear``), i.e. whose 放假安排 was entered into the table.

A date in a year neither the package covers nor the table declares raises
``CalendarGap``: the deadline is not guessed.

Counting: ``add_working_days(start, n)`` is the n-th working day *after* ``start`` (a
report received on Friday with 3 days is due on Wednesday; one received on a holiday
starts counting on the first working day after it). ``working_days_between(a, b)``
counts the working days d with a < d ≤ b, so ``working_days_between(a,
add_working_days(a, n)) == n``.

Usage from another app::

    from govsite.platform.jiucuo.workdays import add_working_days, working_days_between
    due = add_working_days(date(2026, 9, 30), 3)   # 2026-10-10, a Saturday worked after National Day

The table is read at most once a minute per process (at once after a change saved in
this process); for many dates at once, take one ``WorkCalendar`` from ``load_calendar()``
and pass it as ``calendar=``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

import chinese_calendar

#: Searching further than this for the n-th working day means the calendar is broken.
MAX_SPAN_DAYS = 3660


class CalendarGap(ValueError):
    """A date in a year for which no holiday calendar is known."""

    def __init__(self, day: date) -> None:
        self.year = day.year
        super().__init__(
            f"No holiday calendar for {day.year} ({day.isoformat()}): chinese-calendar "
            f"{chinese_calendar.__version__} does not cover it and the holiday table has no entry for that year. "
            f"Enter the State Council's arrangement for {day.year} "
            f"(the holiday table page /jiucuo/calendar/, or govsite manage jiucuo_calendar load FILE; docs/jiucuo.md) "
            f"or upgrade chinese-calendar."
        )


def package_years() -> tuple[int, int]:
    """The first and last year chinese-calendar knows the State Council's arrangement for."""
    known = chinese_calendar.holidays
    return min(known).year, max(known).year


def package_says(day: date) -> bool | None:
    """Whether chinese-calendar makes ``day`` a working day; None for a year it does not cover."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


@dataclass(frozen=True)
class WorkCalendar:
    """The calendar's sources: table overrides (date → working?) and the years the table
    declares complete. Plain data, so a caller may build one without a database."""

    overrides: Mapping[date, bool] = field(default_factory=dict)
    complete_years: frozenset[int] = frozenset()
    #: add_working_days's answers: every report received on one day has the same deadline.
    _added: dict[tuple[date, int], date] = field(default_factory=dict, init=False, repr=False, compare=False)

    def is_working_day(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        known = package_says(day)
        if known is not None:
            return known
        if day.year in self.complete_years:  # the package's data ends (or starts) here: the table's year
            return day.weekday() < 5
        raise CalendarGap(day)

    def add_working_days(self, start: date, n: int) -> date:
        if n < 0:
            raise ValueError("n must be 0 or more")
        known = self._added.get((start, n))
        if known is None:
            known = self._added[(start, n)] = self._count_working_days(start, n)
        return known

    def _count_working_days(self, start: date, n: int) -> date:
        day, left = start, n
        while left:
            day += timedelta(days=1)
            if (day - start).days > MAX_SPAN_DAYS:
                raise ValueError(f"no {n} working days within {MAX_SPAN_DAYS} days of {start}")
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, a: date, b: date) -> int:
        if b < a:
            return -self.working_days_between(b, a)
        return sum(self.is_working_day(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))


#: The table, read at most once per ``CACHE_SECONDS`` per process (a change saved in this
#: process clears it at once; ``forget_calendar``); every report submission needs it.
CACHE_SECONDS = 60.0
_cached: tuple[float, WorkCalendar] | None = None
_cache_lock = threading.Lock()


def load_calendar() -> WorkCalendar:
    """The calendar with the database's table (``CalendarDay``, ``CalendarYear``)."""
    global _cached
    with _cache_lock:
        if _cached is not None and time.monotonic() - _cached[0] < CACHE_SECONDS:
            return _cached[1]
    from govsite.platform.jiucuo.models import CalendarDay, CalendarYear

    calendar = WorkCalendar(
        overrides=dict(CalendarDay.objects.values_list("day", "working")),
        complete_years=frozenset(CalendarYear.objects.values_list("year", flat=True)),
    )
    with _cache_lock:
        _cached = (time.monotonic(), calendar)
    return calendar


def forget_calendar(**_: object) -> None:
    """Read the table afresh next time (connected to the table's save and delete signals)."""
    global _cached
    with _cache_lock:
        _cached = None


def is_working_day(day: date, calendar: WorkCalendar | None = None) -> bool:
    return (calendar or load_calendar()).is_working_day(day)


def add_working_days(start: date, n: int, calendar: WorkCalendar | None = None) -> date:
    """The n-th working day after ``start`` (``start`` itself never counts); ``CalendarGap``
    when a day on the way lies in a year no calendar covers."""
    return (calendar or load_calendar()).add_working_days(start, n)


def working_days_between(a: date, b: date, calendar: WorkCalendar | None = None) -> int:
    """Working days d with a < d ≤ b (negative when b is before a)."""
    return (calendar or load_calendar()).working_days_between(a, b)
