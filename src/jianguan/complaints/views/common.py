"""What the 投诉举报 staff pages share: who may do what, scoped look-ups that 404, the clocks as people
read them (date, working days left or overdue, 暂定), masked complainants and simple paging."""

import datetime as dt
from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone

from jianguan.core import paging
from jianguan.core.calendar import WorkingCalendar
from jianguan.core.errors import NotFound
from jianguan.core.paging import page_number  # noqa: F401 (the pages import it from here)
from jianguan.org.choices import Role

from .. import selectors
from ..choices import Kind, Status
from ..models import Complaint
from ..privacy import mask_name, mask_phone, may_see

PAGE_SIZE = 50
DUE_SOON_WORKING_DAYS = 2
STATUS_BADGE = {
    Status.TRIAGE: "danger", Status.RECEIVED: "", Status.ODR: "moved_out", Status.ACCEPTED: "", Status.PAUSED: "moved_out",
    Status.MEDIATED: "", Status.VERIFYING: "", Status.DECIDED: "", Status.CLOSED: "active", Status.TRANSFERRED: "deregistered",
}
# Each statutory clock, and the date that stops it when the step is done.
CLOCKS = (
    ("accept_due", "受理期限", "accepted_on"),
    ("mediation_due", "调解期限", "mediation_ended_on"),
    ("filing_due", "立案决定期限", "decided_on"),
    ("notify_due", "告知期限", "notified_on"),
)


def today() -> dt.date:
    return timezone.localdate()


def can_edit(user) -> bool:
    """Leadership reads only (the services refuse them too), so the forms are not offered to them."""
    return user.is_authenticated and user.role != Role.LEADERSHIP


def is_router(user) -> bool:
    """Departments and administrators route items (分派/改派) and keep the ODR register."""
    return user.is_authenticated and user.role in (Role.DEPARTMENT, Role.ADMIN)


def complaint_or_404(request, pk: int) -> Complaint:
    try:
        return selectors.get_for(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def visible(user, complaint: Complaint) -> bool:
    return selectors.in_scope(user).filter(pk=complaint.pk).exists()


def status_of(exc) -> int:
    return exc.status if exc.status in (400, 403, 404, 409) else 400


def slice_page(qs, page_no: int, size: int | None = None) -> tuple[list, bool]:
    """(The queue is ordered by a computed deadline, which the keyset pager of core cannot key on.)"""
    return paging.slice_page(qs, page_no, size or PAGE_SIZE)


# ---------------------------------------------------------------- clocks


@dataclass
class Clock:
    label: str
    due: dt.date | None
    provisional: bool = False
    text: str = ""
    css: str = "clock-stopped"
    running: bool = False
    overdue: bool = False


def running_field(complaint: Complaint) -> str | None:
    if complaint.status == Status.TRIAGE:
        return {Kind.COMPLAINT: "accept_due", Kind.REPORT: "filing_due"}.get(complaint.kind)
    return selectors.RUNNING_CLOCK.get(complaint.status)


def count_down(clock: Clock, on: dt.date, calendar: WorkingCalendar) -> Clock:
    """剩余 N 个工作日 / 今天到期 / 已逾期 N 个工作日, counted on the official working-day calendar."""
    clock.running = True
    if clock.due >= on:
        left, guess = calendar.count_working_days(on, clock.due)
        clock.provisional |= guess
        clock.text = "今天到期" if clock.due == on else f"剩余 {left} 个工作日"
        clock.css = "clock-soon" if left <= DUE_SOON_WORKING_DAYS else "clock-running"
        return clock
    late, guess = calendar.count_working_days(clock.due, on)
    clock.provisional |= guess
    clock.overdue = True
    clock.css = "clock-overdue"
    # The day after a Friday deadline is late by no working day yet, but late all the same.
    clock.text = f"已逾期 {late} 个工作日" if late else f"已逾期 {(on - clock.due).days} 天（休息日）"
    return clock


def stopped_text(complaint: Complaint) -> str:
    if complaint.status == Status.ODR:
        return "ODR企业自行和解中，不计入受理期限"
    if complaint.status == Status.PAUSED:
        return f"检测鉴定中，自 {complaint.paused_since:%Y-%m-%d} 起暂停计时" if complaint.paused_since else "检测鉴定中，暂停计时"
    if complaint.kind == Kind.INQUIRY:
        return "咨询，无法定期限"
    if not complaint.is_open:
        return complaint.get_status_display()
    return "不计时"


def queue_clock(complaint: Complaint, on: dt.date, calendar: WorkingCalendar) -> Clock:
    """The clock running now, as a list row shows it."""
    field = running_field(complaint)
    due = getattr(complaint, field) if field else None
    label = dict((f, label) for f, label, _ in CLOCKS).get(field, "期限")
    if due is None:
        return Clock(label, None, text=stopped_text(complaint))
    return count_down(Clock(label, due, getattr(complaint, f"{field}_provisional")), on, calendar)


def detail_clocks(complaint: Complaint, on: dt.date, calendar: WorkingCalendar) -> list[Clock]:
    """Every clock the item has had: the running one counts down; the others say how they ended."""
    running = running_field(complaint)
    out = []
    for field, label, done_field in CLOCKS:
        due = getattr(complaint, field)
        if due is None:
            continue
        clock = Clock(label, due, getattr(complaint, f"{field}_provisional"))
        done = getattr(complaint, done_field)
        if field == "accept_due" and done is None and complaint.refusal_reason:
            done = complaint.closed_on  # 不予受理 also answers the acceptance clock
        if field == running and complaint.is_open:
            count_down(clock, on, calendar)
        elif done is not None:
            clock.text = f"{done:%Y-%m-%d} 已办理，" + ("按时" if done <= due else "超期")
            clock.css = "clock-running" if done <= due else "clock-overdue"
        elif complaint.status == Status.PAUSED and field == "mediation_due":
            clock.text = stopped_text(complaint)
        else:
            clock.text = "已停止计时" if complaint.is_open else f"{complaint.get_status_display()}，不再计时"
        out.append(clock)
    return out


def decorate(rows, on: dt.date) -> list[Complaint]:
    """For list rows: the running clock, the status badge and the complainant masked (lists never unmask)."""
    calendar = WorkingCalendar()
    rows = list(rows)
    for c in rows:
        c.clock = queue_clock(c, on, calendar)
        c.status_badge = STATUS_BADGE.get(c.status, "")
        c.masked_name = mask_name(c.complainant_name)
        c.masked_phone = mask_phone(c.complainant_phone)
    return rows


def may_unmask(user, complaint: Complaint) -> bool:
    return may_see(user, complaint) and bool(complaint.complainant_name or complaint.complainant_phone)
