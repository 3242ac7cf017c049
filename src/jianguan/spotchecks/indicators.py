"""双随机、一公开 figures (seed 004: 共创建执法人员库*个，检查对象库*个，抽查计划*项，抽查任务*项，完成抽查计划*项，
抽查任务*项，已随机抽取检查对象*户), plus the share of results published on time.

Scope. Name lists (名录库), plans and tasks are the bureau's own work: a department builds them for
the whole bureau and none belongs to a jurisdiction, so they are counted bureau-wide in every scope
(scope_field ""), and their definitions say so. Narrowing a task to the stations whose businesses it
happened to draw would make a task planned for the whole district count in several stations and a
task not yet drawn count nowhere. What does have a place is counted by it: a drawn object (and its
result) by the subdistrict its business was in at the draw (DrawnObject.subdistrict).

Dates. A task's date is its start date (the model keeps no creation date); a drawn object's is the
draw's time, in Asia/Shanghai; a result's is its publication date. A task or plan is done on the
day its last result was published: a task is published all at once, and a plan has no date of its
own, so a plan marked 已完成 counts in the period holding the last publication of its tasks.

Voided tasks (作废, void from the start: a voided draw is redone as a new task) count nowhere: not as
tasks, not for the objects they drew. Results are published only by tasks that were not voided.

户 counts businesses: a task drawing from a device pool may draw several devices of one operator,
which is one 户 of that task; the drill-down lists one representative drawn device (the first) for
each. The same business drawn by two tasks counts in each (two spot checks).
"""

import datetime as dt

from django.db.models import F, Max, Min, Q
from django.utils import timezone

from jianguan.core.indicators import Column, Indicator, register
from jianguan.core.periods import Params

from .choices import PlanStatus, TaskStatus
from .models import DrawnObject, InspectorPool, ObjectPool, Plan, Task

BUREAU = ""  # scope_field of bureau-level records (no jurisdiction)
_ALL = "全局口径：名录库、计划和任务由业务科室为全局制定，不分辖区，按监管所或街道统计时也计全局数。"

INSPECTOR_POOL_COLUMNS = (
    Column("名录库名称", "name"),
    Column("建库单位", "department.name"),
    Column("建库日期", "created_on"),
)
OBJECT_POOL_COLUMNS = (
    Column("名录库名称", "name"),
    Column("对象类别", "get_target_display"),
    Column("建库单位", "department.name"),
    Column("建库日期", "created_on"),
)
PLAN_COLUMNS = (
    Column("年度", "year"),
    Column("计划名称", "name"),
    Column("制定单位", "department.name"),
    Column("制定日期", "created_on"),
    Column("状态", "get_status_display"),
)
TASK_COLUMNS = (
    Column("任务编号", "number"),
    Column("任务名称", "name"),
    Column("抽查计划", "plan.name"),
    Column("开始日期", "start"),
    Column("结束日期", "end"),
    Column("状态", "get_status_display"),
)
DRAWN_COLUMNS = (
    Column("任务编号", "task.number"),
    Column("任务名称", "task.name"),
    Column("市场主体名称", "business.name"),
    Column("统一社会信用代码", "business.uscc"),
    Column("抽中对象标识", "key"),
    Column("信用风险分类", "stratum"),
    Column("所属街道", "subdistrict.name"),
    Column("抽取时间", "task.drawn_at"),
)
RESULT_COLUMNS = (
    Column("任务编号", "task.number"),
    Column("市场主体名称", "business.name"),
    Column("统一社会信用代码", "business.uscc"),
    Column("所属街道", "subdistrict.name"),
    Column("抽查结果", "get_result_display"),
    Column("结果日期", "result_on"),
    Column("公示期限", "publish_due"),
    Column("公示日期", "published_on"),
)


def _inspector_pools():
    return InspectorPool.objects.select_related("department")


def _object_pools():
    return ObjectPool.objects.select_related("department")


def _plans():
    return Plan.objects.select_related("department")


def _tasks():
    return Task.objects.select_related("plan").defer("pool_snapshot", "inspector_snapshot", "record")


def _drawn():
    return DrawnObject.objects.select_related("task", "business", "subdistrict").defer(
        "task__pool_snapshot", "task__inspector_snapshot", "task__record"
    )


# ---------------------------------------------------------------- conditions


def _in_period(field: str):
    return lambda p: Q(**{f"{field}__gte": p.period.start, f"{field}__lte": p.period.end})


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _drawn_in_period(p: Params) -> Q:
    """Drawn within the period (local dates), by a task that was not voided."""
    return Q(
        task__drawn_at__gte=_local_midnight(p.period.start),
        task__drawn_at__lt=_local_midnight(p.period.end + dt.timedelta(days=1)),
    ) & ~Q(task__status=TaskStatus.VOIDED)


def _one_per_business(p: Params) -> Q:
    """One drawn object per task and business: the smallest id (an uncorrelated subquery)."""
    first = (
        DrawnObject.objects.filter(_drawn_in_period(p)).order_by().values("task", "business").annotate(first=Min("pk")).values("first")
    )
    return Q(pk__in=first)


def _last_published_in_period(group: str):
    """Ids of `group` (task, task__plan) whose latest publication date falls in the period."""

    def ids(p: Params):
        return (
            DrawnObject.objects.filter(published_on__isnull=False).order_by().values(group)
            .annotate(last=Max("published_on")).filter(last__gte=p.period.start, last__lte=p.period.end).values(group)
        )

    return ids


_task_last = _last_published_in_period("task")
_plan_last = _last_published_in_period("task__plan")


def _task_done(p: Params) -> Q:
    return Q(status=TaskStatus.PUBLISHED, pk__in=_task_last(p))


def _plan_done(p: Params) -> Q:
    return Q(status=PlanStatus.DONE, pk__in=_plan_last(p))


def _on_time(p: Params) -> Q:
    return Q(published_on__lte=F("publish_due"))


# ---------------------------------------------------------------- registration


def _figure(key, label, unit, definition, *, source, queryset, where, residual=None, columns, scope_field="subdistrict", **extra):
    condition = where if residual is None else (lambda p: where(p) & residual(p))
    return register(
        Indicator(
            key=key, label=label, unit=unit, definition=definition, uses="period", source=source, queryset=queryset,
            condition=condition, where=where, residual=residual, columns=columns, scope_field=scope_field, **extra,
        )
    )


_figure(
    "spotchecks.inspector_pools", "创建执法人员库", "个",
    f"建库日期在统计期间内的执法检查人员名录库个数。{_ALL}",
    source="spotchecks.inspector_pool", queryset=_inspector_pools, where=_in_period("created_on"),
    columns=INSPECTOR_POOL_COLUMNS, scope_field=BUREAU,
)
_figure(
    "spotchecks.object_pools", "创建检查对象库", "个",
    f"建库日期在统计期间内的检查对象名录库个数。{_ALL}",
    source="spotchecks.object_pool", queryset=_object_pools, where=_in_period("created_on"),
    columns=OBJECT_POOL_COLUMNS, scope_field=BUREAU,
)

_PLANS = {"source": "spotchecks.plan", "queryset": _plans, "columns": PLAN_COLUMNS, "scope_field": BUREAU}
_figure(
    "spotchecks.plans", "制定抽查计划", "项", f"制定日期在统计期间内的抽查计划项数（不论其状态）。{_ALL}",
    where=_in_period("created_on"), **_PLANS,
)
_figure(
    "spotchecks.plans_done", "完成抽查计划", "项",
    "状态为已完成、且其任务最后一次公示抽查结果的日期在统计期间内的抽查计划项数（计划本身不记完成日期，"
    f"以最后一次公示日为完成日）。{_ALL}",
    where=_plan_done, source="spotchecks.plan_done", queryset=_plans, columns=PLAN_COLUMNS, scope_field=BUREAU,
)

_figure(
    "spotchecks.tasks", "抽查任务", "项",
    f"开始日期在统计期间内、未作废的抽查任务项数（含草拟、已锁定、已抽取、检查中和已公示的任务）。{_ALL}",
    source="spotchecks.task", queryset=_tasks, where=lambda p: _in_period("start")(p) & ~Q(status=TaskStatus.VOIDED),
    columns=TASK_COLUMNS, scope_field=BUREAU,
)
_figure(
    "spotchecks.tasks_done", "完成抽查任务", "项",
    f"统计期间内公示抽查结果、任务状态为已公示的抽查任务项数（一项任务的结果一次公示，以其公示日期为完成日）。{_ALL}",
    source="spotchecks.task_done", queryset=_tasks, where=_task_done, columns=TASK_COLUMNS, scope_field=BUREAU,
)

_figure(
    "spotchecks.objects_drawn", "随机抽取检查对象", "户",
    "抽取时间在统计期间内、未作废的抽查任务抽中的市场主体户数：同一任务按设备抽取、抽中同一使用单位的多台设备计一户，"
    "同一主体被不同任务抽中各计一户；按抽取时主体所在街道统计范围。",
    source="spotchecks.drawn", queryset=_drawn, where=_drawn_in_period, residual=_one_per_business, columns=DRAWN_COLUMNS,
)

_RESULTS = {"source": "spotchecks.result", "queryset": _drawn, "where": _in_period("published_on"), "columns": RESULT_COLUMNS}
_figure(
    "spotchecks.results_published", "公示抽查结果", "条",
    "公示日期在统计期间内的抽查结果条数（每个抽中对象一条）；按抽取时主体所在街道统计范围。", **_RESULTS,
)
_figure(
    "spotchecks.results_on_time", "按时公示抽查结果", "条",
    "公示日期在统计期间内、且不晚于公示期限（结果产生之日起20个工作日，按规则版本计算）的抽查结果条数。",
    residual=_on_time, **_RESULTS,
)
register(
    Indicator(
        key="spotchecks.published_on_time_rate", label="抽查结果按时公示率", unit="%",
        definition="按时公示率＝统计期间内按时公示的抽查结果条数÷统计期间内公示的抽查结果条数×100%，保留两位小数；"
        "期间内没有公示结果时不计算。",
        uses="period", aggregate="rate", numerator="spotchecks.results_on_time", denominator="spotchecks.results_published",
    )
)
