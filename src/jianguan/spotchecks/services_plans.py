"""A plan's status: 草拟 → 执行中 (下达) → 已完成, checked against PLAN_TRANSITIONS.

Same rules as the other spot-check services: departments and administrators only, one transaction,
audited under the actor (`acting`), a Chinese DomainError when refused. The plan row is locked for
the transition; task_create locks it too, so no task can slip into a plan while it is being completed."""

from django.core.exceptions import ValidationError
from django.db import transaction

from jianguan.core.errors import DomainError
from jianguan.core.services import acting, validation_error
from jianguan.org.models import User

from .choices import PLAN_TRANSITIONS, PlanStatus, TaskStatus
from .models import Plan
from .services import check_planner

FINISHED = (TaskStatus.PUBLISHED, TaskStatus.VOIDED)
NAMED = 5  # how many unfinished task numbers the refusal names


def _locked_plan(pk: int) -> Plan:
    return Plan.objects.select_for_update().get(pk=pk)


def _move(plan: Plan, status: str) -> None:
    if PlanStatus(status) not in PLAN_TRANSITIONS[PlanStatus(plan.status)]:
        raise DomainError(
            "invalid_transition", f"计划状态为“{plan.get_status_display()}”，不能变为“{PlanStatus(status).label}”"
        )
    plan.status = status


def _save(plan: Plan, actor: User | None) -> Plan:
    try:
        plan.full_clean()
    except ValidationError as exc:
        raise validation_error(exc) from exc
    with acting(actor):
        plan.save(update_fields=["status"])
    return plan


@transaction.atomic
def plan_activate(*, actor: User | None, pk: int) -> Plan:
    """下达: the plan is in force; its tasks are carried out under it."""
    check_planner(actor)
    plan = _locked_plan(pk)
    _move(plan, PlanStatus.ACTIVE)
    return _save(plan, actor)


@transaction.atomic
def plan_complete(*, actor: User | None, pk: int) -> Plan:
    """已完成 once every task is published or voided and at least one was published: a plan whose
    tasks were all voided checked nothing, and a task still running would drop out of the year's figures."""
    check_planner(actor)
    plan = _locked_plan(pk)
    _move(plan, PlanStatus.DONE)
    open_tasks = list(plan.tasks.exclude(status__in=FINISHED).order_by("number").values_list("number", flat=True))
    if open_tasks:
        named = "、".join(open_tasks[:NAMED]) + ("等" if len(open_tasks) > NAMED else "")
        raise DomainError(
            "tasks_unfinished", f"计划中还有 {len(open_tasks)} 个任务未公示也未作废（{named}），不能完成",
            {"tasks": open_tasks},
        )
    if not plan.tasks.filter(status=TaskStatus.PUBLISHED).exists():
        raise DomainError("nothing_published", "计划中没有已公示结果的任务，不能完成")
    return _save(plan, actor)
