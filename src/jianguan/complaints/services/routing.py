"""Who handles an item: assignment from the triage queue, re-assignment between stations (who, when,
why), transfer out of the bureau's jurisdiction (移送), and the staff's override of the category."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from jianguan.businesses.models import Business
from jianguan.core.errors import DomainError, PermissionDenied
from jianguan.core.services import acting
from jianguan.org.choices import Role
from jianguan.org.models import Subdistrict, User

from ..choices import Category, Status
from ..judging import closed_on_time
from ..models import Complaint
from .common import business_date, event, locked, move, save
from .intake import FIRST_STATUS

# Whole-bureau roles route items; a station hands an item back with a reason (it re-enters triage).
ROUTERS = (Role.DEPARTMENT, Role.ADMIN)


def _check_router(actor: User | None) -> None:
    if actor is not None and actor.role not in ROUTERS:
        raise PermissionDenied("分派和改派由业务科室或系统管理员办理；监管所如认为不属本所，请退回并说明理由")


def _reason(reason: str, label: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", f"请填写{label}", {"field": "reason"})
    return reason


@transaction.atomic
def complaint_assign(
    *, actor: User | None, pk: int, version: int | None, subdistrict: Subdistrict | None, business: Business | None = None,
    reason: str = "", on: dt.date | None = None,
) -> Complaint:
    """Route to the station of a subdistrict (and optionally link the registered business). Moving an
    item that already has a station is a re-assignment and needs a reason."""
    _check_router(actor)
    complaint = locked(pk, version, actor)
    if not complaint.is_open:
        raise DomainError("closed", f"该{complaint.get_kind_display()}已{complaint.get_status_display()}，不能再分派")
    if business is not None:
        subdistrict = subdistrict or business.subdistrict
    if subdistrict is None:
        raise DomainError("subdistrict_required", "请选择所属街道（决定承办监管所）", {"field": "subdistrict"})
    on = business_date(on, complaint)
    before = complaint.station
    moved = before is not None and before != subdistrict.station
    if moved:
        reason = _reason(reason, "改派理由")
    with acting(actor):
        old = ""
        if complaint.status == Status.TRIAGE:
            old = move(complaint, FIRST_STATUS[complaint.kind])
        else:
            complaint.version += 1
        if business is not None:
            complaint.business = business
            complaint.respondent_uscc = complaint.respondent_uscc or business.uscc
        complaint.subdistrict = subdistrict
        save(complaint)
        event(
            complaint, actor=actor, action="改派" if moved else ("分派" if before is None else "补充主体或街道"), on=on, old=old,
            note=reason,
            from_station=before, to_station=subdistrict.station,
        )
    return complaint


@transaction.atomic
def complaint_return(*, actor: User | None, pk: int, version: int | None, reason: str, on: dt.date | None = None) -> Complaint:
    """A station hands an item that is not its own back to the triage queue, saying why."""
    complaint = locked(pk, version, actor)
    reason = _reason(reason, "退回理由")
    if complaint.status not in (Status.RECEIVED, Status.VERIFYING) or complaint.accepted_on:
        raise DomainError("not_returnable", "只有尚未受理（或核查中）的件可以退回分派")
    on = business_date(on, complaint)
    before = complaint.station
    with acting(actor):
        old = complaint.status
        complaint.status = Status.TRIAGE  # outside the kinds' tables: any fresh item may go back to triage
        complaint.version += 1
        complaint.subdistrict = None
        save(complaint)
        event(complaint, actor=actor, action="退回分派", on=on, old=old, note=reason, from_station=before)
    return complaint


@transaction.atomic
def complaint_transfer(
    *, actor: User | None, pk: int, version: int | None, to: str, reason: str, on: dt.date | None = None
) -> Complaint:
    """移送: out of the bureau's jurisdiction or duties; the record stays, closed as transferred."""
    complaint = locked(pk, version, actor)
    to = (to or "").strip()
    if not to:
        raise DomainError("transfer_to_required", "请填写移送机关", {"field": "to"})
    reason = _reason(reason, "移送理由")
    on = business_date(on, complaint)
    with acting(actor):
        old = move(complaint, Status.TRANSFERRED)
        complaint.transferred_to = to[:200]
        complaint.closed_on = on
        complaint.closed_on_time = closed_on_time(complaint)
        save(complaint)
        event(complaint, actor=actor, action="移送", on=on, old=old, note=f"移送至{to}：{reason}", from_station=complaint.station)
    return complaint


@transaction.atomic
def complaint_categorize(*, actor: User | None, pk: int, version: int | None, category: str, reason: str = "") -> Complaint:
    """Staff override the keyword classification; the rule's keywords are kept for comparison."""
    complaint = locked(pk, version, actor)
    if category not in Category.values:
        raise DomainError("invalid_category", "请选择所属领域", {"field": "category"})
    before = complaint.get_category_display()
    with acting(actor):
        complaint.category = category
        complaint.category_set_by = actor
        complaint.version += 1
        save(complaint)
        event(
            complaint, actor=actor, action="调整领域", on=max(complaint.received_on, timezone.localdate()),
            note=f"{before} → {complaint.get_category_display()}" + (f"：{reason.strip()}" if reason and reason.strip() else ""),
        )
    return complaint
