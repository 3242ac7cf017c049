"""What the food services share: who may grade and plan, the rules of a date."""

import datetime as dt

from jianguan.core.errors import DomainError, PermissionDenied
from jianguan.core.rules import rule_value
from jianguan.org.choices import Role
from jianguan.org.models import User

from ..choices import GRADES


def check_planner(actor: User | None) -> None:
    """Grading, overriding a grade and building the plan are the bureau's (the food department, an administrator);
    stations carry the plan out in their jurisdiction and leadership reads."""
    if actor is None:
        return  # the command line and the demo act for the bureau
    if actor.role == Role.LEADERSHIP:
        raise PermissionDenied("局领导账号只读，不能评定风险等级或编制检查计划")
    if actor.role not in (Role.DEPARTMENT, Role.ADMIN):
        raise PermissionDenied("食品安全风险等级的评定、调整和年度检查计划的编制由局业务科室负责")


def check_year(year: int, on: dt.date) -> None:
    """A year's grading or plan is made during the year, or in the year before it (to prepare the plan)."""
    if not 2000 <= year <= 2100:
        raise DomainError("invalid_year", f"年度“{year}”无效", {"field": "year"})
    if on.year not in (year - 1, year):
        raise DomainError("date_outside_year", f"{year}年度的评定（编制）日期须在{year - 1}年或{year}年内，{on}不在其中", {"field": "on"})


def int_rule(key: str, on: dt.date) -> int:
    return int(rule_value(key, on=on))


def frequency(grade: str, year: int) -> tuple[int, int]:
    """(min, max) inspections a year for a grade: the rules `food.plan.min.X` / `food.plan.max.X` in force on the
    year's first day."""
    if grade not in GRADES:
        raise DomainError("invalid_grade", f"风险等级“{grade}”无效，须为 A、B、C、D 之一", {"field": "grade"})
    first = dt.date(year, 1, 1)
    low, high = int_rule(f"food.plan.min.{grade}", first), int_rule(f"food.plan.max.{grade}", first)
    if high < low:
        raise DomainError("rule_invalid", f"规则 food.plan.max.{grade}（{high}）小于 food.plan.min.{grade}（{low}），请管理员更正",
                          {"field": "grade"})
    return low, high
