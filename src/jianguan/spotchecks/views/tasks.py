"""抽查任务: the list, the draft form, and the task page through its life — 锁定, 抽取 (the screen the
supervisor watches), 生成检查, 结果登记, 公示, 作废. Every write is one service call; its Chinese
message is shown next to the field, a stale page shows the ConcurrentEdit message and keeps the input."""

import json

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST, require_safe

from jianguan.core.errors import DomainError
from jianguan.core.paging import parse_int
from jianguan.core.panels import due_soon_until

from .. import labels, services, services_pools
from ..choices import TaskStatus
from ..forms import DrawForm, PublishForm, ResultForm, TaskForm, VersionForm, VoidForm
from ..models import DrawnObject, Plan, Task
from ..queries import overdue_publications, pending_publications
from .common import (
    REFUSED,
    STRATA,
    STRATUM_LABEL,
    TASK_STATUS_BADGE,
    can_plan,
    draw_plan,
    drawn_rows,
    public_record_url,
    public_task_url,
    publish_clock,
    ratio_text,
    status_of,
    task_or_404,
    today,
)

LIST_LIMIT = 200
OVERDUE_LIMIT = 20
PUBLISH_FILTERS = {"overdue": "逾期未公示", "soon": "即将到期未公示", "pending": "待公示"}
AFTER_DRAW = (TaskStatus.DRAWN, TaskStatus.IN_PROGRESS, TaskStatus.PUBLISHED)
FINAL = (TaskStatus.PUBLISHED, TaskStatus.VOIDED)


def _stale(form, task_pk: int) -> None:
    """After a ConcurrentEdit the input stays; the hidden version moves on, so sending again is deliberate."""
    form.data = form.data.copy()
    form.data["version"] = str(Task.objects.values_list("version", flat=True).get(pk=task_pk))


# ---------------------------------------------------------------- list


def task_list(request):
    status = request.GET.get("status", "")
    qs = Task.objects.select_related("plan").annotate(drawn_count=Count("drawn")).order_by("-start", "-number")
    if status in TaskStatus.values:
        qs = qs.filter(status=status)
    plan_pk = parse_int(request.GET.get("plan"))
    plan = Plan.objects.filter(pk=plan_pk).first() if plan_pk is not None else None
    if plan is not None:
        qs = qs.filter(plan=plan)
    if business := request.GET.get("business", "").strip():  # from the business page (一户一档)
        qs = qs.filter(drawn__business__uscc=business.upper()).distinct()
    tasks = list(qs[: LIST_LIMIT + 1])
    for task in tasks:
        task.status_badge = TASK_STATUS_BADGE.get(task.status, "")
    counts = {row: 0 for row in TaskStatus.values}
    for value in Task.objects.values_list("status", flat=True):
        counts[value] += 1
    publish = request.GET.get("publish", "")
    if publish in PUBLISH_FILTERS:  # from the to-do home: the results to publish, overdue or falling due soon
        on = today()
        overdue = list(pending_publications(
            on, actor=request.user, window=publish, until=due_soon_until(on)
        )[: OVERDUE_LIMIT + 1])
    else:
        publish = ""
        overdue = list(overdue_publications(today(), actor=request.user)[: OVERDUE_LIMIT + 1])
    for obj in overdue:
        obj.clock = publish_clock(obj, today())
    return render(request, "spotchecks/tasks.html", {
        "overdue": overdue[:OVERDUE_LIMIT], "more_overdue": len(overdue) > OVERDUE_LIMIT,
        "publish": PUBLISH_FILTERS.get(publish, ""), "business": business,
        "tasks": tasks[:LIST_LIMIT], "more": len(tasks) > LIST_LIMIT, "status": status, "plan": plan,
        "statuses": [(value, label, counts[value]) for value, label in TaskStatus.choices], "tab": "tasks",
        "can_plan": can_plan(request.user),
    })


# ---------------------------------------------------------------- draft form


def _form_page(request, form, task=None, *, stale=False, status=200):
    return render(request, "spotchecks/task_form.html", {
        "form": form, "task": task, "stale": stale, "can_plan": can_plan(request.user), "refused_note": REFUSED,
        "tab": "tasks", "editable": task is None or task.status == TaskStatus.DRAFT,
    }, status=status)


def task_new(request):
    if request.method != "POST":
        on = today()
        initial = {f"ratio_{s}": r for s, r in services.default_ratios(on).items()} | {"team_size": 2}
        if plan := request.GET.get("plan"):
            initial["plan"] = plan
        return _form_page(request, TaskForm(initial=initial))
    form = TaskForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    fields = form.service_fields()
    try:
        task = services.task_create(actor=request.user, plan=form.cleaned_data["plan"], **fields)
    except DomainError as exc:
        form.add_domain_error(exc)
        return _form_page(request, form, status=status_of(exc))
    messages.success(request, f"已创建抽查任务 {task.number}（草拟）。核对无误后请锁定名录。")
    return redirect("spotchecks:task", pk=task.pk)


def task_edit(request, pk: int):
    task = task_or_404(pk)
    if request.method != "POST":
        return _form_page(request, TaskForm(initial=TaskForm.initial_for(task), editing=True), task)
    form = TaskForm(request.POST, initial=TaskForm.initial_for(task), editing=True)
    if not form.is_valid():
        return _form_page(request, form, task, status=400)
    try:
        services_pools.task_edit(actor=request.user, pk=task.pk, version=form.cleaned_data["version"], **form.service_fields())
    except DomainError as exc:
        form.add_domain_error(exc)
        stale = exc.code == "concurrent_edit"
        if stale:
            _stale(form, task.pk)
        return _form_page(request, form, task_or_404(pk), stale=stale, status=status_of(exc))
    messages.success(request, f"已保存抽查任务 {task.number}。")
    return redirect("spotchecks:task", pk=task.pk)


# ---------------------------------------------------------------- the task page


def task_context(request, task: Task, **forms) -> dict:
    on = today()
    planner = can_plan(request.user)
    version = {"version": task.version}
    ratios = task.ratios or {}
    context = {
        "task": task,
        "tab": "tasks",
        "items": list(task.items.all()),
        "departments": list(task.departments.all()),
        "ratios": [(STRATUM_LABEL[s], ratio_text(ratios[s])) for s in STRATA if s in ratios],
        "can_plan": planner,
        "refused_note": REFUSED,
        "stale": forms.pop("stale", False),
        "public_url": public_task_url(task) if task.locked_at else "",
        "record_url": reverse("spotchecks:task_record", args=[task.pk]) if task.record else "",
        "public_record_url": public_record_url(task) if task.record and task.labels else "",
        "today": on,
    }
    if task.pool_snapshot is not None:
        context["draw_plan"] = draw_plan(task)
        context["pool_total"] = len(task.pool_snapshot)
        context["take_total"] = sum(row["take"] for row in context["draw_plan"])
        context["inspector_total"] = len(task.inspector_snapshot or [])
    if task.record:
        rows = drawn_rows(task, on)
        context["drawn"] = rows
        context["recorded"] = sum(1 for o in rows if o.result)
        context["published"] = sum(1 for o in rows if o.published_on)
    if not planner:
        context.update(forms)  # a refused form is shown with the service's message
        return context
    if task.status == TaskStatus.DRAFT:
        context["lock_form"] = forms.get("lock_form") or VersionForm(initial=version)
    if task.status == TaskStatus.DRAWN:
        context["start_form"] = forms.get("start_form") or VersionForm(initial=version)
    if task.status == TaskStatus.IN_PROGRESS:
        latest = max((o.result_on for o in context.get("drawn", []) if o.result_on), default=on)
        context["publish_form"] = forms.get("publish_form") or PublishForm(initial={**version, "on": max(on, latest)})
    if task.status not in FINAL:
        context["void_form"] = forms.get("void_form") or VoidForm(initial=version)
    context.update({k: v for k, v in forms.items() if k.endswith("_form")})
    return context


@require_safe
def task_record(request, pk: int):
    """The full draw record, for staff and auditors: the public record (strata and inspectors by their
    labels, so that it verifies as published) plus what each label stands for."""
    task = task_or_404(pk)
    if task.record is None:
        raise Http404("任务尚未抽取，没有抽取记录")
    body = json.dumps(labels.full_record(task.record, task.labels), ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(False, f"{task.number}-draw-full.json")
    return response


def task_detail(request, pk: int):
    return render(request, "spotchecks/task.html", task_context(request, task_or_404(pk)))


def _failed(request, task, form_name: str, form, exc: DomainError | None = None, template: str = "spotchecks/task.html",
            context_of=None):
    stale = exc is not None and exc.code == "concurrent_edit"
    if stale:
        _stale(form, task.pk)
    task = task_or_404(task.pk)
    context = (context_of or task_context)(request, task, **{form_name: form}, stale=stale)
    context["open_form"] = form_name
    return render(request, template, context, status=status_of(exc) if exc else 400)


def _transition(request, pk: int, form_class, form_name: str, call, done):
    task = task_or_404(pk)
    form = form_class(request.POST)
    if not form.is_valid():
        return _failed(request, task, form_name, form)
    try:
        task = call(task, form.cleaned_data)
    except DomainError as exc:
        form.add_domain_error(exc)
        return _failed(request, task, form_name, form, exc)
    messages.success(request, done(task))
    return redirect("spotchecks:task", pk=task.pk)


@require_POST
def task_lock(request, pk: int):
    return _transition(
        request, pk, VersionForm, "lock_form",
        lambda task, data: services.task_lock(actor=request.user, pk=task.pk, version=data["version"]),
        lambda task: f"任务 {task.number} 已锁定：对象名录 {len(task.pool_snapshot)} 个、执法人员 {len(task.inspector_snapshot)} 名，承诺值已生成，可以公布。",
    )


@require_POST
def task_start(request, pk: int):
    return _transition(
        request, pk, VersionForm, "start_form",
        lambda task, data: services.task_start(actor=request.user, pk=task.pk, version=data["version"]),
        lambda task: f"已为 {task.drawn.count()} 个抽中对象生成双随机抽查检查。",
    )


@require_POST
def task_publish(request, pk: int):
    return _transition(
        request, pk, PublishForm, "publish_form",
        lambda task, data: services.results_publish(actor=request.user, pk=task.pk, version=data["version"], on=data["on"]),
        lambda task: f"任务 {task.number} 的抽查结果已公示。",
    )


@require_POST
def task_void(request, pk: int):
    return _transition(
        request, pk, VoidForm, "void_form",
        lambda task, data: services.task_void(actor=request.user, pk=task.pk, version=data["version"], reason=data["reason"]),
        lambda task: f"任务 {task.number} 已作废。",
    )


# ---------------------------------------------------------------- 抽取


def draw_context(request, task: Task, **forms) -> dict:
    context = task_context(request, task, **{k: v for k, v in forms.items() if k == "stale"})
    form = forms.get("draw_form")
    if form is None and can_plan(request.user) and task.status == TaskStatus.LOCKED:
        form = DrawForm(initial={"version": task.version})
    context["draw_form"] = form
    return context


def task_draw(request, pk: int):
    task = task_or_404(pk)
    if request.method != "POST":
        return render(request, "spotchecks/draw.html", draw_context(request, task))
    form = DrawForm(request.POST)
    if not form.is_valid():
        return _failed(request, task, "draw_form", form, template="spotchecks/draw.html", context_of=draw_context)
    data = form.cleaned_data
    try:
        task = services.task_draw(
            actor=request.user, pk=task.pk, version=data["version"], witness=data["witness"], witness_name=data["witness_name"]
        )
    except DomainError as exc:
        form.add_domain_error(exc)
        return _failed(request, task, "draw_form", form, exc, template="spotchecks/draw.html", context_of=draw_context)
    messages.success(request, f"抽取完成：共抽中 {task.drawn.count()} 个对象。抽取记录已保存，任何人都可以复核。")
    return redirect("spotchecks:task_draw", pk=task.pk)


# ---------------------------------------------------------------- 结果登记


def results_context(request, task: Task, **forms) -> dict:
    context = task_context(request, task, **{k: v for k, v in forms.items() if k in ("stale", "publish_form")})
    failed = forms.get("result_form")
    failed_pk = forms.get("failed_pk")
    rows = context.get("drawn", [])
    open_rows = task.status == TaskStatus.IN_PROGRESS
    for obj in rows:
        if failed is not None and obj.pk == failed_pk:
            obj.form = failed
        elif open_rows and not obj.published_on:
            obj.form = ResultForm(prefix=f"r{obj.pk}", initial={"result": obj.result or ""})
        else:
            obj.form = None
    context["bulk_error"] = forms.get("bulk_error", "")
    context["done_waiting"] = sum(1 for o in rows if not o.result and o.inspection_id and o.inspection.is_done)
    return context


def task_results(request, pk: int):
    task = task_or_404(pk)
    return render(request, "spotchecks/results.html", results_context(request, task))


@require_POST
def result_record(request, pk: int, obj_pk: int):
    task = task_or_404(pk)
    obj = DrawnObject.objects.filter(task=task, pk=obj_pk).first()
    if obj is None:
        raise Http404("抽中对象不存在")
    form = ResultForm(request.POST, prefix=f"r{obj.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            obj = services_pools.drawn_result_record(actor=request.user, pk=obj.pk, result=data["result"], on=data["on"])
        except DomainError as exc:
            form.add_domain_error(exc)
            context = results_context(request, task, result_form=form, failed_pk=obj.pk)
            return render(request, "spotchecks/results.html", context, status=status_of(exc))
        messages.success(request, f"已登记“{obj.business.name}”的抽查结果：{obj.get_result_display()}，公示期限 {obj.publish_due:%Y-%m-%d}。")
        return redirect(reverse("spotchecks:task_results", args=[task.pk]) + f"#drawn-{obj.pk}")
    context = results_context(request, task, result_form=form, failed_pk=obj.pk)
    return render(request, "spotchecks/results.html", context, status=400)


@require_POST
def results_from_inspections(request, pk: int):
    task = task_or_404(pk)
    try:
        count = services_pools.results_from_inspections(actor=request.user, task_pk=task.pk)
    except DomainError as exc:
        context = results_context(request, task, bulk_error=exc.message)
        return render(request, "spotchecks/results.html", context, status=status_of(exc))
    messages.success(request, f"已按检查结果登记 {count} 个抽中对象的抽查结果。")
    return redirect("spotchecks:task_results", pk=task.pk)
