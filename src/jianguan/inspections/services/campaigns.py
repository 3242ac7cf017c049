"""Campaigns, checklists, and completing a station's follow-up task by recording an inspection."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from jianguan.core.errors import DomainError, PermissionDenied
from jianguan.core.services import acting
from jianguan.equipment.models import FollowUpTask
from jianguan.equipment.services import task_complete
from jianguan.org.choices import OrgKind, Role
from jianguan.org.models import OrgUnit, User

from ..choices import InspectionKind, InspectionResult, InspectionStatus
from ..models import Campaign, Checklist, ChecklistItem, Inspection
from .common import check_version, save
from .inspections import inspection_complete, inspection_create

GOAL_KEYS = {"inspections": "检查户次", "businesses": "检查户数", "devices": "抽查设备台数", "inspector_visits": "出动执法人员人次"}


def _check_planner(actor: User | None) -> None:
    if actor is not None and actor.role not in (Role.DEPARTMENT, Role.ADMIN):
        raise PermissionDenied("专项行动和检查表由业务科室或系统管理员维护")


def _clean_goals(goals: dict) -> dict:
    out = {}
    for key, value in (goals or {}).items():
        if key not in GOAL_KEYS:
            raise DomainError("invalid_goal", f"工作目标“{key}”无法识别，可用：{'、'.join(GOAL_KEYS.values())}", {"field": "goals"})
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise DomainError("invalid_goal", f"工作目标“{GOAL_KEYS[key]}”须为整数，收到“{value}”", {"field": "goals"}) from None
        if number < 0:
            raise DomainError("invalid_goal", f"工作目标“{GOAL_KEYS[key]}”不能为负数", {"field": "goals"})
        if number:
            out[key] = number
    return out


CAMPAIGN_FIELDS = ("name", "start", "end", "lead_department", "description", "entity_types", "industries", "equipment_types", "checklist", "goals")


@transaction.atomic
def campaign_create(
    *, actor: User | None, code: str, subdistricts=(), targets=(), ip: str | None = None, **fields
) -> Campaign:
    _check_planner(actor)
    if Campaign.objects.filter(code=code).exists():
        raise DomainError("duplicate_code", f"专项行动编号“{code}”已存在", {"field": "code"})
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise DomainError("not_editable", f"未知字段：{'、'.join(unknown)}")
    fields["goals"] = _clean_goals(fields.get("goals", {}))
    campaign = Campaign(code=code, created_by=actor, **fields)
    if campaign.lead_department_id and campaign.lead_department.kind == OrgKind.STATION:
        raise DomainError("lead_not_department", "牵头单位须为业务科室或局机关", {"field": "lead_department"})
    with acting(actor, ip):
        save(campaign)
        campaign.subdistricts.set(subdistricts)
        campaign.targets.set(targets)
    return campaign


@transaction.atomic
def campaign_update(*, actor: User | None, pk: int, version: int | None, subdistricts=None, targets=None, ip: str | None = None, **fields) -> Campaign:
    _check_planner(actor)
    campaign = Campaign.objects.select_for_update().get(pk=pk)
    check_version(campaign, version)
    unknown = set(fields) - set(CAMPAIGN_FIELDS) - {"status"}
    if unknown:
        raise DomainError("not_editable", f"未知字段：{'、'.join(unknown)}")
    if "goals" in fields:
        fields["goals"] = _clean_goals(fields["goals"])
    for name, value in fields.items():
        setattr(campaign, name, value)
    outside = campaign.inspections.exclude(date__range=(campaign.start, campaign.end))
    if outside.exists():
        first = outside.order_by("date").first()
        raise DomainError("inspections_outside", f"已有检查（{first.number}，{first.date}）在新的起止日期之外，不能这样修改期间", {"field": "start"})
    campaign.version += 1
    with acting(actor, ip):
        save(campaign)
        if subdistricts is not None:
            campaign.subdistricts.set(subdistricts)
        if targets is not None:
            campaign.targets.set(targets)
    return campaign


@dataclass
class ItemSpec:
    point: str
    legal_basis: str = ""
    serious: bool = False


@transaction.atomic
def checklist_save(*, actor: User | None, code: str, name: str, items: list[ItemSpec], applies_to: str = "", ip: str | None = None) -> Checklist:
    """Create a checklist, or a new version of it: a version in use never changes."""
    _check_planner(actor)
    if not items:
        raise DomainError("items_required", "检查表至少要有一个检查要点", {"field": "items"})
    for n, spec in enumerate(items, 1):
        if not spec.point.strip():
            raise DomainError("point_required", f"第{n}项的检查要点为空", {"field": "items", "row": n})
    latest = Checklist.objects.filter(code=code).order_by("-version").first()
    checklist = Checklist(code=code, name=name, applies_to=applies_to, version=(latest.version + 1) if latest else 1)
    with acting(actor, ip):
        save(checklist)
        for n, spec in enumerate(items, 1):
            save(ChecklistItem(checklist=checklist, order=n, point=spec.point.strip(), legal_basis=spec.legal_basis.strip(), serious=spec.serious))
        if latest is not None and latest.disabled_on is None:
            latest.disabled_on = timezone.localdate()
            latest.save(update_fields=["disabled_on"])
    return checklist


@transaction.atomic
def task_complete_by_inspection(
    *, actor: User, task_pk: int, date: dt.date, inspectors: list[User], result: str, summary: str,
    findings=(), deadline: dt.date | None = None, ip: str | None = None,
) -> Inspection:
    """A station's overdue-examination task is done by inspecting the device: the inspection is the record."""
    task = FollowUpTask.objects.select_related("equipment__operator__subdistrict").get(pk=task_pk)
    device = task.equipment
    if not (summary or "").strip():
        raise DomainError("summary_required", "请填写检查情况", {"field": "summary"})
    if result not in InspectionResult.values:
        raise DomainError("result_required", "请选择检查结果", {"field": "result"})
    inspection = inspection_create(
        actor=actor, kind=InspectionKind.ROUTINE, business=device.operator, date=date, inspectors=inspectors,
        equipment=[device], status=InspectionStatus.IN_PROGRESS, source="task", summary=summary, ip=ip,
    )
    inspection = inspection_complete(
        actor=actor, pk=inspection.pk, version=None, result=result, summary=summary, findings=findings, deadline=deadline, ip=ip,
    )
    task_complete(actor=actor, pk=task.pk, note=f"已检查（{inspection.number}）：{summary.strip()}")
    return inspection


def lead_departments():
    return OrgUnit.objects.filter(kind__in=[OrgKind.DEPARTMENT, OrgKind.BUREAU], disabled_on__isnull=True)
