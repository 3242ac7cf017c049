"""Every write about special equipment: registration, status changes, examinations, refresh, tasks."""

import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Case, CharField, DateField, Exists, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from jianguan.core.calendar import add_working_days
from jianguan.core.errors import ConcurrentEdit, DomainError, PermissionDenied
from jianguan.core.rules import rule_value
from jianguan.core.services import acting
from jianguan.core.services import save_valid as _save
from jianguan.org.choices import Role
from jianguan.org.models import Subdistrict, User
from jianguan.org.selectors import subdistricts_in_scope

from .choices import DueState, EquipmentStatus, ExamConclusion, TaskKind, TaskStatus
from .models import Equipment, Examination, FollowUpTask
from .rules import add_months, can_transition, cycle_rule_keys
from .selectors import equipment_get


def _check_writer(actor: User | None, equipment: Equipment) -> None:
    if actor is None:
        return  # system jobs and imports by the command line act bureau-wide
    if actor.role == Role.LEADERSHIP:
        raise PermissionDenied("局领导账号只读，不能修改特种设备台账")
    if not subdistricts_in_scope(actor=actor).filter(pk=equipment.subdistrict_id).exists():
        raise PermissionDenied(f"“{equipment.subdistrict}”不在您的辖区范围内")



def estimated_due(equipment: Equipment, since: dt.date) -> dt.date | None:
    """Estimate from the cycle rules, only for a device with no examination report."""
    for key in cycle_rule_keys(equipment.variety_id, equipment.category_id, equipment.type_id):
        try:
            return add_months(since, int(rule_value(key, on=since)))
        except DomainError:
            continue
    return None


@transaction.atomic
def equipment_register(*, actor: User | None, ip: str | None = None, **fields) -> Equipment:
    equipment = Equipment(**fields)
    if equipment.type_id and not equipment.type.registrable:
        raise DomainError("not_registrable", f"{equipment.type}不办理使用登记", {"field": "type"})
    _check_writer(actor, equipment)
    if equipment.next_due is None and equipment.status == EquipmentStatus.IN_USE:
        equipment.next_due = estimated_due(equipment, equipment.registered_on)
        equipment.next_due_estimated = equipment.next_due is not None
    with acting(actor, ip):
        _save(equipment)
    return equipment


@transaction.atomic
def equipment_transition(*, actor: User | None, pk: int, version: int, status: str, on: dt.date, ip: str | None = None) -> Equipment:
    equipment = Equipment.objects.select_for_update().get(pk=equipment_get(actor=actor, pk=pk).pk) if actor else (
        Equipment.objects.select_for_update().get(pk=pk)
    )
    if equipment.version != version:
        raise ConcurrentEdit()
    _check_writer(actor, equipment)
    if not can_transition(equipment.status, status):
        raise DomainError(
            "invalid_transition",
            f"设备状态不能由“{equipment.get_status_display()}”变为“{EquipmentStatus(status).label}”"
            + ("（报废、注销为最终状态）" if equipment.status in (EquipmentStatus.SCRAPPED, EquipmentStatus.DEREGISTERED) else ""),
        )
    if equipment.sealed and status == EquipmentStatus.IN_USE:
        raise DomainError("sealed", "设备已被查封，须先解除查封才能恢复使用")
    equipment.status, equipment.status_date = status, on
    equipment.version += 1
    with acting(actor, ip):
        _save(equipment)
    _restate(equipment.pk)
    equipment.refresh_from_db(fields=["due_state", "due_state_on"])
    return equipment


@transaction.atomic
def examination_record(
    *, actor: User | None, equipment: Equipment, date: dt.date, conclusion: str, next_due: dt.date | None,
    institution: str = "", report_no: str = "", ip: str | None = None,
) -> Examination:
    """Record a periodic examination; the device's next due date becomes the latest report's."""
    _check_writer(actor, equipment)
    if next_due is not None and next_due <= date:
        raise DomainError("next_due_before_exam", "下次检验日期必须晚于检验日期", {"field": "next_due"})
    exam = Examination(
        equipment=equipment, date=date, conclusion=conclusion, next_due=next_due, institution=institution, report_no=report_no
    )
    with acting(actor, ip):
        _save(exam)
        latest = equipment.examinations.order_by("-date").first()
        if latest.pk == exam.pk:
            Equipment.objects.filter(pk=equipment.pk).update(
                next_due=next_due, next_due_estimated=False, last_conclusion=conclusion, version=equipment.version + 1
            )
            _restate(equipment.pk)
    return exam


def _state_case(on: dt.date, warning_days: int) -> Case:
    return Case(
        When(~Q(status=EquipmentStatus.IN_USE), then=Value(DueState.NOT_APPLICABLE)),
        When(last_conclusion=ExamConclusion.FAILED, then=Value(DueState.FAILED)),
        When(next_due__isnull=True, then=Value(DueState.NOT_APPLICABLE)),
        When(next_due__lt=on, then=Value(DueState.OVERDUE)),
        When(next_due__lte=on + dt.timedelta(days=warning_days), then=Value(DueState.WARNING)),
        default=Value(DueState.NORMAL),
    )


def _restate(pk: int) -> None:
    """Bring one device's stored due state up to today after an edit, instead of waiting for the nightly refresh."""
    today = timezone.localdate()
    warning_days = int(rule_value("equipment.due_warning_days", on=today))
    Equipment.objects.filter(pk=pk).update(due_state=_state_case(today, warning_days), due_state_on=today)


@dataclass
class RefreshResult:
    on: dt.date
    changed: int
    tasks_opened: int


def _stale_candidates(on: dt.date, warning_days: int) -> list[tuple[Q, bool]]:
    """Where a stored state can be wrong on `on`, as index ranges over (status, due_state, next_due):
    together they cover every device whose state changes, and each reads only its own range. The flag
    says whether a row in the range may already be right (only failed devices may stay failed); every
    other range lists exactly the states its rows must leave."""
    in_use, horizon = Q(status=EquipmentStatus.IN_USE), on + dt.timedelta(days=warning_days)
    na, normal, warning, overdue, failed = (
        DueState.NOT_APPLICABLE, DueState.NORMAL, DueState.WARNING, DueState.OVERDUE, DueState.FAILED,
    )
    # One equality per status: SQLite's planner scans the table for an IN × IN over the index.
    return [
        *(
            (Q(status=status, due_state__in=[normal, warning, overdue, failed]), False)
            for status in (EquipmentStatus.IDLE, EquipmentStatus.SCRAPPED, EquipmentStatus.DEREGISTERED)
        ),
        (Q(last_conclusion=ExamConclusion.FAILED) & in_use & ~Q(due_state=failed), False),
        (in_use & Q(due_state=failed), True),
        (in_use & Q(due_state__in=[na, normal, warning], next_due__lt=on), False),
        (in_use & Q(due_state__in=[na, normal, overdue], next_due__gte=on, next_due__lte=horizon), False),
        (in_use & Q(due_state__in=[na, warning, overdue], next_due__gt=horizon), False),
        (in_use & Q(due_state__in=[normal, warning, overdue], next_due__isnull=True), False),
    ]


@transaction.atomic
def equipment_refresh(*, on: dt.date, dry_run: bool = False) -> RefreshResult:
    """Recompute due states set-based and open one follow-up task per overdue device that has none
    for its current due date. Each statement reads one index range and writes only the rows whose
    state changes, so a daily run costs what changed, not the whole ledger. Idempotent."""
    warning_days = int(rule_value("equipment.due_warning_days", on=on))
    state = _state_case(on, warning_days)
    changed = 0
    for candidates, may_be_right in _stale_candidates(on, warning_days):
        stale = Equipment.objects.filter(candidates)
        if may_be_right:
            stale = stale.exclude(due_state=state)
        changed += stale.count() if dry_run else stale.update(due_state=state, due_state_on=on)
    has_task = FollowUpTask.objects.filter(kind=TaskKind.EXAM_OVERDUE, equipment=OuterRef("pk"), reference_due=OuterRef("next_due"))
    # After the update the overdue devices are one index range; a dry run must read the dates instead.
    overdue = (
        Equipment.objects.filter(status=EquipmentStatus.IN_USE, next_due__lt=on).exclude(last_conclusion=ExamConclusion.FAILED)
        if dry_run
        else Equipment.objects.filter(status=EquipmentStatus.IN_USE, due_state=DueState.OVERDUE)
    )
    needing = overdue.filter(~Exists(has_task)).order_by()
    if dry_run:
        return RefreshResult(on, changed, needing.count())
    due_on = add_working_days(on, int(rule_value("equipment.overdue_task_working_days", on=on))).date
    return RefreshResult(on, changed, _open_tasks(needing, on=on, due_on=due_on))


def _open_tasks(needing, *, on: dt.date, due_on: dt.date) -> int:
    """INSERT … SELECT: the tasks are written by the database in one statement, no row passes through
    Python. The station comes from a scalar subquery on the subdistrict (a join would make SQLite
    walk the ledger by subdistrict instead of the overdue range)."""
    station = Subquery(Subdistrict.objects.filter(pk=OuterRef("subdistrict_id")).values("station_id")[:1])
    rows = needing.annotate(
        t_kind=Value(TaskKind.EXAM_OVERDUE, output_field=CharField()),
        t_station=station,
        t_opened=Value(on, output_field=DateField()),
        t_due=Value(due_on, output_field=DateField()),
        t_status=Value(TaskStatus.OPEN, output_field=CharField()),
        t_note=Value("", output_field=CharField()),
    ).values_list("t_kind", "pk", "t_station", "next_due", "t_opened", "t_due", "t_status", "t_note")
    select_sql, params = rows.query.sql_with_params()
    meta = FollowUpTask._meta
    columns = ", ".join(
        connection.ops.quote_name(meta.get_field(name).column)
        for name in ("kind", "equipment", "station", "reference_due", "opened_on", "due_on", "status", "note")
    )
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) {select_sql}", params)
        return cursor.rowcount


@transaction.atomic
def task_complete(*, actor: User, pk: int, note: str) -> FollowUpTask:
    task = FollowUpTask.objects.select_for_update().select_related("equipment").get(pk=pk)
    _check_writer(actor, task.equipment)
    if task.status != TaskStatus.OPEN:
        raise DomainError("task_closed", "该任务已办结")
    if not note.strip():
        raise DomainError("note_required", "请填写办理情况", {"field": "note"})
    task.status, task.note, task.closed_at = TaskStatus.DONE, note.strip(), timezone.now()
    with acting(actor):
        task.save(update_fields=["status", "note", "closed_at"])
    return task


@transaction.atomic
def equipment_seal(*, actor: User | None, pk: int, sealed: bool, ip: str | None = None) -> Equipment:
    """Set or lift the 查封 mark. Only the inspections module's sealing records call this: a seal is
    lifted by an unsealing record, never by editing the device."""
    equipment = Equipment.objects.select_for_update().get(pk=pk)
    _check_writer(actor, equipment)
    if equipment.sealed == sealed:
        raise DomainError("seal_unchanged", f"设备 {equipment.reg_code} {'已处于查封状态' if sealed else '未被查封'}")
    equipment.sealed = sealed
    equipment.version += 1
    with acting(actor, ip):
        _save(equipment)
    return equipment
