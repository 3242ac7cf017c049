"""Pure rules of inspections and findings: no database here."""

import datetime as dt
from dataclasses import dataclass

from .choices import (
    EXTERNAL_KINDS,
    FINDING_TRANSITIONS,
    INSPECTION_TRANSITIONS,
    ClockState,
    FindingStatus,
    InspectionStatus,
)

# What an attachment may be: photos from a phone camera and PDF scans. Checked on the content's
# first bytes, not on the name the browser sends.
ALLOWED_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", "JPEG 图片"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "PNG 图片"),
    (b"%PDF-", "application/pdf", "PDF 文件"),
)
ALLOWED_LABEL = "JPEG/PNG 图片或 PDF 文件"


def sniff_content_type(head: bytes) -> str | None:
    for signature, content_type, _ in ALLOWED_SIGNATURES:
        if head.startswith(signature):
            return content_type
    # HEIC/HEIF photos from iPhones: an ISO-BMFF "ftyp" box with a HEIF brand.
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"heif"):
        return "image/heic"
    return None


def is_external(kind: str) -> bool:
    return kind in EXTERNAL_KINDS


def can_transition_inspection(current: str, new: str) -> bool:
    return InspectionStatus(new) in INSPECTION_TRANSITIONS[InspectionStatus(current)]


def can_transition_finding(current: str, new: str) -> bool:
    return FindingStatus(new) in FINDING_TRANSITIONS[FindingStatus(current)]


@dataclass(frozen=True)
class Clock:
    """What a deadline looks like on a day: days left (negative when overdue) and its state."""

    due: dt.date | None
    days_left: int | None
    state: str
    provisional: bool = False

    @property
    def label(self) -> str:
        if self.due is None or self.state == ClockState.STOPPED:
            return ClockState(self.state).label
        if self.days_left < 0:
            return f"已逾期{-self.days_left}天"
        if self.days_left == 0:
            return "今日到期"
        return f"剩余{self.days_left}天"


def clock(due: dt.date | None, on: dt.date, *, stopped: bool = False, warn_days: int = 3, provisional: bool = False) -> Clock:
    if stopped or due is None:
        return Clock(due, None, ClockState.STOPPED, provisional)
    left = (due - on).days
    state = ClockState.OVERDUE if left < 0 else ClockState.DUE_SOON if left <= warn_days else ClockState.RUNNING
    return Clock(due, left, state, provisional)


def finding_clock(status: str, deadline: dt.date, recheck_due: dt.date | None, on: dt.date, provisional: bool = False) -> Clock:
    """The clock that matters for a finding now: the operator's deadline while open, the bureau's
    re-check deadline once the operator has reported, none once closed or escalated."""
    if status == FindingStatus.OPEN:
        return clock(deadline, on)
    if status == FindingStatus.REPORTED:
        return clock(recheck_due, on, provisional=provisional)
    return clock(None, on, stopped=True)


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


# A campaign's state as staff read it: the stored status says only whether it was archived; whether
# it is under way is a matter of its dates on the day asked about.
CAMPAIGN_PHASES = {"archived": ("已归档", "deregistered"), "upcoming": ("未开始", ""), "running": ("进行中", "active"),
                   "ended": ("已结束", "deregistered")}


def campaign_phase(status: str, start: dt.date, end: dt.date, on: dt.date) -> str:
    if status == "archived":
        return "archived"
    if on < start:
        return "upcoming"
    return "ended" if on > end else "running"
