"""A campaign's checklist, checklists, and completing a station's follow-up task by recording an inspection."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from jianguan.campaigns import services as campaign_services
from jianguan.campaigns.models import Campaign
from jianguan.core.errors import DomainError
from jianguan.core.services import acting
from jianguan.equipment.models import FollowUpTask
from jianguan.equipment.services import task_complete
from jianguan.org.models import User

from ..choices import InspectionKind, InspectionResult, InspectionStatus
from ..models import CampaignChecklist, Checklist, ChecklistItem, Inspection
from .common import save
from .inspections import inspection_complete, inspection_create

# A campaign's checklist is the inspections' part of the campaign: these two wrap campaigns' own services
# and write it (CampaignChecklist) in the same transaction. Without `checklist`, an update keeps it.
_KEEP = object()


@transaction.atomic
def campaign_create(
    *, actor: User | None, code: str, checklist: Checklist | None = None, ip: str | None = None, **fields
) -> Campaign:
    """A campaign (campaigns.services.campaign_create) and the checklist its inspections start from."""
    campaign = campaign_services.campaign_create(actor=actor, code=code, ip=ip, **fields)
    _set_checklist(campaign, checklist, actor=actor, ip=ip)
    return campaign


@transaction.atomic
def campaign_update(*, actor: User | None, pk: int, version: int | None, checklist=_KEEP, ip: str | None = None, **fields) -> Campaign:
    """Edit a campaign (campaigns.services.campaign_update) and, when given, the checklist its inspections start from."""
    campaign = campaign_services.campaign_update(actor=actor, pk=pk, version=version, ip=ip, **fields)
    if checklist is not _KEEP:
        _set_checklist(campaign, checklist, actor=actor, ip=ip)
    return campaign


def _set_checklist(campaign: Campaign, checklist: Checklist | None, *, actor: User | None, ip: str | None) -> None:
    try:
        link = campaign.inspection_setup
    except CampaignChecklist.DoesNotExist:
        link = None
    with acting(actor, ip):
        if checklist is None:
            if link is not None:
                link.delete()
                campaign.inspection_setup = None
        elif link is None:
            save(CampaignChecklist(campaign=campaign, checklist=checklist))
        elif link.checklist_id != checklist.pk:
            link.checklist = checklist
            save(link)


@campaign_services.period_check
def inspections_within_period(campaign: Campaign) -> None:
    """A campaign's dates may not move past inspections already counted toward it."""
    outside = Inspection.objects.filter(campaign=campaign).exclude(date__range=(campaign.start, campaign.end))
    first = outside.order_by("date").first()
    if first is not None:
        raise DomainError("inspections_outside", f"已有检查（{first.number}，{first.date}）在新的起止日期之外，不能这样修改期间", {"field": "start"})


@dataclass
class ItemSpec:
    point: str
    legal_basis: str = ""
    serious: bool = False


@transaction.atomic
def checklist_save(*, actor: User | None, code: str, name: str, items: list[ItemSpec], applies_to: str = "", ip: str | None = None) -> Checklist:
    """Create a checklist, or a new version of it: a version in use never changes."""
    campaign_services.check_planner(actor)
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

