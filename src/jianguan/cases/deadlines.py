"""The clocks of a lead and a case on the working-day calendar, with the rules in force on the day
the clock started (the lead's receipt, the case's filing)."""

import datetime as dt
from decimal import Decimal

from jianguan.core.calendar import Deadline, add_calendar_days, add_working_days
from jianguan.core.rules import rule_value

from .rules import Suspension, decision_period_days, late_surcharge, suspended_days


def lead_period_working_days(received_on: dt.date, *, paused_working_days: int = 0, extended: bool = False) -> int:
    days = int(rule_value("cases.lead_decision_working_days", on=received_on)) + paused_working_days
    if extended:
        days += int(rule_value("cases.lead_extension_working_days", on=received_on))
    return days


def lead_decision_due(received_on: dt.date, *, paused_working_days: int = 0, extended: bool = False) -> Deadline:
    """立案决定: 15 working days from receipt (+15 once, approved before the deadline); the working days
    of testing, inspection or appraisal (检测、检验、检疫、鉴定) are not counted."""
    return add_working_days(received_on, lead_period_working_days(received_on, paused_working_days=paused_working_days,
                                                                  extended=extended))


def decision_period(filed_on: dt.date, *, suspended: int = 0, extended: bool = False, further_days: int = 0) -> int:
    """Calendar days from filing to the decision deadline: 90, plus the days suspended (中止), plus 30 when
    extended with approval, plus what a collective decision (集体讨论) added."""
    return decision_period_days(
        base=int(rule_value("cases.decision_days", on=filed_on)),
        extension=int(rule_value("cases.decision_extension_days", on=filed_on)),
        suspended=suspended,
        extended=extended,
    ) + further_days


def decision_due(filed_on: dt.date, *, suspensions: list[Suspension] = (), extended: bool = False,
                 as_of: dt.date | None = None, suspended: int | None = None, further_days: int = 0) -> Deadline:
    """处理决定: 90 days from filing (the filing day not counted), plus the days suspended (中止) — from
    the suspensions, or a recorded count (`suspended`, e.g. an imported case) —, plus 30 when extended
    with approval; a deadline on a rest day moves to the next working day; a deadline in a year whose
    calendar is not known yet is provisional (暂定)."""
    if suspended is None:
        suspended = suspended_days(list(suspensions), as_of)
    return add_calendar_days(filed_on, decision_period(filed_on, suspended=suspended, extended=extended,
                                                       further_days=further_days))


def payment_due(served_on: dt.date) -> Deadline:
    """缴款期限: 15 days from service; a period ending on a rest day ends on the next working day."""
    return add_calendar_days(served_on, int(rule_value("cases.payment_days", on=served_on)))


def payment_surcharge(*, fine: Decimal, served_on: dt.date, paid_on: dt.date) -> Decimal:
    """加处罚款 owed when a fine served on `served_on` is paid on `paid_on`: each day after the payment
    deadline (moved off rest days) counts."""
    due = payment_due(served_on).date
    ratio = Decimal(rule_value("cases.surcharge_daily_ratio", on=served_on))
    return late_surcharge(fine=fine, days_late=(paid_on - due).days, daily_ratio=ratio)
