"""The clocks of a sample on the working-day calendar, with the rules in force on the day each clock
starts: 送检 within 5 working days of sampling; the report within 20 working days of the sample's receipt
by the institution (the day it was sent); service of an unqualified result within 5 working days of the
report; 复检 and 异议 asked within 7 working days of service; 核查处置 within 90 days of the report (a
calendar-day deadline ending on a rest day moves to the next working day). A clock ending in a year whose
calendar is not known yet is provisional (暂定) and recomputed by `jianguan calendar refresh`."""

import datetime as dt
from dataclasses import dataclass

from jianguan.core.calendar import Deadline, WorkingCalendar
from jianguan.core.models import Rule
from jianguan.core.rules import parse_rule_value, rule_value

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


class RuleTable:
    """The versions of the sampling rules read once, for a file of thousands of samples: the value in force
    on a date is looked up in memory (a date before every version falls back to `rule_value`, which says
    what is missing)."""

    def __init__(self):
        self.versions: dict[str, list[tuple[dt.date, int]]] = {}
        for rule in Rule.objects.filter(key__in=[key for key, _, _ in CLOCKS.values()]).order_by("key", "-valid_from"):
            self.versions.setdefault(rule.key, []).append((rule.valid_from, int(parse_rule_value(rule.value, rule.unit, rule.key))))

    def value(self, key: str, on: dt.date) -> int:
        for valid_from, value in self.versions.get(key, ()):
            if valid_from <= on:
                return value
        return int(rule_value(key, on=on))


def clock(field: str, start: dt.date, calendar: WorkingCalendar, rules: RuleTable | None = None) -> Clock:
    key, kind, _ = CLOCKS[field]
    days = rules.value(key, start) if rules is not None else int(rule_value(key, on=start))
    due = calendar.add_working_days(start, days) if kind == "working" else calendar.add_calendar_days(start, days)
    return Clock(field, start, days, kind, due)


def sample_clocks(dates: dict[str, dt.date | None], *, unqualified: bool, calendar: WorkingCalendar,
                  rules: RuleTable | None = None) -> dict[str, Clock | None]:
    """Every clock of a sample from its dates (None where its start is not known yet or it does not run)."""
    out = {}
    for field, (_, _, start_field) in CLOCKS.items():
        start = dates.get(start_field)
        runs = start is not None and (unqualified or field not in UNQUALIFIED_ONLY)
        out[field] = clock(field, start, calendar, rules) if runs else None
    return out
