"""An independent reckoning of a calendar-day deadline straight from the official calendar package
(chinesecalendar), nothing of jianguan's: start + n days (the start day not counted), then forward to
the next working day; a day in a year the package does not know is taken Monday to Friday and makes
the result provisional (暂定)."""

import datetime as dt

import chinese_calendar


def _workday(day: dt.date) -> tuple[bool, bool]:
    try:
        return chinese_calendar.is_workday(day), False
    except NotImplementedError:
        return day.weekday() < 5, True


def add_calendar_days(start: dt.date, n: int) -> tuple[dt.date, bool]:
    day = start + dt.timedelta(days=n)
    working, provisional = _workday(day)
    while not working:
        day += dt.timedelta(days=1)
        working, guess = _workday(day)
        provisional |= guess
    return day, provisional
