"""The official working-day calendar: chinesecalendar, overridden and extended by the administrator's table.

Counting rules (DOMAIN.md, "Counting time"):
- the start day is not counted;
- 工作日 are Monday–Friday minus statutory holidays, PLUS the 调休 weekend days worked in lieu;
- a calendar-day deadline that ends on a rest day moves to the next working day.

Sources, in order of precedence, for one day:
1. a `CalendarDay` row (entered by an administrator, with its source document);
2. for a year listed in `CalendarYear` (entered in full by an administrator): Monday–Friday;
3. for a year chinesecalendar knows: chinesecalendar;
4. otherwise Monday–Friday, and the answer is a guess: every result that depends on it is
   marked provisional (`Deadline.provisional`), never silently presented as final.

A `WorkingCalendar` is a snapshot of the administrator's table (two queries); counting over any
span is then done in memory, so a long count never costs one query per day.
"""

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata

from chinese_calendar import constants as cc_constants

from .models import CalendarDay, CalendarYear

ONE_DAY = dt.timedelta(days=1)
WEEKDAY_NAMES = "一二三四五六日"


@dataclass(frozen=True)
class Deadline:
    date: dt.date
    provisional: bool = False

    def __str__(self):
        return f"{self.date.isoformat()}{'（暂定）' if self.provisional else ''}"


class DaySource:
    ADMIN = "admin"  # a CalendarDay row
    ADMIN_YEAR = "admin_year"  # an ordinary day of a year entered in full
    PACKAGE = "package"  # chinesecalendar
    GUESS = "guess"  # a year nobody knows: Monday–Friday, provisional

    LABELS = {
        ADMIN: "管理员录入的工作日历调整",
        ADMIN_YEAR: "管理员已录入全年日历（未单列的日期按周一至周五）",
        PACKAGE: "国务院办公厅节假日安排（chinesecalendar {version}）",
        GUESS: "该年度日历尚未发布或录入，暂按周一至周五推定",
    }


@dataclass(frozen=True)
class DayInfo:
    date: dt.date
    is_workday: bool
    provisional: bool
    source: str
    name: str = ""
    source_document: str = ""

    @property
    def source_label(self) -> str:
        label = DaySource.LABELS[self.source].format(version=package_version())
        if self.source_document:
            label += f"，依据：{self.source_document}"
        return label

    def __str__(self):
        kind = "工作日" if self.is_workday else "休息日"
        if self.name:
            kind += f"（{self.name}）"
        text = f"{self.date.isoformat()} 星期{WEEKDAY_NAMES[self.date.weekday()]}：{kind}；来源：{self.source_label}"
        return text + ("；结果为暂定" if self.provisional else "")


@lru_cache(maxsize=1)
def package_version() -> str:
    try:
        return metadata.version("chinesecalendar")
    except metadata.PackageNotFoundError:  # pragma: no cover - it is a hard dependency
        return "?"


@lru_cache(maxsize=1)
def package_years() -> tuple[int, int]:
    """The first and last year chinesecalendar has data for."""
    years = [day.year for day in cc_constants.holidays]
    return min(years), max(years)


def _package_knows(year: int) -> bool:
    first, last = package_years()
    return first <= year <= last


@lru_cache(maxsize=64)
def _package_deviations(year: int) -> dict[dt.date, tuple[bool, str]]:
    """The days of a package year that differ from Monday–Friday, with the holiday's name."""
    out: dict[dt.date, tuple[bool, str]] = {}
    for day, name in cc_constants.holidays.items():
        if day.year == year and day.weekday() < 5:
            out[day] = (False, _holiday_name(name))
    for day, name in cc_constants.workdays.items():
        if day.year == year:
            out[day] = (True, f"{_holiday_name(name)}调休上班")
    return out


_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def _holiday_name(name) -> str:
    text = getattr(name, "value", None) or str(name)
    text = text.split(",")[0]
    return _HOLIDAY_NAMES.get(text, text)


@dataclass
class _Year:
    deviations: dict[dt.date, tuple[bool, str]]
    default_source: str


class WorkingCalendar:
    """A snapshot of the calendar: the administrator's table is read once, at construction."""

    def __init__(self):
        self.overrides: dict[dt.date, tuple[bool, str, str]] = {
            day: (workday, name, source)
            for day, workday, name, source in CalendarDay.objects.values_list(
                "date", "is_workday", "name", "source_document"
            )
        }
        self.entered_years: dict[int, str] = dict(CalendarYear.objects.values_list("year", "source_document"))
        self._years: dict[int, _Year] = {}

    # -- single days ---------------------------------------------------------------------------

    def year_is_known(self, year: int) -> bool:
        return year in self.entered_years or _package_knows(year)

    def _year(self, year: int) -> _Year:
        info = self._years.get(year)
        if info is None:
            if year in self.entered_years:
                info = _Year({}, DaySource.ADMIN_YEAR)
            elif _package_knows(year):
                info = _Year(_package_deviations(year), DaySource.PACKAGE)
            else:
                info = _Year({}, DaySource.GUESS)
            self._years[year] = info
        return info

    def is_workday(self, day: dt.date) -> tuple[bool, bool]:
        """(is it a working day, is that answer a guess). The hot path of every count."""
        override = self.overrides.get(day)
        if override is not None:
            return override[0], False
        year = self._year(day.year)
        deviation = year.deviations.get(day)
        if deviation is not None:
            return deviation[0], False
        return day.weekday() < 5, year.default_source == DaySource.GUESS

    def day(self, day: dt.date) -> DayInfo:
        """Everything known about one day, for people (the `calendar check` command)."""
        override = self.overrides.get(day)
        if override is not None:
            workday, name, source = override
            return DayInfo(day, workday, False, DaySource.ADMIN, name, source)
        year = self._year(day.year)
        deviation = year.deviations.get(day)
        if deviation is not None:
            return DayInfo(day, deviation[0], False, year.default_source, deviation[1])
        name = "" if day.weekday() < 5 else "周末"
        document = self.entered_years.get(day.year, "")
        return DayInfo(
            day, day.weekday() < 5, year.default_source == DaySource.GUESS, year.default_source, name, document
        )

    # -- counting ------------------------------------------------------------------------------

    def add_working_days(self, start: dt.date, n: int) -> Deadline:
        """The n-th working day after start (start itself not counted); n = 0 gives start.

        Provisional when any day stepped over (working or not) was a guess: a guessed weekend
        could turn out to be a 调休 working day, a guessed weekday a holiday.
        """
        if n < 0:
            raise ValueError("工作日数不能为负数")
        day, provisional, left = start, False, n
        while left:
            day += ONE_DAY
            workday, guess = self.is_workday(day)
            provisional |= guess
            if workday:
                left -= 1
        return Deadline(day, provisional)

    def count_working_days(self, a: dt.date, b: dt.date) -> tuple[int, bool]:
        """(working days after a up to and including b, whether any of them was a guess)."""
        if b < a:
            count, provisional = self.count_working_days(b, a)
            return -count, provisional
        count, provisional, day = 0, False, a
        while day < b:
            day += ONE_DAY
            workday, guess = self.is_workday(day)
            count += workday
            provisional |= guess
        return count, provisional

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        return self.count_working_days(a, b)[0]

    def add_calendar_days(self, start: dt.date, n: int) -> Deadline:
        """start + n calendar days, moved forward to the next working day when it ends on a rest day."""
        if n < 0:
            raise ValueError("自然日数不能为负数")
        day = start + dt.timedelta(days=n)
        workday, provisional = self.is_workday(day)
        while not workday:
            day += ONE_DAY
            workday, guess = self.is_workday(day)
            provisional |= guess
        return Deadline(day, provisional)


# -- module-level API: one snapshot per call, or pass your own for a batch ---------------------


def working_calendar() -> WorkingCalendar:
    return WorkingCalendar()


def is_workday(day: dt.date, *, calendar: WorkingCalendar | None = None) -> bool:
    return (calendar or WorkingCalendar()).is_workday(day)[0]


def day_info(day: dt.date, *, calendar: WorkingCalendar | None = None) -> DayInfo:
    return (calendar or WorkingCalendar()).day(day)


def year_is_known(year: int, *, calendar: WorkingCalendar | None = None) -> bool:
    return (calendar or WorkingCalendar()).year_is_known(year)


def add_working_days(start: dt.date, n: int, *, calendar: WorkingCalendar | None = None) -> Deadline:
    """The n-th working day after start (start not counted), e.g. 7 working days from 2026-09-24 → 2026-10-12."""
    return (calendar or WorkingCalendar()).add_working_days(start, n)


def working_days_between(a: dt.date, b: dt.date, *, calendar: WorkingCalendar | None = None) -> int:
    """Working days after a up to and including b; negative when b is before a."""
    return (calendar or WorkingCalendar()).working_days_between(a, b)


def add_calendar_days(start: dt.date, n: int, *, calendar: WorkingCalendar | None = None) -> Deadline:
    """A calendar-day deadline (日): start + n, rolled forward past rest days."""
    return (calendar or WorkingCalendar()).add_calendar_days(start, n)


__all__ = [
    "Deadline",
    "DayInfo",
    "DaySource",
    "WorkingCalendar",
    "add_calendar_days",
    "add_working_days",
    "day_info",
    "is_workday",
    "package_version",
    "package_years",
    "working_calendar",
    "working_days_between",
    "year_is_known",
]
