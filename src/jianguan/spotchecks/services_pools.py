"""The registers a spot-check task draws on — 抽查事项, 执法检查人员名录库, 检查对象名录库, 回避申报 —
with their edits (an item disabled, a pool changed unless a task has it locked for its draw), and
the page-side writes that services.py leaves out: a draft task's items and departments, results
recorded by departments only, and every completed inspection's result in one go.

Same rules as services.py: departments and administrators only, full_clean() before save, audited
in the same transaction (`acting`), a Chinese DomainError naming the field it concerns."""

import datetime as dt
import re

from django.db import transaction
from django.utils import timezone

from jianguan.businesses.choices import EntityType
from jianguan.businesses.models import Business
from jianguan.core.errors import DomainError
from jianguan.core.rules import rule_value
from jianguan.core.services import acting
from jianguan.core.services import save_valid as _save
from jianguan.equipment.models import CatalogueEntry
from jianguan.licences.selectors import kind_names
from jianguan.org.models import OrgUnit, User

from . import services
from .choices import PoolTarget, PublicResult, TaskStatus
from .models import CheckItem, Conflict, DrawnObject, InspectorPool, ObjectPool, Task
from .selectors import UNRATED, tasks_locking
from .services import check_planner

CREDIT_CLASSES = ("A", "B", "C", "D", UNRATED)
# GB/T 4754: up to four digits (as the ledger stores them), optionally after the section letter.
INDUSTRY_PREFIX = re.compile(r"^(?:[A-T]\d{0,4}|\d{1,4})$")



def _required(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError("required", f"请填写{label}", {"field": field})
    return value


def _department(department: OrgUnit | None) -> OrgUnit:
    if department is None:
        raise DomainError("department_required", "请选择建库单位", {"field": "department"})
    return department


# ---------------------------------------------------------------- 抽查事项清单


@transaction.atomic
def check_item_create(
    *, actor: User | None, code: str, name: str, legal_basis: str, method: str = "", key_item: bool = False,
    department: OrgUnit | None = None,
) -> CheckItem:
    check_planner(actor)
    code = _required(code, "code", "事项编码")
    if CheckItem.objects.filter(code=code).exists():
        raise DomainError("duplicate_code", f"事项编码“{code}”已存在", {"field": "code"})
    item = CheckItem(
        code=code, name=_required(name, "name", "抽查事项"), legal_basis=_required(legal_basis, "legal_basis", "法律依据"),
        method=(method or "").strip(), key_item=key_item, department=department,
    )
    with acting(actor):
        _save(item)
    return item


ITEM_FIELDS = ("name", "legal_basis", "method", "key_item", "department")


@transaction.atomic
def check_item_update(*, actor: User | None, pk: int, **fields) -> CheckItem:
    """The item's wording, basis, method, weight and department. The code stays: lists, imports and the
    public pages name the item by it. A change shows on every task checking the item, published ones
    too, so a change of substance is a new item (and this one disabled); the audit log keeps the old text."""
    check_planner(actor)
    unknown = sorted(set(fields) - set(ITEM_FIELDS))
    if unknown:
        raise DomainError("not_editable", f"不能修改：{'、'.join(unknown)}")
    item = CheckItem.objects.select_for_update().get(pk=pk)
    if "name" in fields:
        fields["name"] = _required(fields["name"], "name", "抽查事项")
    if "legal_basis" in fields:
        fields["legal_basis"] = _required(fields["legal_basis"], "legal_basis", "法律依据")
    if "method" in fields:
        fields["method"] = (fields["method"] or "").strip()
    if "key_item" in fields:
        fields["key_item"] = bool(fields["key_item"])
    for name, value in fields.items():
        setattr(item, name, value)
    with acting(actor):
        _save(item)
    return item


@transaction.atomic
def check_item_disable(*, actor: User | None, pk: int, on: dt.date | None = None) -> CheckItem:
    """Reference rows are disabled, never deleted: tasks that checked the item keep it; no new or edited
    task may take it (services.check_items_enabled)."""
    check_planner(actor)
    item = CheckItem.objects.select_for_update().get(pk=pk)
    if item.disabled_on:
        raise DomainError("already_disabled", f"抽查事项“{item}”已于 {item.disabled_on:%Y-%m-%d} 停用")
    today = timezone.localdate()
    on = on or today
    # Disabled means disabled now (the task form and the services read disabled_on as set or not),
    # so a date to come would say something the system does not do.
    if on > today:
        raise DomainError("disable_in_future", "停用日期不能晚于今天", {"field": "on"})
    item.disabled_on = on
    with acting(actor):
        _save(item)
    return item


@transaction.atomic
def check_item_enable(*, actor: User | None, pk: int) -> CheckItem:
    """Undo a disabling made by mistake; the audit log keeps both."""
    check_planner(actor)
    item = CheckItem.objects.select_for_update().get(pk=pk)
    if not item.disabled_on:
        raise DomainError("not_disabled", f"抽查事项“{item}”未停用")
    item.disabled_on = None
    with acting(actor):
        _save(item)
    return item


# ---------------------------------------------------------------- 名录库 edits


def _refuse_if_locked(pool: InspectorPool | ObjectPool) -> None:
    """Between locking and the draw the public holds the commitment and the pools' digests; changing the
    pool then would look like steering the draw, even though the task reads its frozen snapshot."""
    numbers = tasks_locking(pool)
    if numbers:
        raise DomainError(
            "pool_locked", f"名录库已被任务 {'、'.join(numbers)} 锁定，抽取前不能修改", {"tasks": numbers},
        )


def _unknown(fields: dict, allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise DomainError("not_editable", f"不能修改：{'、'.join(unknown)}")


# ---------------------------------------------------------------- 执法检查人员名录库


def _certified(members) -> list[User]:
    members = list(members)
    if not members:
        raise DomainError("members_required", "请选择执法人员", {"field": "members"})
    uncertified = [str(u) for u in members if not u.cert_no]
    if uncertified:
        raise DomainError("not_certified", f"以下人员没有执法证，不能入库：{'、'.join(uncertified)}", {"field": "members"})
    return members


@transaction.atomic
def inspector_pool_create(
    *, actor: User | None, name: str, department: OrgUnit | None, members, on: dt.date | None = None,
) -> InspectorPool:
    """Members must hold a 执法证; whether it is valid is decided on each task's start date, at locking."""
    check_planner(actor)
    name = _required(name, "name", "名录库名称")
    if InspectorPool.objects.filter(name=name).exists():
        raise DomainError("duplicate_name", f"执法检查人员名录库“{name}”已存在", {"field": "name"})
    members = _certified(members)
    pool = InspectorPool(name=name, department=_department(department), created_on=on or timezone.localdate())
    with acting(actor):
        _save(pool)
        pool.members.set(members)
    return pool


@transaction.atomic
def inspector_pool_update(*, actor: User | None, pk: int, **fields) -> InspectorPool:
    """Name and members; refused while a task using the pool is locked. Tasks locked earlier drew
    from their frozen snapshot and are not affected."""
    check_planner(actor)
    _unknown(fields, ("name", "members"))
    pool = InspectorPool.objects.select_for_update().get(pk=pk)  # task_lock takes this lock too
    _refuse_if_locked(pool)
    if "name" in fields:
        pool.name = _required(fields["name"], "name", "名录库名称")
        if InspectorPool.objects.filter(name=pool.name).exclude(pk=pk).exists():
            raise DomainError("duplicate_name", f"执法检查人员名录库“{pool.name}”已存在", {"field": "name"})
    members = _certified(fields["members"]) if "members" in fields else None
    with acting(actor):
        _save(pool)
        if members is not None:
            pool.members.set(members)
    return pool


# ---------------------------------------------------------------- 检查对象名录库


def _check_values(values, allowed, field: str, label: str) -> list[str]:
    values = list(dict.fromkeys(values or []))
    bad = [v for v in values if v not in allowed]
    if bad:
        raise DomainError("invalid_filter", f"{label}无效：{'、'.join(map(str, bad))}", {"field": field})
    return values


def object_pool_filters(
    *, target: str, entity_types=(), industries=(), licence_kinds=(), equipment_types=(), key_units_only: bool = False,
    credit_classes=(),
) -> dict:
    """The filters of an object pool, checked; shared by creation and by the page's live preview."""
    if target not in PoolTarget.values:
        raise DomainError("invalid_target", "请选择对象类别", {"field": "target"})
    industries = [str(code).strip().upper() for code in industries or [] if str(code).strip()]
    bad = [code for code in industries if not INDUSTRY_PREFIX.match(code)]
    if bad:
        raise DomainError(
            "invalid_industry", f"行业代码前缀“{'、'.join(bad)}”不符合国民经济行业分类（1～4 位数字，如 52、5211）", {"field": "industries"}
        )
    equipment_types = _check_values(
        equipment_types, set(CatalogueEntry.objects.filter(level="type").values_list("code", flat=True)), "equipment_types", "设备种类"
    )
    if equipment_types and target == PoolTarget.BUSINESSES:
        raise DomainError("equipment_types_need_target", "按设备种类筛选时，对象类别须为特种设备使用单位或特种设备", {"field": "equipment_types"})
    return {
        "target": target,
        "entity_types": _check_values(entity_types, EntityType.values, "entity_types", "主体类型"),
        "industries": list(dict.fromkeys(industries)),
        "licence_kinds": _check_values(licence_kinds, set(kind_names()), "licence_kinds", "许可类别"),
        "equipment_types": equipment_types,
        "key_units_only": bool(key_units_only),
        "credit_classes": _check_values(credit_classes, CREDIT_CLASSES, "credit_classes", "信用风险分类"),
    }


@transaction.atomic
def object_pool_create(
    *, actor: User | None, name: str, department: OrgUnit | None, target: str = PoolTarget.BUSINESSES, subdistricts=(),
    on: dt.date | None = None, **filters,
) -> ObjectPool:
    """A saved filter; the objects it selects are read when a task using it is locked."""
    check_planner(actor)
    name = _required(name, "name", "名录库名称")
    if ObjectPool.objects.filter(name=name).exists():
        raise DomainError("duplicate_name", f"检查对象名录库“{name}”已存在", {"field": "name"})
    pool = ObjectPool(
        name=name, department=_department(department), created_on=on or timezone.localdate(),
        **object_pool_filters(target=target, **filters),
    )
    with acting(actor):
        _save(pool)
        pool.subdistricts.set(subdistricts)
    return pool


FILTER_FIELDS = ("target", "entity_types", "industries", "licence_kinds", "equipment_types", "key_units_only", "credit_classes")


@transaction.atomic
def object_pool_update(*, actor: User | None, pk: int, name: str | None = None, subdistricts=None, **filters) -> ObjectPool:
    """Name, filters and subdistricts; filters not given keep their value and all are checked together
    (object_pool_filters, as at creation). Refused while a task using the pool is locked; tasks locked
    earlier keep the objects frozen at their locking."""
    check_planner(actor)
    _unknown(filters, FILTER_FIELDS)
    pool = ObjectPool.objects.select_for_update().get(pk=pk)  # task_lock takes this lock too
    _refuse_if_locked(pool)
    if name is not None:
        pool.name = _required(name, "name", "名录库名称")
        if ObjectPool.objects.filter(name=pool.name).exclude(pk=pk).exists():
            raise DomainError("duplicate_name", f"检查对象名录库“{pool.name}”已存在", {"field": "name"})
    current = {field: getattr(pool, field) for field in FILTER_FIELDS}
    for field, value in object_pool_filters(**{**current, **filters}).items():
        setattr(pool, field, value)
    with acting(actor):
        _save(pool)
        if subdistricts is not None:
            pool.subdistricts.set(subdistricts)
    return pool


# ---------------------------------------------------------------- 回避申报


@transaction.atomic
def conflict_declare(
    *, actor: User | None, inspector: User | None, business: Business | None, relation: str, reason: str = "",
    on: dt.date | None = None,
) -> Conflict:
    """The inspector is never drawn for that business (nor, in an equipment pool, for its devices)."""
    check_planner(actor)
    if inspector is None or not inspector.cert_no:
        raise DomainError("inspector_required", "请选择持有执法证的执法人员", {"field": "inspector"})
    if business is None:
        raise DomainError("business_required", "请填写市场主体的统一社会信用代码", {"field": "business"})
    if Conflict.objects.filter(inspector=inspector, business=business).exists():
        raise DomainError("duplicate_conflict", f"{inspector}对“{business.name}”已申报回避", {"field": "business"})
    conflict = Conflict(
        inspector=inspector, business=business, relation=_required(relation, "relation", "关系"), reason=(reason or "").strip(),
        declared_on=on or timezone.localdate(),
    )
    with acting(actor):
        _save(conflict)
    return conflict


# ---------------------------------------------------------------- task pages


@transaction.atomic
def task_edit(*, actor: User | None, pk: int, version: int | None, items=None, departments=None, **fields) -> Task:
    """services.task_update (draft only, version checked) plus the draft's items and departments, and the
    minimum team size of the versioned rule, which task_create checks and task_update does not."""
    check_planner(actor)
    if "team_size" in fields:
        start = fields.get("start") or Task.objects.values_list("start", flat=True).get(pk=pk)
        minimum = int(rule_value("spotchecks.min_team_size", on=start))
        if fields["team_size"] < minimum:
            raise DomainError("team_too_small", f"每组检查人员不得少于 {minimum} 名", {"field": "team_size"})
    task = services.task_update(actor=actor, pk=pk, version=version, **fields)  # a locked task is refused first
    if items is not None:
        services.check_items_enabled(items)  # raised inside this transaction: task_update's save is undone
    with acting(actor):
        if items is not None:
            task.items.set(items)
        if departments is not None:
            task.departments.set(departments)
    return task


@transaction.atomic
def drawn_result_record(*, actor: User | None, pk: int, result: str | None = None, on: dt.date | None = None) -> DrawnObject:
    """services.result_record, by departments and administrators only (as every other write of a task)."""
    check_planner(actor)
    if result is not None and result not in PublicResult.values:
        raise DomainError("invalid_result", "请选择抽查结果", {"field": "result"})
    return services.result_record(actor=actor, pk=pk, result=result, on=on)


@transaction.atomic
def results_from_inspections(*, actor: User | None, task_pk: int) -> int:
    """Each drawn object without a result whose inspection is completed gets its inspection's result."""
    check_planner(actor)
    task = Task.objects.get(pk=task_pk)
    if task.status != TaskStatus.IN_PROGRESS:
        raise DomainError("task_not_in_progress", "任务不在检查阶段，不能登记结果")
    done = [
        obj.pk for obj in task.drawn.filter(result="", inspection__isnull=False).select_related("inspection")
        if obj.inspection.is_done
    ]
    if not done:
        raise DomainError("nothing_to_record", "没有已完成检查、尚未登记结果的抽中对象")
    for pk in done:
        services.result_record(actor=actor, pk=pk)
    return len(done)
