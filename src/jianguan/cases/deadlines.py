"""The clocks of a lead and a case on the working-day calendar, with the rules in force on the day
the clock started (the lead's receipt, the case's filing)."""

import datetime as dt
from decimal import Decimal

from jianguan.core.calendar import Deadline, add_calendar_days, add_working_days
from jianguan.core.rules import rule_value

from .rules import Suspension, decision_period_days, late_surcharge, suspended_days


def lead_decision_due(received_on: dt.date, *, paused_working_days: int = 0, extended: bool = False) -> Deadline:
    """立案决定: 15 working days from receipt (+15 once, approved before the deadline); the working days
    of testing, inspection or appraisal (检测、检验、检疫、鉴定) are not counted."""
    days = int(rule_value("cases.lead_decision_working_days", on=received_on)) + paused_working_days
    if extended:
        days += int(rule_value("cases.lead_extension_working_days", on=received_on))
    return add_working_days(received_on, days)


def decision_due(filed_on: dt.date, *, suspensions: list[Suspension] = (), extended: bool = False,
                 as_of: dt.date | None = None) -> Deadline:
    """处理决定: 90 days from filing (the filing day not counted), plus the days suspended (中止), plus 30
    when extended with approval; a deadline on a rest day moves to the next working day; a deadline in
    a year whose calendar is not known yet is provisional (暂定)."""
    days = decision_period_days(
        base=int(rule_value("cases.decision_days", on=filed_on)),
        extension=int(rule_value("cases.decision_extension_days", on=filed_on)),
        suspended=suspended_days(list(suspensions), as_of),
        extended=extended,
    )
    return add_calendar_days(filed_on, days)


def payment_surcharge(*, fine: Decimal, served_on: dt.date, paid_on: dt.date) -> Decimal:
    """加处罚款 owed when a fine served on `served_on` is paid on `paid_on`."""
    due = served_on + dt.timedelta(days=int(rule_value("cases.payment_days", on=served_on)))
    ratio = Decimal(rule_value("cases.surcharge_daily_ratio", on=served_on))
    return late_surcharge(fine=fine, days_late=(paid_on - due).days, daily_ratio=ratio)
