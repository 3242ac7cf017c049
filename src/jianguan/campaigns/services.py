"""Every write to campaigns: create and edit, by departments and administrators.

Campaigns know nothing of the apps that count work toward them. An app whose records must stay within
a campaign's dates registers a check with `period_check` (inspections: no inspection of the campaign
may fall outside them); campaign_update runs every check before saving."""

from collections.abc import Callable

from django.db import transaction

from jianguan.core.errors import ConcurrentEdit, DomainError, PermissionDenied
from jianguan.core.services import acting, save_valid
from jianguan.org.choices import OrgKind, Role
from jianguan.org.models import User

from .models import Campaign
from .rules import clean_goals

CAMPAIGN_FIELDS = ("name", "start", "end", "lead_department", "description", "entity_types", "industries", "equipment_types", "goals")

PeriodCheck = Callable[[Campaign], None]
_period_checks: list[PeriodCheck] = []


def period_check(fn: PeriodCheck) -> PeriodCheck:
    """Decorator: fn(campaign), with the campaign's dates as about to be saved, raises a DomainError when
    records linked to the campaign would fall outside them."""
    if fn not in _period_checks:
        _period_checks.append(fn)
    return fn


def check_planner(actor: User | None) -> None:
    if actor is not None and actor.role not in (Role.DEPARTMENT, Role.ADMIN):
        raise PermissionDenied("专项行动和检查表由业务科室或系统管理员维护")


def _check_fields(fields: dict, allowed) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise DomainError("not_editable", f"未知字段：{'、'.join(sorted(unknown))}")


@transaction.atomic
def campaign_create(
    *, actor: User | None, code: str, subdistricts=(), targets=(), ip: str | None = None, **fields
) -> Campaign:
    check_planner(actor)
    if Campaign.objects.filter(code=code).exists():
        raise DomainError("duplicate_code", f"专项行动编号“{code}”已存在", {"field": "code"})
    _check_fields(fields, CAMPAIGN_FIELDS)
    fields["goals"] = clean_goals(fields.get("goals", {}))
    campaign = Campaign(code=code, created_by=actor, **fields)
    if campaign.lead_department_id and campaign.lead_department.kind == OrgKind.STATION:
        raise DomainError("lead_not_department", "牵头单位须为业务科室或局机关", {"field": "lead_department"})
    with acting(actor, ip):
        save_valid(campaign)
        campaign.subdistricts.set(subdistricts)
        campaign.targets.set(targets)
    return campaign


@transaction.atomic
def campaign_update(
    *, actor: User | None, pk: int, version: int | None, subdistricts=None, targets=None, ip: str | None = None, **fields
) -> Campaign:
    check_planner(actor)
    campaign = Campaign.objects.select_for_update().get(pk=pk)
    if version is not None and campaign.version != version:
        raise ConcurrentEdit(
            f"该专项行动已被他人修改（当前为第{campaign.version}版，您提交的是第{version}版），请刷新后重试，您填写的内容未保存"
        )
    _check_fields(fields, (*CAMPAIGN_FIELDS, "status"))
    if "goals" in fields:
        fields["goals"] = clean_goals(fields["goals"])
    for name, value in fields.items():
        setattr(campaign, name, value)
    for check in _period_checks:
        check(campaign)
    campaign.version += 1
    with acting(actor, ip):
        save_valid(campaign)
        if subdistricts is not None:
            campaign.subdistricts.set(subdistricts)
        if targets is not None:
            campaign.targets.set(targets)
    return campaign
