"""Pure rules of enforcement cases (no database): the days a suspension stops the decision clock, the
length of that clock, the hearing and simple-procedure thresholds, the late-payment surcharge. The
numbers come in as arguments — the caller reads the versioned rules in force on the case's own date."""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from jianguan.core.errors import DomainError


@dataclass(frozen=True)
class Suspension:
    """中止: the clock stands still from `start` (the first day not counted) until `end` (the day it runs
    again, counted); an open suspension has no end yet."""

    start: dt.date
    end: dt.date | None = None
    reason: str = ""

    def days(self, as_of: dt.date | None = None) -> int:
        end = self.end or as_of
        if end is None:
            raise DomainError("suspension_open", f"{self.start.isoformat()} 起的中止尚未结束，办案期限暂不能确定")
        if end < self.start:
            raise DomainError("suspension_order", f"中止结束日 {end.isoformat()} 早于开始日 {self.start.isoformat()}")
        return (end - self.start).days


def suspended_days(suspensions: list[Suspension], as_of: dt.date | None = None) -> int:
    """The days the clock stood still; overlapping suspensions count each day once."""
    spans = sorted((s.start, s.start + dt.timedelta(days=s.days(as_of))) for s in suspensions)
    total, covered_to = 0, None
    for start, end in spans:
        if covered_to is not None and start < covered_to:
            start = covered_to
        if end > start:
            total += (end - start).days
        covered_to = end if covered_to is None else max(covered_to, end)
    return total


def decision_period_days(*, base: int, extension: int, suspended: int, extended: bool) -> int:
    """Calendar days from filing to the decision deadline (before moving it off a rest day)."""
    if suspended < 0:
        raise DomainError("suspension_negative", "中止天数不能为负数")
    return base + suspended + (extension if extended else 0)


def hearing_available(*, fine: Decimal, organisation: bool, person_threshold: Decimal, organisation_threshold: Decimal) -> bool:
    """A fine of the 'large amount' entitles the party to ask for a hearing (the other penalties that
    do — revocation, closure, 限制从业 … — are decided by their kind, not by this)."""
    return fine >= (organisation_threshold if organisation else person_threshold)


def simple_procedure_allowed(*, fine: Decimal, organisation: bool, person_limit: Decimal, organisation_limit: Decimal) -> bool:
    """简易程序: a warning (fine 0) or a fine up to the limit for the party's kind."""
    return Decimal(0) <= fine <= (organisation_limit if organisation else person_limit)


def late_surcharge(*, fine: Decimal, days_late: int, daily_ratio: Decimal) -> Decimal:
    """加处罚款: the daily ratio of the fine for each day late, never more than the fine itself."""
    if days_late <= 0 or fine <= 0:
        return Decimal("0.00")
    amount = min(fine * daily_ratio * days_late, fine)
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
