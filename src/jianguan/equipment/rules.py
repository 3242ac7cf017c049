"""Pure rules of special equipment: status transitions, due states, estimated due dates."""

import calendar
import datetime as dt

from .choices import STATUS_TRANSITIONS, DueState, EquipmentStatus, ExamConclusion


def can_transition(current: str, new: str) -> bool:
    return new in STATUS_TRANSITIONS.get(EquipmentStatus(current), set())


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def due_state(*, status: str, next_due: dt.date | None, last_conclusion: str, on: dt.date, warning_days: int) -> str:
    """正常 / 预警 / 超期 / 不合格停用 for an in-use device on a date; 不适用 otherwise."""
    if status != EquipmentStatus.IN_USE:
        return DueState.NOT_APPLICABLE
    if last_conclusion == ExamConclusion.FAILED:
        return DueState.FAILED
    if next_due is None:
        return DueState.NOT_APPLICABLE
    if next_due < on:
        return DueState.OVERDUE
    if next_due <= on + dt.timedelta(days=warning_days):
        return DueState.WARNING
    return DueState.NORMAL


def must_not_be_used(state: str) -> bool:
    """特种设备安全法 art. 40: uninspected (overdue) or failed equipment must not be used."""
    return state in (DueState.OVERDUE, DueState.FAILED)


def apply_by(next_due: dt.date, apply_before_months: int) -> dt.date:
    """The date by which the operator must apply for the next examination."""
    return add_months(next_due, -apply_before_months)


def cycle_rule_keys(variety: str | None, category: str | None, type_code: str) -> list[str]:
    """Rule keys to try for an estimated cycle, most specific first."""
    return [f"equipment.exam_cycle.{code}" for code in (variety, category, type_code) if code]
