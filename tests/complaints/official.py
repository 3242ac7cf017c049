"""An independent reckoning of working-day deadlines, straight from the official calendar package
(chinesecalendar) and nothing of jianguan's: the start day is not counted; weekends and holidays are
skipped, make-up working days counted; a day in a year the package does not know is taken Monday to
Friday and makes the result provisional (暂定)."""

import datetime as dt

import chinese_calendar


def add_working_days(start: dt.date, n: int) -> tuple[dt.date, bool]:
    day, provisional = start, False
    while n:
        day += dt.timedelta(days=1)
        try:
            working = chinese_calendar.is_workday(day)
        except NotImplementedError:
            working, provisional = day.weekday() < 5, True
        n -= working
    return day, provisional
