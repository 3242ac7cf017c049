"""Pure rules of campaigns (专项行动): scope, goals and the state staff read. No database here."""

import datetime as dt

from jianguan.core.errors import DomainError

from .choices import GOAL_KEYS, CampaignStatus


def campaign_scope_problem(
    *, entity_types, industries, equipment_types, subdistrict_ids, business_entity_type: str, business_industry: str,
    business_subdistrict_id: int, device_types: list[str],
) -> str | None:
    """Why a business (and the devices inspected) falls outside a campaign's scope; None when inside.
    An empty scope field places no limit."""
    if subdistrict_ids and business_subdistrict_id not in subdistrict_ids:
        return "所属街道不在专项行动范围内"
    if entity_types and business_entity_type not in entity_types:
        return "主体类型不在专项行动范围内"
    if industries and not any((business_industry or "").startswith(prefix) for prefix in industries):
        return f"行业代码“{business_industry or '未填'}”不在专项行动范围（{'、'.join(industries)}）内"
    outside = sorted({t for t in device_types if t not in equipment_types}) if equipment_types else []
    if outside:
        return f"设备种类 {'、'.join(outside)} 不在专项行动范围（{'、'.join(equipment_types)}）内"
    return None


def clean_goals(goals: dict) -> dict:
    """The goals as whole numbers by known key, zeros dropped; a DomainError names an unknown key or a bad value."""
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


# A campaign's state as staff read it: the stored status says only whether it was archived; whether
# it is under way is a matter of its dates on the day asked about.
CAMPAIGN_PHASES = {"archived": ("已归档", "deregistered"), "upcoming": ("未开始", ""), "running": ("进行中", "active"),
                   "ended": ("已结束", "deregistered")}


def campaign_phase(status: str, start: dt.date, end: dt.date, on: dt.date) -> str:
    if status == CampaignStatus.ARCHIVED:
        return "archived"
    if on < start:
        return "upcoming"
    return "ended" if on > end else "running"
