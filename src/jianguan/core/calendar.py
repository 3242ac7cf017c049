"""The official working-day calendar: chinesecalendar, overridden and extended by CalendarDay rows.

Counting rules (DOMAIN.md): the start day is not counted; 调休 weekend days are working days;
a calendar-day deadline that ends on a rest day moves to the next working day. A year neither
source knows is counted on plain weekdays and the result is marked provisional.
"""

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar

from .models import CalendarDay, CalendarYear

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Deadline:
    date: dt.date
    provisional: bool = False

    def __str__(self):
        return f"{self.date.isoformat()}{'（暂定）' if self.provisional else ''}"


@lru_cache(maxsize=64)
def _package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


class _Snapshot:
    """Overrides read once per computation, so a long count costs one query."""

    def __init__(self):
        self.overrides = dict(CalendarDay.objects.values_list("date", "is_workday"))
        self.entered_years = set(CalendarYear.objects.values_list("year", flat=True))

    def known(self, year: int) -> bool:
        return year in self.entered_years or _package_knows(year)

    def is_workday(self, day: dt.date) -> tuple[bool, bool]:
        """(is it a working day, is that answer provisional)."""
        if day in self.overrides:
            return self.overrides[day], not self.known(day.year)
        if _package_knows(day.year):
            return chinese_calendar.is_workday(day), False
        return day.weekday() < 5, day.year not in self.entered_years


def is_workday(day: dt.date) -> bool:
    return _Snapshot().is_workday(day)[0]


def year_is_known(year: int) -> bool:
    return _Snapshot().known(year)


def add_working_days(start: dt.date, n: int) -> Deadline:
    """The n-th working day after start (start itself not counted)."""
    if n < 0:
        raise ValueError("n must be >= 0")
    snap, day, provisional, left = _Snapshot(), start, False, n
    while left:
        day += ONE_DAY
        workday, guess = snap.is_workday(day)
        if workday:
            left -= 1
            provisional |= guess
    return Deadline(day, provisional)


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days after a up to and including b; negative when b is before a."""
    if b < a:
        return -working_days_between(b, a)
    snap, count, day = _Snapshot(), 0, a
    while day < b:
        day += ONE_DAY
        count += snap.is_workday(day)[0]
    return count


def add_calendar_days(start: dt.date, n: int) -> Deadline:
    """start + n calendar days, moved to the next working day when it ends on a rest day."""
    snap = _Snapshot()
    day = start + dt.timedelta(days=n)
    workday, provisional = snap.is_workday(day)
    while not workday:
        day += ONE_DAY
        workday, guess = snap.is_workday(day)
        provisional |= guess
    return Deadline(day, provisional)
