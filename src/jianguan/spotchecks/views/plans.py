"""抽查计划 page: the plan, its tasks by status, and its two steps — 下达 (draft → active) and 完成
(active → done) — each one POST to one service; a refusal is shown on the page with a 4xx status."""

from collections import Counter

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jianguan.core.errors import DomainError

from .. import services_plans
from ..choices import PlanStatus, TaskStatus
from ..models import Plan
from .common import REFUSED, TASK_STATUS_BADGE, can_plan, status_of

PLAN_STATUS_BADGE = {PlanStatus.DRAFT: "", PlanStatus.ACTIVE: "moved_out", PlanStatus.DONE: "active"}


def plan_or_404(pk: int) -> Plan:
    plan = Plan.objects.select_related("department").filter(pk=pk).first()
    if plan is None:
        raise Http404("抽查计划不存在")
    plan.status_badge = PLAN_STATUS_BADGE.get(plan.status, "")
    return plan


def plan_context(request, plan: Plan, error: str = "") -> dict:
    tasks = list(plan.tasks.annotate(drawn_count=Count("drawn")).order_by("-start", "number"))
    for task in tasks:
        task.status_badge = TASK_STATUS_BADGE.get(task.status, "")
    by_status = Counter(task.status for task in tasks)
    finished = by_status[TaskStatus.PUBLISHED] + by_status[TaskStatus.VOIDED]
    return {
        "plan": plan, "tasks": tasks, "tab": "plans", "error": error, "can_plan": can_plan(request.user),
        "refused_note": REFUSED, "published": by_status[TaskStatus.PUBLISHED], "voided": by_status[TaskStatus.VOIDED],
        "unfinished": len(tasks) - finished,
        "ready": len(tasks) == finished and by_status[TaskStatus.PUBLISHED] > 0,
    }


def plan_detail(request, pk: int):
    return render(request, "spotchecks/plan.html", plan_context(request, plan_or_404(pk)))


def _step(request, pk: int, call, done: str):
    plan = plan_or_404(pk)
    try:
        plan = call(actor=request.user, pk=plan.pk)
    except DomainError as exc:
        return render(request, "spotchecks/plan.html", plan_context(request, plan_or_404(pk), exc.message), status=status_of(exc))
    messages.success(request, done.format(plan=plan))
    return redirect("spotchecks:plan", pk=plan.pk)


@require_POST
def plan_activate(request, pk: int):
    return _step(request, pk, services_plans.plan_activate, "抽查计划“{plan}”已下达。")


@require_POST
def plan_complete(request, pk: int):
    return _step(request, pk, services_plans.plan_complete, "抽查计划“{plan}”已完成。")
