"""包保 rules as pure functions: month arithmetic of the 督导 frequency, and the checks of what is recorded."""

import calendar
import datetime as dt
import re

PHONE = re.compile(r"^[0-9][0-9\-]{5,19}$")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (earlier when negative), clamped to the month's end (Jan 31 + 1 → Feb 28)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_on(anchor: dt.date, months: int) -> dt.date:
    """The day by which the next 督导 is due: `months` after the last one (or after the 包保 began)."""
    return add_months(anchor, months)


def is_overdue(anchor: dt.date, months: int, on: dt.date) -> bool:
    """Past due on `on`: the same test as the lists' query (anchor earlier than `months` before the day)."""
    return anchor < add_months(on, -months)


def phone_problem(phone: str) -> str | None:
    phone = phone.strip()
    if phone and not PHONE.match(phone):
        return f"联系电话“{phone[:30]}”格式不正确（只能包含数字和“-”）"
    return None


def supervision_problem(*, on: dt.date, start_on: dt.date, end_on: dt.date | None, checked: str, problems: list[str],
                        rectified: bool | None, rectified_on: dt.date | None) -> tuple[str, str] | None:
    """(field, reason) why a 督导 record cannot be saved, or None."""
    if on < start_on or (end_on is not None and on > end_on):
        span = f"{start_on} 至 {end_on}" if end_on else f"{start_on} 起"
        return "on", f"督导日期 {on} 不在包保期间（{span}）内"
    if not checked.strip():
        return "checked", "请填写督导内容"
    if problems and rectified is None:
        return "rectified", "发现问题的，请选择是否已整改"
    if not problems and rectified is not None:
        return "rectified", "未发现问题的，不填写整改情况"
    if rectified_on is not None and not rectified:
        return "rectified_on", "未整改的不填写整改完成日期"
    if rectified_on is not None and rectified_on < on:
        return "rectified_on", f"整改完成日期 {rectified_on} 早于督导日期 {on}"
    return None
