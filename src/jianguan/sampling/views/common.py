"""What the 抽检 pages share: who may write, scoped look-ups that 404, and a sample's clocks as people read
them (送检, 报告, 送达, 复检 and 异议 windows, 核查处置), each with its date, 暂定 when its year's calendar is
not known, and red when the bureau's own deadline has passed undone."""

import datetime as dt
from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone

from jianguan.core.calendar import WorkingCalendar
from jianguan.core.errors import NotFound
from jianguan.core.paging import page_number, parse_int  # noqa: F401 (the pages import them from here)
from jianguan.org.choices import Role

from .. import selectors
from ..choices import Conclusion, DisposalStatus, QuickTestResult
from ..deadlines import CLOCKS
from ..models import Sample

PAGE_SIZE = 50
CONCLUSION_BADGE = {Conclusion.PENDING: "", Conclusion.QUALIFIED: "active", Conclusion.UNQUALIFIED: "danger",
                    Conclusion.PROBLEM: "moved_out"}
DISPOSAL_BADGE = {DisposalStatus.NONE: "", DisposalStatus.AWAITING: "", DisposalStatus.DISPOSING: "moved_out",
                  DisposalStatus.DISPOSED: "active"}
RESULT_BADGE = {QuickTestResult.NEGATIVE: "active", QuickTestResult.POSITIVE: "danger"}


def today() -> dt.date:
    return timezone.localdate()


def can_edit(user) -> bool:
    """Leadership reads only (the services refuse them too), so no form is offered to them."""
    return user.is_authenticated and user.role != Role.LEADERSHIP


def can_plan(user) -> bool:
    """Plans are the departments' (and the administrator's, for set-up); the service says the same."""
    return user.is_authenticated and user.role in (Role.DEPARTMENT, Role.ADMIN)


def status_of(exc) -> int:
    return exc.status if exc.status in (400, 403, 404, 409) else 400


def sample_or_404(request, pk: int) -> Sample:
    try:
        return selectors.sample_get(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


# ---------------------------------------------------------------- clocks

# field -> (label, the field that stops it, what stopping it is called, whose deadline it is)
CLOCK_VIEW = {
    "send_due": ("送检期限", "sent_on", "送检", "bureau"),
    "report_due": ("报告期限", "report_on", "出具报告", "institution"),
    "service_due": ("送达期限", "served_on", "送达", "bureau"),
    "retest_due": ("复检申请期限", "retest_requested_on", "申请复检", "party"),
    "objection_due": ("异议期限", "objection_on", "提出异议", "party"),
    "disposal_due": ("处置期限", "disposed_on", "处置完成", "bureau"),
}
BASIS = {
    "send_due": "抽样后 5 个工作日内将样品送达检验机构",
    "report_due": "检验机构自收到样品之日起 20 个工作日内出具报告",
    "service_due": "自收到不合格检验结论之日起 5 个工作日内送达被抽样单位",
    "retest_due": "被抽样单位自收到检验结论之日起 7 个工作日内可申请复检",
    "objection_due": "对抽样过程、样品真实性、检验方法有异议的，7 个工作日内提出",
    "disposal_due": "自收到不合格检验结论之日起 90 日内完成核查处置",
}


@dataclass
class Clock:
    field: str
    label: str
    due: dt.date | None
    provisional: bool = False
    text: str = ""
    css: str = "clock-stopped"
    overdue: bool = False
    soon: bool = False
    basis: str = ""


def _left(days: int, kind: str) -> str:
    return f"剩余 {days} 个工作日" if kind == "working" else f"剩余 {days} 天"


def clock(sample: Sample, field: str, on: dt.date, until: dt.date, calendar: WorkingCalendar,
          provisional: set[str] | frozenset = frozenset()) -> Clock:
    label, done_field, done_label, whose = CLOCK_VIEW[field]
    due = getattr(sample, field)
    c = Clock(field, label, due, field in provisional, basis=BASIS[field])
    done = getattr(sample, done_field)
    if due is None:
        c.text = "—"
        return c
    if done is not None:
        on_time = done <= due
        c.text = f"{done:%Y-%m-%d} {done_label}，" + ("按期" if on_time else "超期")
        c.css = "clock-running" if on_time else "clock-overdue"
        return c
    if field == "disposal_due" and sample.disposal_status != DisposalStatus.DISPOSING:
        c.text = "无需处置"
        return c
    kind = CLOCKS[field][1]
    if due >= on:
        c.soon = due <= until
        if due == on:
            c.text = "今天到期"
        elif kind == "working":
            left, guess = calendar.count_working_days(on, due)
            c.provisional |= guess
            c.text = _left(left, kind)
        else:
            c.text = _left((due - on).days, kind)
        c.css = "clock-soon" if c.soon and whose != "party" else "clock-running"
        return c
    if whose == "party":  # the business's window closed unused: nothing is late
        c.text = "已届满，未提出"
        return c
    c.overdue, c.css = True, "clock-overdue"
    c.text = f"已逾期 {(on - due).days} 天"
    return c


def sample_clocks(sample: Sample, on: dt.date, until: dt.date, *, provisional: set[str] | None = None) -> list[Clock]:
    """The clocks that run for this sample (a clock whose start is not known yet is left out)."""
    calendar = WorkingCalendar()
    provisional = selectors.provisional_clocks(sample) if provisional is None else provisional
    return [clock(sample, f, on, until, calendar, provisional) for f in CLOCK_VIEW if getattr(sample, f) is not None]


def list_clock(sample: Sample, on: dt.date, until: dt.date, calendar: WorkingCalendar) -> Clock | None:
    """The one clock a list shows: what is awaited next (送达, 核查处置, the report, 送检), or none. 暂定 when
    its date falls in a year whose calendar is not known (the sample's page tells exactly which clock)."""
    for field, done_field in (("service_due", "served_on"), ("disposal_due", "disposed_on"), ("report_due", "report_on"),
                              ("send_due", "sent_on")):
        due = getattr(sample, field)
        if due is None or getattr(sample, done_field) is not None:
            continue
        if field == "disposal_due" and sample.disposal_status != DisposalStatus.DISPOSING:
            continue
        c = clock(sample, field, on, until, calendar)
        c.provisional = c.provisional or (sample.dues_provisional and not calendar.year_is_known(due.year))
        return c
    return None


def decorate_samples(rows, on: dt.date, until: dt.date) -> list[Sample]:
    rows, calendar = list(rows), WorkingCalendar()
    for s in rows:
        s.clock = list_clock(s, on, until, calendar)
        s.conclusion_badge = CONCLUSION_BADGE.get(s.conclusion, "")
        s.disposal_badge = DISPOSAL_BADGE.get(s.disposal_status, "")
    return rows
