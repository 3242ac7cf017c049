"""Versioned statutory numbers: the value in force on a date.

A rule key (e.g. `complaints.accept_working_days`) has one row per version, each with the date it
takes effect; `rule_value(key, on=date)` returns the version in force on that date. The date is
always the caller's (the date of receipt, of filing…), never "today" hidden in here.
Later modules seed their values by data migration.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from .errors import DomainError
from .models import Rule, RuleUnit

INTEGER_UNITS = frozenset({RuleUnit.CALENDAR_DAY, RuleUnit.WORKING_DAY, RuleUnit.MONTH, RuleUnit.COUNT})
DECIMAL_UNITS = frozenset({RuleUnit.RATIO, RuleUnit.AMOUNT})


def parse_rule_value(value: str, unit: str, key: str = "") -> int | Decimal:
    """int for day/month/count units, Decimal for ratio/amount; DomainError for anything else."""
    where = f"规则“{key}”" if key else "规则"
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise DomainError("rule_invalid", f"{where}的取值“{value}”不是数字", {"key": key, "value": value}) from None
    if not number.is_finite():
        raise DomainError("rule_invalid", f"{where}的取值“{value}”不是有效数字", {"key": key, "value": value})
    if unit in INTEGER_UNITS:
        if number != number.to_integral_value():
            raise DomainError(
                "rule_invalid", f"{where}的单位为整数（天、月或数量），取值“{value}”不是整数", {"key": key}
            )
        return int(number)
    if unit in DECIMAL_UNITS:
        return number
    raise DomainError("rule_invalid", f"{where}的单位“{unit}”未定义", {"key": key, "unit": unit})


def rule_in_force(key: str, on: dt.date) -> Rule:
    rule = Rule.objects.filter(key=key, valid_from__lte=on).order_by("-valid_from").first()
    if rule is None:
        first = Rule.objects.filter(key=key).order_by("valid_from").values_list("valid_from", flat=True).first()
        detail = f"（最早的版本自 {first.isoformat()} 起施行）" if first else "（尚无任何版本）"
        raise DomainError(
            "rule_missing",
            f"规则“{key}”在 {on.isoformat()} 没有生效的取值{detail}，请管理员在“规则参数”中补充",
            {"key": key, "on": on.isoformat()},
        )
    return rule


def rule_value(key: str, on: dt.date) -> int | Decimal:
    """The value of rule `key` in force on date `on`."""
    rule = rule_in_force(key, on)
    return parse_rule_value(rule.value, rule.unit, key)


def rules_in_force(on: dt.date) -> list[Rule]:
    """For each key, the version in force on `on` (keys not yet in force are left out)."""
    latest: dict[str, Rule] = {}
    for rule in Rule.objects.filter(valid_from__lte=on).order_by("key", "-valid_from"):
        latest.setdefault(rule.key, rule)
    return list(latest.values())
