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


# --- Penalties (Penalty Law arts. 9, 45, 63) -------------------------------------------------------

# Penalties that entitle the party to a hearing whatever the amounts (Penalty Law art. 63 (三)(四)).
HEARING_PENALTIES = frozenset({"lower_qualification", "revoke_licence", "suspend_business", "close_down", "restrict_practice"})
# Done once the decision is served (nothing to collect or enforce).
SERVED_IS_EXECUTED = frozenset({"warning", "criticism"})
# Done once the money is paid.
PAID_IS_EXECUTED = frozenset({"fine", "confiscate_income"})


def penalties_check(kinds: list[str], *, fine: Decimal, income: Decimal, value: Decimal, labels: dict[str, str]) -> list[str]:
    """The penalties of a notice or a decision, consistent with their amounts: a fine has an amount and an
    amount is a fine (likewise the confiscated income); returned in the order of `labels` (the choices)."""
    kinds = list(dict.fromkeys(kinds or []))
    unknown = [k for k in kinds if k not in labels]
    if unknown:
        raise DomainError("invalid_penalty_kind", f"处罚种类“{'、'.join(unknown)}”不存在", {"field": "penalty_kinds"})
    if not kinds:
        raise DomainError("penalty_kinds_required", "请选择处罚种类", {"field": "penalty_kinds"})
    for amount, field, label in ((fine, "fine_amount", "罚款金额"), (income, "confiscated_income", "没收违法所得金额"),
                                 (value, "confiscated_value", "没收物品货值")):
        if amount < 0:
            raise DomainError("amount_negative", f"{label}不能为负数", {"field": field})
    for kind, amount, field, label in (("fine", fine, "fine_amount", "罚款"),
                                       ("confiscate_income", income, "confiscated_income", "没收违法所得")):
        if kind in kinds and amount <= 0:
            raise DomainError(f"{field}_required", f"处罚种类含{label}，请填写{label}金额", {"field": field})
        if kind not in kinds and amount > 0:
            raise DomainError(f"{field}_without_kind", f"填写了{label}金额，处罚种类须包含“{label}”", {"field": "penalty_kinds"})
    if value > 0 and "confiscate_property" not in kinds:
        raise DomainError("confiscated_value_without_kind", "填写了没收物品货值，处罚种类须包含“没收非法财物”", {"field": "penalty_kinds"})
    return [k for k in labels if k in kinds]


def hearing_entitled(kinds: list[str], *, fine: Decimal, income: Decimal, value: Decimal, organisation: bool,
                     person_threshold: Decimal, organisation_threshold: Decimal) -> bool:
    """听证 (Penalty Law art. 63): a large fine, a large confiscation (of income or goods, measured against
    the same thresholds), or a penalty of a heavy kind (吊销许可证件, 责令停产停业 …)."""
    if HEARING_PENALTIES.intersection(kinds):
        return True
    return any(hearing_available(fine=amount, organisation=organisation, person_threshold=person_threshold,
                                 organisation_threshold=organisation_threshold) for amount in (fine, income, value) if amount > 0)


def heavier_than_notified(kinds: list[str], *, fine: Decimal, income: Decimal, value: Decimal, proposed_kinds: list[str],
                          proposed_fine: Decimal, proposed_income: Decimal, proposed_value: Decimal,
                          labels: dict[str, str]) -> list[str]:
    """What a decision adds to the notice (empty when it is not heavier): the party is heard on what was
    notified, and a statement or hearing may not make the penalty heavier (Penalty Law art. 45); a heavier
    decision needs a new notice."""
    worse = [f"增加了“{labels[k]}”" for k in kinds if k not in proposed_kinds]
    for amount, proposed, label in ((fine, proposed_fine, "罚款"), (income, proposed_income, "没收违法所得"),
                                    (value, proposed_value, "没收物品货值")):
        if amount > proposed:
            worse.append(f"{label} {amount} 元高于告知的 {proposed} 元")
    return worse


def simple_penalties_check(kinds: list[str], *, fine: Decimal, organisation: bool, person_limit: Decimal,
                           organisation_limit: Decimal) -> None:
    """简易程序 (Penalty Law art. 51): a warning, or a fine up to the limit for the party's kind; nothing else."""
    other = [k for k in kinds if k not in ("warning", "fine")]
    if other or not kinds:
        raise DomainError("simple_kinds", "简易程序只能当场给予警告或者较小数额的罚款，其他处罚须按一般程序立案办理",
                          {"field": "penalty_kinds"})
    if not simple_procedure_allowed(fine=fine, organisation=organisation, person_limit=person_limit,
                                    organisation_limit=organisation_limit):
        limit = organisation_limit if organisation else person_limit
        who = "法人或者其他组织" if organisation else "公民"
        raise DomainError("simple_fine_above_limit",
                          f"简易程序对{who}的罚款不能超过 {limit} 元（本次 {fine} 元），请按一般程序立案办理",
                          {"field": "fine_amount"})
