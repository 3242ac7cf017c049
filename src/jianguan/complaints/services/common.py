"""What the complaint services share: access, optimistic locking, state moves, events and clocks."""

import datetime as dt

from django.utils import timezone

from jianguan.core.deadlines import tracked_deadline
from jianguan.core.errors import ConcurrentEdit, DomainError, NotFound, PermissionDenied
from jianguan.core.rules import rule_value
from jianguan.core.services import save_valid as save  # noqa: F401  (the services save through common)
from jianguan.org.choices import Role
from jianguan.org.models import User

from ..choices import TRANSITIONS, Kind, Status
from ..models import Complaint, Event

APP = "complaints"


def check_actor(actor: User | None, complaint: Complaint | None = None) -> None:
    """Leadership reads only; a station acts on its own station's items (not on the triage queue)."""
    if actor is None:
        return  # the command line, imports and the demo act bureau-wide
    if actor.role == Role.LEADERSHIP:
        raise PermissionDenied("局领导账号只读，不能办理投诉举报")
    if complaint is not None and actor.role == Role.STATION:
        station = complaint.station
        if station is None or station.pk != actor.org_unit_id:
            raise NotFound("该投诉举报不在本所承办范围内")


def locked(pk: int, version: int | None, actor: User | None) -> Complaint:
    try:
        complaint = Complaint.objects.select_for_update(of=("self",)).select_related("subdistrict__station").get(pk=pk)
    except Complaint.DoesNotExist:
        raise NotFound("投诉举报记录不存在") from None
    check_actor(actor, complaint)
    if version is not None and complaint.version != version:
        raise ConcurrentEdit(
            f"该投诉举报已被他人办理（当前为第{complaint.version}版，您提交的是第{version}版），请刷新后重试，您填写的内容未保存"
        )
    return complaint



def move(complaint: Complaint, status: str) -> str:
    """Change the state along the kind's transition table; returns the old state for the event."""
    allowed = TRANSITIONS[Kind(complaint.kind)].get(Status(complaint.status), set())
    if Status(status) not in allowed:
        raise DomainError(
            "invalid_transition",
            f"{complaint.get_kind_display()}当前为“{complaint.get_status_display()}”，不能变为“{Status(status).label}”",
        )
    old = complaint.status
    complaint.status = status
    complaint.version += 1
    return old


def event(complaint: Complaint, *, actor: User | None, action: str, on: dt.date, old: str = "", note: str = "", **extra) -> Event:
    return Event.objects.create(
        complaint=complaint, at=timezone.now(), on=on, actor=actor, action=action, from_status=old,
        to_status=complaint.status, note=note, **extra,
    )


def business_date(on: dt.date | None, complaint: Complaint, field: str = "日期") -> dt.date:
    """The date of a step: today by default; never before receipt nor in the future."""
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise DomainError("future_date", f"{field}不能晚于今天", {"field": "on"})
    if on < complaint.received_on:
        raise DomainError("before_receipt", f"{field}不能早于登记日期 {complaint.received_on}", {"field": "on"})
    return on


def set_clock(complaint: Complaint, field: str, start: dt.date, rule: str, extra_days: int = 0) -> None:
    """field = start + the rule's working days (in force on start) + extra_days, on the working-day
    calendar; a deadline reaching a year without a calendar is provisional and registered with core."""
    days = int(rule_value(rule, on=start)) + extra_days
    deadline = tracked_deadline(
        app_label=APP, object_ref=f"complaint:{complaint.pk}", field_name=field, start=start, working_days=days
    )
    setattr(complaint, field, deadline.date)
    setattr(complaint, f"{field}_provisional", deadline.provisional)
