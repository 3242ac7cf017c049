"""Pure rules of sampling (no database): what a conclusion asks of the bureau, where a sample's disposal
stands, whether a disposal kept its deadline, 合格率 and 批次/千人. Periods come in as arguments: the
caller reads the versioned rules in force on the sample's own date (see deadlines.py)."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from .choices import Conclusion, DisposalStatus, SamplingType

TWO = Decimal("0.01")


def needs_disposal(conclusion: str) -> bool:
    """Only an unqualified result is disposed (核查处置); a 风险监测 问题样品 goes to risk control instead."""
    return conclusion == Conclusion.UNQUALIFIED


def conclusions_allowed(sampling_type: str) -> tuple[str, ...]:
    """风险监测 makes no 合格 judgement: its samples are 合格 or 问题样品. The others: 合格 or 不合格."""
    if sampling_type == SamplingType.RISK:
        return (Conclusion.PENDING, Conclusion.QUALIFIED, Conclusion.PROBLEM)
    return (Conclusion.PENDING, Conclusion.QUALIFIED, Conclusion.UNQUALIFIED)


def disposal_status(conclusion: str, disposed_on: dt.date | None) -> str:
    if conclusion == Conclusion.PENDING:
        return DisposalStatus.AWAITING
    if not needs_disposal(conclusion):
        return DisposalStatus.NONE
    return DisposalStatus.DISPOSED if disposed_on else DisposalStatus.DISPOSING


def disposed_in_time(disposed_on: dt.date | None, due: dt.date | None) -> bool:
    """处置率 counts a disposal completed by its deadline (the due day included)."""
    return disposed_on is not None and due is not None and disposed_on <= due


def overdue(*, due: dt.date | None, done_on: dt.date | None, as_of: dt.date) -> bool:
    """Past its deadline on the as-of date and not done by then."""
    return due is not None and due < as_of and (done_on is None or done_on > as_of)


def pass_rate(qualified: int, unqualified: int) -> Decimal | None:
    """合格率 = 合格 ÷ (合格 + 不合格) × 100, two decimals; None when nothing was judged."""
    judged = qualified + unqualified
    if not judged:
        return None
    return (Decimal(qualified) * 100 / judged).quantize(TWO, rounding=ROUND_HALF_UP)


def per_thousand(batches: int, population: int | None) -> Decimal | None:
    """批次/千人 = batches ÷ population × 1000, two decimals; None without a population."""
    if not population:
        return None
    return (Decimal(batches) * 1000 / Decimal(population)).quantize(TWO, rounding=ROUND_HALF_UP)
