"""Spot-check tasks: create → lock (pools frozen, commitment published) → draw → inspections → results → published."""

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone

from jianguan.businesses.models import Business
from jianguan.core.deadlines import tracked_deadline
from jianguan.core.errors import ConcurrentEdit, DomainError, PermissionDenied
from jianguan.core.numbering import next_document_number
from jianguan.core.rules import rule_value
from jianguan.core.services import acting
from jianguan.core.services import save_valid as _save
from jianguan.equipment.models import Equipment
from jianguan.inspections.choices import InspectionKind, InspectionResult
from jianguan.inspections.services.inspections import inspection_create
from jianguan.org.choices import Role
from jianguan.org.models import User

from . import draw as algorithm
from . import labels
from .choices import TASK_TRANSITIONS, PlanStatus, PoolTarget, PublicResult, TaskStatus
from .models import CheckItem, DrawnObject, InspectorPool, ObjectPool, Plan, Task
from .selectors import pool_entries, pool_inspectors

APP = "spotchecks"
NUMBER_KIND = "spotcheck_task"
STRATA = ("A", "B", "C", "D")
# How an inspection's result reads in the public result of a spot check.
RESULT_OF_INSPECTION = {
    InspectionResult.NO_PROBLEM: PublicResult.NO_PROBLEM,
    InspectionResult.PROBLEMS: PublicResult.CORRECTED,
    InspectionResult.ORDERED: PublicResult.CORRECTED,
    InspectionResult.CASE_LEAD: PublicResult.CASE,
    InspectionResult.NOT_FOUND: PublicResult.NOT_FOUND,
}


def check_planner(actor: User | None) -> None:
    if actor is not None and actor.role not in (Role.DEPARTMENT, Role.ADMIN):
        raise PermissionDenied("双随机抽查计划与任务由业务科室或系统管理员管理")



def _locked_task(pk: int, version: int | None) -> Task:
    task = Task.objects.select_for_update(of=("self",)).select_related("object_pool", "inspector_pool").get(pk=pk)
    if version is not None and task.version != version:
        raise ConcurrentEdit()
    return task


def _move(task: Task, status: str) -> None:
    if TaskStatus(status) not in TASK_TRANSITIONS[TaskStatus(task.status)]:
        raise DomainError(
            "invalid_transition", f"任务状态为“{task.get_status_display()}”，不能变为“{TaskStatus(status).label}”"
        )
    task.status = status
    task.version += 1


def check_items_enabled(items) -> None:
    """A disabled 抽查事项 is kept for the tasks that used it, but no new or edited task may check it."""
    pks = [getattr(item, "pk", item) for item in items or ()]
    disabled = CheckItem.objects.filter(pk__in=pks, disabled_on__isnull=False).order_by("code").first()
    if disabled is not None:
        raise DomainError(
            "item_disabled", f"抽查事项“{disabled.name}”（{disabled.code}）已于 {disabled.disabled_on:%Y-%m-%d} 停用，不能用于抽查任务",
            {"field": "items", "item": disabled.code},
        )


def default_ratios(on: dt.date) -> dict[str, str]:
    return {s: str(rule_value(f"spotchecks.ratio.{s}", on=on)) for s in STRATA}


def check_ratios(ratios: dict) -> dict[str, str]:
    if not isinstance(ratios, dict) or not ratios:
        raise DomainError("ratios_required", "请填写各信用风险分类的抽取比例", {"field": "ratios"})
    for stratum, text in ratios.items():
        algorithm.parse_ratio(stratum, text)
    return dict(ratios)


@transaction.atomic
def plan_create(*, actor: User | None, year: int, name: str, department, description: str = "", on: dt.date | None = None) -> Plan:
    check_planner(actor)
    plan = Plan(year=year, name=name, department=department, description=description, created_on=on or timezone.localdate())
    with acting(actor):
        _save(plan)
    return plan


@transaction.atomic
def task_create(
    *, actor: User | None, plan: Plan, name: str, object_pool, inspector_pool, start: dt.date, end: dt.date,
    items=(), ratios: dict | None = None, team_size: int = 2, max_objects_per_inspector: int | None = None, departments=(),
) -> Task:
    check_planner(actor)
    # The plan row is locked so that plan_complete, which locks it too, never misses a task created meanwhile.
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status == PlanStatus.DONE:
        raise DomainError("plan_done", f"抽查计划“{plan}”已完成，不能再新建任务", {"field": "plan"})
    minimum = int(rule_value("spotchecks.min_team_size", on=start))
    if team_size < minimum:
        raise DomainError("team_too_small", f"每组检查人员不得少于 {minimum} 名", {"field": "team_size"})
    check_items_enabled(items)
    task = Task(
        plan=plan, number=next_document_number(NUMBER_KIND, start.year), name=name, object_pool=object_pool,
        inspector_pool=inspector_pool, ratios=check_ratios(ratios if ratios is not None else default_ratios(start)),
        team_size=team_size, max_objects_per_inspector=max_objects_per_inspector, start=start, end=end, created_by=actor,
    )
    with acting(actor):
        _save(task)
        task.items.set(items)
        task.departments.set(departments)
    return task


@transaction.atomic
def task_update(*, actor: User | None, pk: int, version: int | None, **fields) -> Task:
    """Only a draft changes; once locked, its pools and ratios are what the public saw."""
    check_planner(actor)
    task = _locked_task(pk, version)
    if task.status != TaskStatus.DRAFT:
        raise DomainError("task_locked", f"任务已{task.get_status_display()}，名录、比例和人数不能再修改（锁定后如需调整，只能作废重建）")
    if "ratios" in fields:
        fields["ratios"] = check_ratios(fields["ratios"])
    if "team_size" in fields:
        minimum = int(rule_value("spotchecks.min_team_size", on=fields.get("start", task.start)))
        if fields["team_size"] < minimum:
            raise DomainError("team_too_small", f"每组检查人员不得少于 {minimum} 名", {"field": "team_size"})
    for name in ("name", "ratios", "team_size", "max_objects_per_inspector", "start", "end", "object_pool", "inspector_pool"):
        if name in fields:
            setattr(task, name, fields.pop(name))
    if fields:
        raise DomainError("not_editable", f"不能修改：{'、'.join(fields)}")
    task.version += 1
    with acting(actor):
        _save(task)
    return task


@transaction.atomic
def task_lock(*, actor: User | None, pk: int, version: int | None) -> Task:
    """Freeze both pools, publish their digests and the commitment to a secret drawn now."""
    check_planner(actor)
    task = _locked_task(pk, version)
    # The pools' rows are locked (and read again) as the pool edits lock them: an edit either waits for
    # this lock to commit and then sees the task locked (and is refused), or commits first and is read here.
    task.object_pool = ObjectPool.objects.select_for_update().get(pk=task.object_pool_id)
    task.inspector_pool = InspectorPool.objects.select_for_update().get(pk=task.inspector_pool_id)
    try:
        check_items_enabled(task.items.all())
    except DomainError as exc:
        raise DomainError(exc.code, f"{exc.message}，请在任务中取消该事项后再锁定", exc.extra) from exc
    pool = pool_entries(task.object_pool)
    if not pool:
        raise DomainError("empty_pool", f"检查对象名录库“{task.object_pool}”目前没有任何对象，不能锁定")
    inspectors = pool_inspectors(task.inspector_pool, task.start, {e["key"] for e in pool}, task.object_pool.target)
    if len(inspectors) < task.team_size:
        raise DomainError(
            "too_few_inspectors", f"执法检查人员名录库中执法证在 {task.start} 有效的只有 {len(inspectors)} 名，少于每组 {task.team_size} 名"
        )
    _move(task, TaskStatus.LOCKED)
    task.secret = secrets.token_hex(32)
    task.commitment = algorithm.sha256_hex(task.secret)
    task.pool_snapshot, task.inspector_snapshot = pool, inspectors
    # The announced digests are of the labelled pools: the draw runs on them and its record is public.
    task.labels = labels.make_labels(pool, inspectors, task.ratios)
    public_pool, public_people, _ = labels.public_inputs(pool, inspectors, task.ratios, task.labels)
    task.pool_digest, task.inspector_digest = algorithm.pool_digest(public_pool), algorithm.inspector_digest(public_people)
    task.locked_at = timezone.now()
    with acting(actor):
        _save(task)
    return task


def draw_input(task: Task, witness: str) -> dict:
    """The draw's input: the frozen pools by their public labels (a task locked before labels existed
    draws on the classes and certificate numbers themselves, as its announced digests say)."""
    pool, people, ratios = task.pool_snapshot, task.inspector_snapshot, task.ratios
    if task.labels:
        pool, people, ratios = labels.public_inputs(pool, people, ratios, task.labels)
    return {
        "pool": pool, "ratios": ratios, "inspectors": people, "team_size": task.team_size,
        "max_objects_per_inspector": task.max_objects_per_inspector, "commitment": task.commitment, "secret": task.secret,
        "witness": witness,
    }


@transaction.atomic
def task_draw(*, actor: User | None, pk: int, version: int | None, witness: str, witness_name: str) -> Task:
    """Run jianguan-draw-v1 on the frozen pools with the witness's text; all or nothing."""
    check_planner(actor)
    task = _locked_task(pk, version)
    if task.status != TaskStatus.LOCKED:
        raise DomainError("not_locked", f"任务状态为“{task.get_status_display()}”，只有已锁定的任务才能抽取")
    if not (witness or "").strip():
        raise DomainError("witness_required", "请监督人员录入见证文字", {"field": "witness"})
    if not (witness_name or "").strip():
        raise DomainError("witness_name_required", "请填写监督人员姓名", {"field": "witness_name"})
    record = algorithm.draw(draw_input(task, witness))
    _move(task, TaskStatus.DRAWN)
    task.witness, task.witness_name, task.record = witness, witness_name.strip(), record
    task.drawn_at, task.drawn_by = timezone.now(), actor
    keys = [o["key"] for o in record["selected"]]
    if task.object_pool.target == PoolTarget.EQUIPMENT:
        operator_of = dict(Equipment.objects.filter(reg_code__in=keys).values_list("reg_code", "operator_id"))
        businesses = Business.objects.in_bulk(set(operator_of.values()))
        business_of = {k: businesses[operator_of[k]] for k in keys}
    else:
        business_of = Business.objects.in_bulk(keys, field_name="uscc")
    with acting(actor):
        _save(task)
        DrawnObject.objects.bulk_create(
            DrawnObject(
                task=task, order=n, key=o["key"], stratum=labels.stratum_of(task.labels, o["stratum"]), rank=o["rank"],
                business=business_of[o["key"]], subdistrict_id=business_of[o["key"]].subdistrict_id,
                team=labels.team_of(task.labels, record["teams"][o["key"]]),
            )
            for n, o in enumerate(record["selected"], 1)
        )
    return task


@transaction.atomic
def task_void(*, actor: User | None, pk: int, version: int | None, reason: str) -> Task:
    check_planner(actor)
    task = _locked_task(pk, version)
    if not (reason or "").strip():
        raise DomainError("reason_required", "作废任务须说明理由", {"field": "reason"})
    _move(task, TaskStatus.VOIDED)
    task.void_reason, task.voided_at = reason.strip(), timezone.now()
    with acting(actor):
        _save(task)
    return task


@transaction.atomic
def task_start(*, actor: User | None, pk: int, version: int | None, on: dt.date | None = None) -> Task:
    """One 双随机抽查 inspection per drawn object, scheduled with the drawn team."""
    check_planner(actor)
    task = _locked_task(pk, version)
    _move(task, TaskStatus.IN_PROGRESS)
    on = on or task.start
    certified = {u.cert_no: u for u in User.objects.filter(cert_no__in={c for o in task.drawn.all() for c in o.team})}
    with acting(actor):
        _save(task)
        for obj in task.drawn.select_related("business__subdistrict"):
            inspection = inspection_create(
                actor=None, kind=InspectionKind.RANDOM, business=obj.business, date=on, source="spotcheck",
                inspectors=[certified[c] for c in obj.team], summary=f"双随机抽查任务 {task.number}",
            )
            obj.inspection = inspection
            obj.save(update_fields=["inspection"])
    return task


@transaction.atomic
def result_record(*, actor: User | None, pk: int, result: str | None = None, on: dt.date | None = None) -> DrawnObject:
    """A drawn object's public result, by default read from its completed inspection; the
    publication deadline runs N working days (versioned rule) from the result date."""
    check_planner(actor)
    obj = DrawnObject.objects.select_for_update(of=("self",)).select_related("inspection", "task").get(pk=pk)
    if obj.task.status != TaskStatus.IN_PROGRESS:
        raise DomainError("task_not_in_progress", "任务不在检查阶段，不能登记结果")
    if result is None:
        if obj.inspection is None or not obj.inspection.is_done:
            raise DomainError("inspection_not_done", f"对象“{obj.business.name}”的检查尚未完成")
        result, on = RESULT_OF_INSPECTION[obj.inspection.result], on or obj.inspection.date
    if result not in PublicResult.values:
        raise DomainError("invalid_result", f"抽查结果“{result}”无效", {"field": "result"})
    on = on or timezone.localdate()
    days = int(rule_value("spotchecks.publish_working_days", on=on))
    due = tracked_deadline(app_label=APP, object_ref=f"drawn:{obj.pk}", field_name="publish_due", start=on, working_days=days)
    obj.result, obj.result_on, obj.publish_due, obj.publish_due_provisional = result, on, due.date, due.provisional
    with acting(actor):
        _save(obj)
    return obj


@transaction.atomic
def results_publish(*, actor: User | None, pk: int, version: int | None, on: dt.date) -> Task:
    """Publish every recorded result of a task; the task is published once all its objects are."""
    check_planner(actor)
    task = _locked_task(pk, version)
    pending = task.drawn.filter(published_on__isnull=True)
    missing = pending.filter(result="")
    if missing.exists():
        first = missing.select_related("business").first()
        raise DomainError("results_missing", f"还有 {missing.count()} 个抽中对象未登记结果（如“{first.business.name}”），不能公示")
    with acting(actor):
        for obj in pending:
            if on < obj.result_on:
                raise DomainError("publish_before_result", f"公示日期 {on} 早于“{obj.key}”的结果日期 {obj.result_on}")
            obj.published_on = on
            obj.save(update_fields=["published_on"])
        _move(task, TaskStatus.PUBLISHED)
        _save(task)
    return task
