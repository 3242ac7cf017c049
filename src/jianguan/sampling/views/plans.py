"""年度抽检计划 pages: the list, the plan form (department, year, batches, the 批次/千人 target and target
lines by 食品大类 and/or 业态) and the plan's page with its progress (the year's samples against each target,
批次/千人 over the population rule when one is in force)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from jianguan.core.errors import DomainError, NotFound
from jianguan.core.middleware import client_ip

from .. import selectors, services
from ..forms import PlanForm
from .common import can_plan, status_of, today


def _plan_or_404(request, pk: int):
    try:
        return selectors.plan_get(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def plan_list(request):
    on = today()
    plans = list(selectors.plan_list(actor=request.user)[:100])
    progress = {p.pk: selectors.plan_progress(actor=request.user, plan=p, on=on) for p in plans[:10]}
    for p in plans:
        p.progress = progress.get(p.pk)
    return render(request, "sampling/plans.html", {"plans": plans, "can_plan": can_plan(request.user), "today": on,
                                                   "tab": "plans"})


def plan_detail(request, pk: int):
    on = today()
    plan = _plan_or_404(request, pk)
    return render(request, "sampling/plan.html", {
        "plan": plan, "progress": selectors.plan_progress(actor=request.user, plan=plan, on=on),
        "can_plan": can_plan(request.user), "today": on, "tab": "plans",
    })


def plan_form(request, pk: int | None = None):
    """制定 (or 修改) a department's plan for a year; its target lines are replaced as a whole."""
    plan = _plan_or_404(request, pk) if pk is not None else None
    context = {"plan": plan, "tab": "plans"}
    if not can_plan(request.user):
        return render(request, "sampling/plan_form.html", {**context, "read_only": True}, status=403)
    if request.method != "POST":
        initial = {"year": today().year}
        if plan is not None:
            initial = {"version": plan.version, "department": plan.department_id, "year": plan.year, "title": plan.title,
                       "batches": plan.batches, "per_thousand_target": plan.per_thousand_target, "note": plan.note}
        form = PlanForm(actor=request.user, record=plan, initial=initial)
        return render(request, "sampling/plan_form.html", {**context, "form": form})
    form = PlanForm(request.POST, actor=request.user, record=plan,
                    initial={"department": plan.department_id, "year": plan.year} if plan else None)
    if not form.is_valid():
        return render(request, "sampling/plan_form.html", {**context, "form": form}, status=400)
    data = form.cleaned_data
    try:
        saved = services.plan_save(
            actor=request.user, ip=client_ip(request), plan=plan, version=data.get("version"), year=data["year"],
            department=data["department"], title=data["title"], batches=data["batches"],
            per_thousand_target=data.get("per_thousand_target"), targets=form.targets(), note=data.get("note") or "")
    except DomainError as exc:
        form.add_domain_error(exc)
        return render(request, "sampling/plan_form.html", {**context, "form": form, "error": exc,
                                                           "stale": exc.code == "concurrent_edit"}, status=status_of(exc))
    messages.success(request, f"已保存{saved}。")
    return redirect("sampling:plan", saved.pk)
