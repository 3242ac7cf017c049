"""The registers behind a task: 抽查事项清单, 抽查计划, 执法检查人员名录库, 检查对象名录库 (with a live
count per 信用风险分类) and 回避申报. Lists for every signed-in user; creating and editing (an item
disabled, a pool changed unless a task has it locked) for departments and administrators (the
services refuse anyone else, and the page shows why)."""

from types import SimpleNamespace

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jianguan.businesses.choices import EntityType
from jianguan.core.errors import DomainError
from jianguan.core.paging import parse_ints
from jianguan.equipment.models import CatalogueEntry
from jianguan.licences.selectors import kind_names
from jianguan.org.models import Subdistrict

from .. import services, services_pools
from ..choices import PoolTarget, TaskStatus
from ..forms import (
    CheckItemEditForm,
    CheckItemForm,
    ConflictForm,
    DisableForm,
    InspectorPoolEditForm,
    InspectorPoolForm,
    ObjectPoolEditForm,
    ObjectPoolForm,
    PlanForm,
    split_codes,
)
from ..models import CheckItem, Conflict, InspectorPool, ObjectPool, Plan
from ..selectors import pool_entries, tasks_locking
from .common import REFUSED, STRATUM_LABEL, TASK_STATUS_BADGE, can_plan, status_of, stratum_counts, today

CONFLICT_LIMIT = 200


def _form_page(request, form, *, title: str, tab: str, back: str, action: str, template: str = "spotchecks/register_form.html",
               status: int = 200, **more):
    return render(request, template, {
        "form": form, "title": title, "tab": tab, "back": back, "action": action, "can_plan": can_plan(request.user),
        "refused_note": REFUSED, **more,
    }, status=status)


def _create(request, form, make, *, done: str, **page):
    """Validate, call the service, show its message on the form or go back to the list."""
    if request.method == "POST" and form.is_valid():
        try:
            obj = make(form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
            return _form_page(request, form, status=status_of(exc), **page)
        messages.success(request, done.format(obj=obj))
        return None
    return _form_page(request, form, status=400 if request.method == "POST" else 200, **page)


def _initial_unit(request) -> dict:
    return {"department": request.user.org_unit_id} if request.user.org_unit_id else {}


# ---------------------------------------------------------------- 抽查事项清单


def item_list(request):
    items = CheckItem.objects.select_related("department").order_by("code")
    return render(request, "spotchecks/items.html", {"items": items, "tab": "items", "can_plan": can_plan(request.user)})


def item_new(request):
    form = CheckItemForm(request.POST or None, initial=_initial_unit(request))
    response = _create(
        request, form, lambda d: services_pools.check_item_create(actor=request.user, **d), done="已添加抽查事项“{obj}”。",
        title="新增抽查事项", tab="items", back=reverse("spotchecks:items"), action=reverse("spotchecks:item_new"),
    )
    return response or redirect("spotchecks:items")


def item_or_404(pk: int) -> CheckItem:
    item = CheckItem.objects.select_related("department").filter(pk=pk).first()
    if item is None:
        raise Http404("抽查事项不存在")
    return item


def _item_page(request, item, *, form=None, disable_form=None, error: str = "", status: int = 200):
    tasks = list(item.tasks.order_by("-start", "number"))
    for task in tasks:
        task.status_badge = TASK_STATUS_BADGE.get(task.status, "")
    return render(request, "spotchecks/item.html", {
        "item": item, "form": form or CheckItemEditForm(initial=CheckItemEditForm.initial_for(item)),
        "disable_form": disable_form or DisableForm(initial={"on": today()}), "error": error, "tasks": tasks,
        "drafts": [t for t in tasks if t.status == TaskStatus.DRAFT], "tab": "items", "can_plan": can_plan(request.user),
        "refused_note": REFUSED,
    }, status=status)


def item_edit(request, pk: int):
    item = item_or_404(pk)
    if request.method != "POST":
        return _item_page(request, item)
    form = CheckItemEditForm(request.POST, initial=CheckItemEditForm.initial_for(item))
    if not form.is_valid():
        return _item_page(request, item, form=form, status=400)
    try:
        item = services_pools.check_item_update(actor=request.user, pk=item.pk, **form.service_fields())
    except DomainError as exc:
        form.add_domain_error(exc)
        return _item_page(request, item_or_404(pk), form=form, status=status_of(exc))
    messages.success(request, f"已保存抽查事项“{item}”。")
    return redirect("spotchecks:items")


@require_POST
def item_disable(request, pk: int):
    item = item_or_404(pk)
    form = DisableForm(request.POST)
    if not form.is_valid():
        return _item_page(request, item, disable_form=form, status=400)
    try:
        item = services_pools.check_item_disable(actor=request.user, pk=item.pk, on=form.cleaned_data["on"])
    except DomainError as exc:
        form.add_domain_error(exc)
        return _item_page(request, item_or_404(pk), disable_form=form, status=status_of(exc))
    messages.success(request, f"抽查事项“{item}”已于 {item.disabled_on:%Y-%m-%d} 停用，新建或编辑任务时不能再选择。")
    return redirect("spotchecks:item_edit", pk=item.pk)


@require_POST
def item_enable(request, pk: int):
    item = item_or_404(pk)
    try:
        item = services_pools.check_item_enable(actor=request.user, pk=item.pk)
    except DomainError as exc:
        return _item_page(request, item, error=exc.message, status=status_of(exc))
    messages.success(request, f"抽查事项“{item}”已恢复使用。")
    return redirect("spotchecks:item_edit", pk=item.pk)


# ---------------------------------------------------------------- 名录库 edits


def _pool_note(pool) -> dict:
    """What an edit of this pool does to its tasks: refused while one is locked; tasks locked earlier
    keep their frozen snapshot; drafts read the edited pool when they are locked."""
    tasks = list(pool.tasks.order_by("number").values_list("number", "status", "locked_at"))
    return {
        "locking": tasks_locking(pool),
        "frozen": [n for n, status, locked_at in tasks if locked_at and status != TaskStatus.LOCKED],
        "drafts": [n for n, status, _ in tasks if status == TaskStatus.DRAFT],
    }


def inspector_pool_edit(request, pk: int):
    pool = InspectorPool.objects.filter(pk=pk).first()
    if pool is None:
        raise Http404("执法检查人员名录库不存在")
    initial = InspectorPoolEditForm.initial_for(pool)
    form = InspectorPoolEditForm(request.POST or None, actor=request.user, initial=initial)
    back = reverse("spotchecks:inspector_pool", args=[pool.pk])
    response = _create(
        request, form, lambda d: services_pools.inspector_pool_update(actor=request.user, pk=pool.pk, **d),
        done="已保存执法检查人员名录库“{obj}”。", title=f"修改执法检查人员名录库：{pool.name}", tab="inspectors", back=back,
        action=reverse("spotchecks:inspector_pool_edit", args=[pool.pk]), pool=pool, **_pool_note(pool),
    )
    return response or redirect(back)


def object_pool_edit(request, pk: int):
    pool = ObjectPool.objects.filter(pk=pk).first()
    if pool is None:
        raise Http404("检查对象名录库不存在")
    form = ObjectPoolEditForm(request.POST or None, initial=ObjectPoolEditForm.initial_for(pool))

    def make(data):
        return services_pools.object_pool_update(
            actor=request.user, pk=pool.pk, name=data["name"], subdistricts=data["subdistricts"], **form.filters(),
        )

    back = reverse("spotchecks:object_pool", args=[pool.pk])
    response = _create(
        request, form, make, done="已保存检查对象名录库“{obj}”。", title=f"修改检查对象名录库：{pool.name}", tab="objects",
        back=back, action=reverse("spotchecks:object_pool_edit", args=[pool.pk]), template="spotchecks/object_pool_form.html",
        pool=pool, **_pool_note(pool),
    )
    return response or redirect(back)


# ---------------------------------------------------------------- 抽查计划


def plan_list(request):
    plans = Plan.objects.select_related("department").annotate(task_count=Count("tasks")).order_by("-year", "name")
    return render(request, "spotchecks/plans.html", {"plans": plans, "tab": "plans", "can_plan": can_plan(request.user)})


def plan_new(request):
    form = PlanForm(request.POST or None, initial={"year": today().year, **_initial_unit(request)})
    response = _create(
        request, form, lambda d: services.plan_create(actor=request.user, **d), done="已制定抽查计划“{obj}”。",
        title="制定抽查计划", tab="plans", back=reverse("spotchecks:plans"), action=reverse("spotchecks:plan_new"),
    )
    return response or redirect("spotchecks:plans")


# ---------------------------------------------------------------- 执法检查人员名录库


def inspector_pool_list(request):
    pools = InspectorPool.objects.select_related("department").annotate(member_count=Count("members", distinct=True))
    return render(request, "spotchecks/inspector_pools.html", {
        "pools": pools, "tab": "inspectors", "can_plan": can_plan(request.user),
    })


def inspector_pool_detail(request, pk: int):
    pool = InspectorPool.objects.select_related("department").filter(pk=pk).first()
    if pool is None:
        raise Http404("执法检查人员名录库不存在")
    on = today()
    members = list(pool.members.select_related("org_unit").order_by("org_unit__code", "full_name", "username"))
    conflicts = _conflict_counts(members)
    for user in members:
        user.valid_today = user.cert_valid_on(on)
        user.conflict_count = conflicts.get(user.pk, 0)
    tasks = list(pool.tasks.order_by("-start", "number"))
    for task in tasks:
        task.status_badge = TASK_STATUS_BADGE.get(task.status, "")
    return render(request, "spotchecks/inspector_pool.html", {
        "pool": pool, "members": members, "valid_count": sum(u.valid_today for u in members), "tasks": tasks, "today": on,
        "tab": "inspectors", "can_plan": can_plan(request.user),
    })


def _conflict_counts(members) -> dict[int, int]:
    rows = Conflict.objects.filter(inspector__in=members).values("inspector").annotate(n=Count("pk"))
    return {row["inspector"]: row["n"] for row in rows}


def inspector_pool_new(request):
    form = InspectorPoolForm(request.POST or None, actor=request.user, initial=_initial_unit(request))
    response = _create(
        request, form, lambda d: services_pools.inspector_pool_create(actor=request.user, **d),
        done="已建立执法检查人员名录库“{obj}”。", title="新建执法检查人员名录库", tab="inspectors",
        back=reverse("spotchecks:inspector_pools"), action=reverse("spotchecks:inspector_pool_new"),
    )
    return response or redirect("spotchecks:inspector_pools")


# ---------------------------------------------------------------- 检查对象名录库


def _labels(values, choices) -> list[str]:
    names = dict(choices)
    return [names.get(v, v) for v in values or []]


def describe_pool(pool) -> list[tuple[str, str]]:
    """The pool's filters in words, for lists and the detail page."""
    equipment = dict(CatalogueEntry.objects.filter(code__in=pool.equipment_types or []).values_list("code", "name"))
    subs = list(pool.subdistricts.order_by("code").values_list("name", flat=True))
    return [
        ("对象类别", pool.get_target_display()),
        ("信用风险分类", "、".join(STRATUM_LABEL.get(c, c) for c in pool.credit_classes or []) or "全部"),
        ("主体类型", "、".join(_labels(pool.entity_types, EntityType.choices)) or "全部"),
        ("行业代码前缀", "、".join(pool.industries or []) or "全部"),
        ("许可类别", "、".join(_labels(pool.licence_kinds, kind_names().items())) or "不限"),
        ("设备种类", "、".join(f"{c} {equipment.get(c, '')}".strip() for c in pool.equipment_types or []) or "不限"),
        ("街道", "、".join(subs) or "全辖区"),
        ("仅重点单位", "是" if pool.key_units_only else "否"),
    ]


def object_pool_list(request):
    pools = list(ObjectPool.objects.select_related("department").prefetch_related("subdistricts"))
    for pool in pools:
        pool.described = [(k, v) for k, v in describe_pool(pool) if v not in ("全部", "不限", "全辖区", "否")]
    return render(request, "spotchecks/object_pools.html", {
        "pools": pools, "tab": "objects", "can_plan": can_plan(request.user),
    })


def object_pool_detail(request, pk: int):
    pool = ObjectPool.objects.select_related("department").filter(pk=pk).first()
    if pool is None:
        raise Http404("检查对象名录库不存在")
    entries = pool_entries(pool)
    tasks = list(pool.tasks.order_by("-start", "number"))
    for task in tasks:
        task.status_badge = TASK_STATUS_BADGE.get(task.status, "")
    return render(request, "spotchecks/object_pool.html", {
        "pool": pool, "described": describe_pool(pool), "counts": stratum_counts(entries), "total": len(entries),
        "tasks": tasks, "today": today(), "tab": "objects", "can_plan": can_plan(request.user),
    })


def _preview(data) -> dict:
    """Objects per 信用风险分类 that these filters select today, or the reason they cannot be read."""
    try:
        filters = services_pools.object_pool_filters(
            target=data.get("target") or PoolTarget.BUSINESSES, entity_types=data.getlist("entity_types"),
            industries=split_codes(data.get("industries", "")), licence_kinds=data.getlist("licence_kinds"),
            equipment_types=data.getlist("equipment_types"), key_units_only=data.get("key_units_only") in ("on", "true", "1"),
            credit_classes=data.getlist("credit_classes"),
        )
    except DomainError as exc:
        return {"preview_error": exc.message}
    ids = parse_ints(data.getlist("subdistricts"))
    pool = SimpleNamespace(**filters, subdistricts=Subdistrict.objects.filter(pk__in=ids))
    entries = pool_entries(pool)
    return {"counts": stratum_counts(entries), "total": len(entries)}


def object_pool_preview(request):
    """htmx: the live count of the object-pool form."""
    return render(request, "spotchecks/_pool_preview.html", {**_preview(request.GET), "on": today()})


def object_pool_new(request):
    form = ObjectPoolForm(request.POST or None, initial={**_initial_unit(request), "target": PoolTarget.BUSINESSES})

    def make(data):
        return services_pools.object_pool_create(
            actor=request.user, name=data["name"], department=data["department"], subdistricts=data["subdistricts"],
            **form.filters(),
        )

    response = _create(
        request, form, make, done="已建立检查对象名录库“{obj}”。", title="新建检查对象名录库", tab="objects",
        back=reverse("spotchecks:object_pools"), action=reverse("spotchecks:object_pool_new"),
        template="spotchecks/object_pool_form.html",
    )
    return response or redirect("spotchecks:object_pools")


# ---------------------------------------------------------------- 回避申报


def conflict_list(request):
    conflicts = (
        Conflict.objects.select_related("inspector__org_unit", "business").order_by("-declared_on", "-pk")[:CONFLICT_LIMIT]
    )
    return render(request, "spotchecks/conflicts.html", {
        "conflicts": conflicts, "limit": CONFLICT_LIMIT, "tab": "conflicts", "can_plan": can_plan(request.user),
    })


def conflict_new(request):
    form = ConflictForm(request.POST or None, actor=request.user, initial={"declared_on": today()})

    def make(data):
        return services_pools.conflict_declare(
            actor=request.user, inspector=data["inspector"], business=data["business"], relation=data["relation"],
            reason=data["reason"], on=data["declared_on"],
        )

    response = _create(
        request, form, make, done="已登记回避申报：{obj.inspector} 不参与对“{obj.business.name}”的抽查。", title="回避申报",
        tab="conflicts", back=reverse("spotchecks:conflicts"), action=reverse("spotchecks:conflict_new"),
    )
    return response or redirect("spotchecks:conflicts")
