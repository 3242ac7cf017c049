"""The clocks of a sample on the working-day calendar, with the rules in force on the day each clock
starts: 送检 within 5 working days of sampling; the report within 20 working days of the sample's receipt
by the institution (the day it was sent); service of an unqualified result within 5 working days of the
report; 复检 and 异议 asked within 7 working days of service; 核查处置 within 90 days of the report (a
calendar-day deadline ending on a rest day moves to the next working day). A clock ending in a year whose
calendar is not known yet is provisional (暂定) and recomputed by `jianguan calendar refresh`."""

import datetime as dt
from dataclasses import dataclass

from jianguan.core.calendar import Deadline, WorkingCalendar
from jianguan.core.rules import rule_value

# field -> (rule key, "working" | "calendar", the sample field the clock starts from)
CLOCKS = {
    "send_due": ("sampling.send_working_days", "working", "sampled_on"),
    "report_due": ("sampling.report_working_days", "working", "sent_on"),
    "service_due": ("sampling.service_working_days", "working", "report_on"),
    "retest_due": ("sampling.retest_working_days", "working", "served_on"),
    "objection_due": ("sampling.objection_working_days", "working", "served_on"),
    "disposal_due": ("sampling.disposal_days", "calendar", "report_on"),
}
# Clocks that only run for an unqualified result.
UNQUALIFIED_ONLY = frozenset({"service_due", "retest_due", "objection_due", "disposal_due"})


@dataclass(frozen=True)
class Clock:
    field: str
    start: dt.date
    days: int
    kind: str  # "working" | "calendar"
    due: Deadline


def clock(field: str, start: dt.date, calendar: WorkingCalendar) -> Clock:
    key, kind, _ = CLOCKS[field]
    days = int(rule_value(key, on=start))
    due = calendar.add_working_days(start, days) if kind == "working" else calendar.add_calendar_days(start, days)
    return Clock(field, start, days, kind, due)


def sample_clocks(dates: dict[str, dt.date | None], *, unqualified: bool, calendar: WorkingCalendar) -> dict[str, Clock | None]:
    """Every clock of a sample from its dates (None where its start is not known yet or it does not run)."""
    out = {}
    for field, (_, _, start_field) in CLOCKS.items():
        start = dates.get(start_field)
        runs = start is not None and (unqualified or field not in UNQUALIFIED_ONLY)
        out[field] = clock(field, start, calendar) if runs else None
    return out
