"""What the 执法办案 pages share: who may write, scoped look-ups that 404, the clocks as people read them
(a lead's filing period in working days, a case's decision period in calendar days, 暂定 when the year's
calendar is not known), the respondent masked for those who may not see a person in full, and the link
back to the record a lead came from."""

import datetime as dt
from dataclasses import dataclass

from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from jianguan.core.calendar import WorkingCalendar
from jianguan.core.errors import NotFound
from jianguan.core.masking import mask_id_number, mask_name
from jianguan.core.paging import page_number, parse_int, slice_page  # noqa: F401 (the pages import them from here)
from jianguan.core.panels import due_soon_until
from jianguan.org.choices import Role

from .. import selectors
from ..choices import OPEN_STATUSES, CaseStatus, LeadStatus, RespondentKind
from ..models import Case, Lead

PAGE_SIZE = 50
LEAD_BADGE = {LeadStatus.PENDING: "moved_out", LeadStatus.FILED: "active", LeadStatus.NOT_FILED: "deregistered",
              LeadStatus.TRANSFERRED: ""}
CASE_BADGE = {
    CaseStatus.FILED: "", CaseStatus.INVESTIGATING: "", CaseStatus.REVIEW: "", CaseStatus.NOTIFIED: "moved_out",
    CaseStatus.DECIDED: "active", CaseStatus.SERVED: "active", CaseStatus.EXECUTING: "moved_out",
    CaseStatus.CLOSED: "deregistered", CaseStatus.TRANSFERRED: "deregistered",
}

# The pages of the records that open leads, by URL name: cases may not import the apps above it, so a
# lead's "app_label.model:pk" is turned into an address by name (a page that does not exist: no link).
SOURCE_PAGES = {
    "complaints.complaint": "complaints:detail",
    "inspections.finding": "inspections:finding",
    "inspections.inspection": "inspections:detail",
    "sampling.sample": "sampling:detail",
}


def today() -> dt.date:
    return timezone.localdate()


def can_edit(user) -> bool:
    """Leadership reads only (the services refuse them too), so no form is offered to them."""
    return user.is_authenticated and user.role != Role.LEADERSHIP


def status_of(exc) -> int:
    return exc.status if exc.status in (400, 403, 404, 409) else 400


def lead_or_404(request, pk: int) -> Lead:
    try:
        return selectors.lead_get(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def case_or_404(request, pk: int) -> Case:
    try:
        return selectors.case_get(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def source_url(source_ref: str) -> str | None:
    label, _, raw = (source_ref or "").partition(":")
    name, pk = SOURCE_PAGES.get(label), parse_int(raw)
    if name is None or pk is None:
        return None
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return None


# ---------------------------------------------------------------- the respondent


@dataclass
class Respondent:
    name: str
    id_no: str
    uscc: str
    person: bool
    masked: bool


def respondent(record, visible: bool) -> Respondent:
    """当事人 as this user may see it: a person's name and ID number masked unless `visible`."""
    person = record.respondent_kind == RespondentKind.PERSON
    masked = person and not visible
    return Respondent(
        name=mask_name(record.respondent_name) if masked else record.respondent_name,
        id_no=mask_id_number(record.respondent_id_no) if masked else record.respondent_id_no,
        uscc=record.respondent_uscc, person=person, masked=masked and bool(record.respondent_name),
    )


# ---------------------------------------------------------------- clocks


@dataclass
class Clock:
    label: str
    due: dt.date | None
    provisional: bool = False
    text: str = ""
    css: str = "clock-stopped"
    overdue: bool = False
    soon: bool = False


def _finished(clock: Clock, done: dt.date, what: str) -> Clock:
    on_time = clock.due is None or done <= clock.due
    clock.text = f"{done:%Y-%m-%d} {what}，" + ("按期" if on_time else "超期")
    clock.css = "clock-running" if on_time else "clock-overdue"
    return clock


def lead_clock(lead: Lead, on: dt.date, until: dt.date, calendar: WorkingCalendar) -> Clock:
    """立案决定期限, counted in working days while the lead waits; how it ended once decided."""
    clock = Clock("立案决定期限", lead.decision_due, lead.decision_due_provisional)
    if lead.status != LeadStatus.PENDING:
        return _finished(clock, lead.decided_on, lead.get_status_display()) if lead.decided_on else clock
    if lead.decision_due is None:
        clock.text = "未计时"
        return clock
    if lead.decision_due >= on:
        left, guess = calendar.count_working_days(on, lead.decision_due)
        clock.provisional |= guess
        clock.soon = lead.decision_due <= until
        clock.text = "今天到期" if lead.decision_due == on else f"剩余 {left} 个工作日"
        clock.css = "clock-soon" if clock.soon else "clock-running"
        return clock
    late, guess = calendar.count_working_days(lead.decision_due, on)
    clock.provisional |= guess
    clock.overdue, clock.css = True, "clock-overdue"
    clock.text = f"已逾期 {late} 个工作日" if late else f"已逾期 {(on - lead.decision_due).days} 天（休息日）"
    return clock


def case_clock(case: Case, on: dt.date, until: dt.date, suspended_now: bool = False) -> Clock:
    """办案期限 (the decision), in calendar days: standing still while suspended, how it ended once decided."""
    clock = Clock("办案期限", case.decision_due, case.decision_due_provisional)
    if case.decided_on:
        return _finished(clock, case.decided_on, "作出决定")
    if case.status not in OPEN_STATUSES:
        clock.text = f"{case.get_status_display()}，不再计时"
        return clock
    if suspended_now:
        clock.text = "案件中止，期限暂停计算"
        return clock
    if case.decision_due is None:
        clock.text = "未计时"
        return clock
    days = (case.decision_due - on).days
    if days >= 0:
        clock.soon = case.decision_due <= until
        clock.text = "今天到期" if days == 0 else f"剩余 {days} 天"
        clock.css = "clock-soon" if clock.soon else "clock-running"
    else:
        clock.overdue, clock.css, clock.text = True, "clock-overdue", f"已逾期 {-days} 天"
    return clock


def decorate_leads(rows, user, on: dt.date) -> list[Lead]:
    """For list rows: the clock, the badge, the respondent as this user may see it."""
    until, calendar = due_soon_until(on), WorkingCalendar()
    rows = list(rows)
    for lead in rows:
        lead.clock = lead_clock(lead, on, until, calendar)
        lead.badge = LEAD_BADGE.get(lead.status, "")
        lead.who = respondent(lead, selectors.may_see_personal(user, lead))
    return rows


def decorate_cases(rows, user, on: dt.date) -> list[Case]:
    until = due_soon_until(on)
    rows = list(rows)
    for case in rows:
        case.clock = case_clock(case, on, until, getattr(case, "suspended_now", False))
        case.badge = CASE_BADGE.get(case.status, "")
        case.who = respondent(case, selectors.may_see_personal(user, case))
    return rows
