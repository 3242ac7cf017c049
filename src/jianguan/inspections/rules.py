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
