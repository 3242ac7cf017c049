"""Versioned statutory numbers: the value in force on a date."""

import datetime as dt
from decimal import Decimal

from .errors import DomainError
from .models import Rule, RuleUnit

INTEGER_UNITS = {RuleUnit.CALENDAR_DAY, RuleUnit.WORKING_DAY, RuleUnit.MONTH, RuleUnit.COUNT}


def parse_rule_value(value: str, unit: str) -> int | Decimal:
    return int(value) if unit in INTEGER_UNITS else Decimal(value)


def rule_in_force(key: str, on: dt.date) -> Rule:
    rule = Rule.objects.filter(key=key, valid_from__lte=on).order_by("-valid_from").first()
    if rule is None:
        raise DomainError(
            "rule_missing",
            f"规则“{key}”在 {on.isoformat()} 没有生效的取值，请管理员在“规则参数”中补充",
            {"key": key, "on": on.isoformat()},
        )
    return rule


def rule_value(key: str, on: dt.date) -> int | Decimal:
    rule = rule_in_force(key, on)
    return parse_rule_value(rule.value, rule.unit)
