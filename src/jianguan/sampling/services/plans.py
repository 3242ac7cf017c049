"""年度抽检计划: one per department and year, with its batch targets by food category and 业态."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from jianguan.core.errors import DomainError, PermissionDenied
from jianguan.core.services import acting
from jianguan.org.choices import OrgKind, Role
from jianguan.org.models import OrgUnit, User

from ..models import BusinessFormat, FoodCategory, PlanTarget, SamplingPlan
from .common import check_version, require_text, save


@dataclass(frozen=True)
class Target:
    batches: int
    food_category: FoodCategory | None = None
    business_format: BusinessFormat | None = None


@transaction.atomic
def plan_save(*, actor: User | None, year: int, department: OrgUnit, title: str, batches: int,
              per_thousand_target: Decimal | None = None, targets: list[Target] = (), note: str = "",
              plan: SamplingPlan | None = None, version: int | None = None, ip: str | None = None) -> SamplingPlan:
    """Create or replace a department's plan for the year (its targets are replaced as a whole)."""
    if actor is not None and actor.role not in (Role.DEPARTMENT, Role.ADMIN):
        raise PermissionDenied("年度抽检计划由业务科室制定")
    if department.kind != OrgKind.DEPARTMENT:
        raise DomainError("invalid_department", f"“{department.name}”不是业务科室", {"field": "department"})
    if batches is None or batches < 0:
        raise DomainError("invalid_batches", "计划批次须为非负整数", {"field": "batches"})
    seen = set()
    for t in targets:
        if t.food_category is None and t.business_format is None:
            raise DomainError("target_dimension", "计划分项须指定食品大类或业态", {"field": "targets"})
        key = (t.food_category and t.food_category.pk, t.business_format and t.business_format.pk)
        if key in seen:
            raise DomainError("target_duplicate", f"计划分项“{t.food_category or ''}{t.business_format or ''}”重复", {"field": "targets"})
        seen.add(key)
        if t.batches < 0:
            raise DomainError("invalid_batches", "计划分项的批次须为非负整数", {"field": "targets"})
    if plan is None:
        if SamplingPlan.objects.filter(year=year, department=department).exists():
            raise DomainError("plan_exists", f"{department.name}{year}年度的抽检计划已制定，请修改原计划", {"field": "year"})
        plan = SamplingPlan(year=year, department=department, created_by=actor)
    else:
        plan = SamplingPlan.objects.select_for_update().get(pk=plan.pk)
        check_version(plan, version)
        plan.version += 1
    plan.title, plan.batches, plan.per_thousand_target = require_text(title, "title", "计划名称"), batches, per_thousand_target
    plan.note = note.strip()
    with acting(actor, ip):
        save(plan)
        plan.targets.all().delete()
        for t in targets:
            PlanTarget.objects.create(plan=plan, food_category=t.food_category, business_format=t.business_format, batches=t.batches)
    return plan
