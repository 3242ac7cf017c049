"""The case's workflow core: the one place its status moves (`move`, checked against CASE_TRANSITIONS, with
a step on the timeline), the generic `case_transition`, suspensions (中止) of the decision clock, its
extensions (+30 once, then by collective decision), and the transfer (移送) to the police or another body.
The other steps (investigation, notice, hearing, decision, execution) are in steps.py, decision.py and
execution.py and move the status through `move` too."""

import datetime as dt

from django.db import transaction

from jianguan.core.calendar import Deadline
from jianguan.core.deadlines import (
    DeadlineChange,
    on_deadline_recomputed,
    tracked_deadline,
    unregister_provisional,
)
from jianguan.core.errors import DomainError, NotFound
from jianguan.core.rules import rule_value
from jianguan.core.services import acting
from jianguan.org.models import User

from .. import rules
from ..choices import CASE_TRANSITIONS, CaseStatus, StepKind, SuspensionReason, TransferTarget
from ..models import Case, CaseStep, Evidence, Suspension
from .common import check_version, check_writer, not_before, require_text, save
from .filing import add_step, set_decision_due
from .leads import APP

# The step each move writes on the timeline, unless the service names a more precise one.
STEP_OF_STATUS = {
    CaseStatus.INVESTIGATING: StepKind.INVESTIGATION, CaseStatus.REVIEW: StepKind.REVIEW, CaseStatus.NOTIFIED: StepKind.NOTICE,
    CaseStatus.DECIDED: StepKind.DECISION, CaseStatus.SERVED: StepKind.SERVICE, CaseStatus.EXECUTING: StepKind.REMINDER,
    CaseStatus.CLOSED: StepKind.CLOSING, CaseStatus.TRANSFERRED: StepKind.TRANSFER,
}
# Moves that need data of their own go through their service; `case_transition` says which.
OWN_SERVICE = {
    CaseStatus.NOTIFIED: "请填写行政处罚告知（拟作出的处罚及金额）",
    CaseStatus.DECIDED: "请通过“作出处罚决定”或“不予行政处罚”办理",
    CaseStatus.SERVED: "请登记送达",
    CaseStatus.EXECUTING: "请登记催告",
    CaseStatus.CLOSED: "请填写结案审批",
    CaseStatus.TRANSFERRED: "请填写移送（移送对象和接收机关）",
}


def locked_case(pk: int, version: int | None, actor: User | None) -> Case:
    """The case, locked for this transaction, after the writer's jurisdiction and the version are checked."""
    case = Case.objects.select_for_update(of=("self",)).select_related("subdistrict", "category", "lead", "business").filter(pk=pk).first()
    if case is None:
        raise NotFound("案件不存在")
    check_writer(actor, case.subdistrict)
    check_version(case, version)
    return case


def tracked(case_or_evidence, field: str, start: dt.date, *, working_days: int | None = None,
            calendar_days: int | None = None) -> dt.date:
    """A due date of a step; registered as provisional when it reaches a year whose calendar is unknown,
    so that `jianguan calendar refresh` moves it (see `due_dates_recomputed`)."""
    kind = "evidence" if isinstance(case_or_evidence, Evidence) else "case"
    due: Deadline = tracked_deadline(app_label=APP, object_ref=f"{kind}:{case_or_evidence.pk}", field_name=field, start=start,
                                     working_days=working_days, calendar_days=calendar_days)
    return due.date


def working_days_rule(key: str, on: dt.date) -> int:
    return int(rule_value(key, on=on))


# The due dates kept by the workflow services (the decision clock is filing's).
TRACKED_FIELDS = {"case": {"review_due", "statement_due", "closing_due", "publish_due", "record_due", "payment_due"}, "evidence": {"measure_due"}}


@on_deadline_recomputed(APP)
def due_dates_recomputed(changes: list[DeadlineChange]) -> None:
    models = {"case": Case, "evidence": Evidence}
    for change in changes:
        kind, _, pk = change.object_ref.partition(":")
        if change.field_name in TRACKED_FIELDS.get(kind, ()):
            models[kind].objects.filter(pk=int(pk)).update(**{change.field_name: change.new_due})


def check_transition(case: Case, to: str) -> None:
    if to not in CASE_TRANSITIONS.get(case.status, set()):
        raise DomainError("invalid_transition",
                          f"案件当前状态为“{case.get_status_display()}”，不能变为“{CaseStatus(to).label}”", {"field": "status"})


def move(case: Case, to: str, *, on: dt.date, actor: User | None, kind: str = "", opinion: str = "",
         approved_by: str = "") -> CaseStep:
    """The one place a case changes status: checked against the transition table, written on the timeline
    with the old and new status. The caller saves the case (and bumps its version)."""
    check_transition(case, to)
    not_before(on, case.filed_on, "on", "办理日期", "立案日期")
    old, case.status = case.status, to
    if to == CaseStatus.REVIEW:
        case.review_due = tracked(case, "review_due", on, working_days=working_days_rule("cases.review_working_days", on))
        case.reviewed_on = None
    return add_step(case, kind=kind or STEP_OF_STATUS[to], on=on, actor=actor, opinion=opinion, approved_by=approved_by,
                    old_status=old, new_status=to)


def bump(case: Case) -> None:
    case.version += 1
    save(case)


def open_suspension(case: Case) -> Suspension | None:
    return case.suspensions.filter(end__isnull=True).first()


def check_clock_running(case: Case, what: str) -> None:
    """Refuse an act that needs the decision clock running: the case is not decided, closed or transferred."""
    if case.decided_on is not None:
        raise DomainError("case_decided", f"案件已于 {case.decided_on} 作出决定，不能{what}")
    if not case.is_open:
        raise DomainError("case_not_open", f"案件{case.get_status_display()}，不能{what}")


@transaction.atomic
def case_transition(*, actor: User | None, pk: int, version: int | None, to: str, on: dt.date, opinion: str = "",
                    approved_by: str = "", ip: str | None = None) -> Case:
    """Moves that need nothing but a date and an opinion: start the investigation, submit it for the legal
    review (法制审核, due in 10 working days), send it back for more investigation."""
    case = locked_case(pk, version, actor)
    if to not in CaseStatus.values:
        raise DomainError("invalid_status", f"案件状态“{to}”不存在", {"field": "status"})
    check_transition(case, to)
    if to in OWN_SERVICE:
        raise DomainError("use_own_service", OWN_SERVICE[to], {"field": "status"})
    with acting(actor, ip):
        move(case, to, on=on, actor=actor, opinion=opinion, approved_by=approved_by)
        bump(case)
    return case


# --- 中止 ---------------------------------------------------------------------------------------------

def suspend(case: Case, *, reason: str, start: dt.date, actor: User | None, note: str = "") -> Suspension:
    """Stop the decision clock from `start` (also used by the hearing request)."""
    if reason not in SuspensionReason.values:
        raise DomainError("invalid_reason", f"中止事由“{reason}”不存在", {"field": "reason"})
    check_clock_running(case, "中止")
    current = open_suspension(case)
    if current is not None:
        raise DomainError("suspension_open", f"案件已于 {current.start} 起因{current.get_reason_display()}中止，请先登记恢复",
                          {"field": "start"})
    not_before(start, case.filed_on, "start", "中止日期", "立案日期")
    last = case.suspensions.exclude(end__isnull=True).order_by("-end").first()
    if last is not None and start < last.end:
        raise DomainError("suspension_overlap", f"中止日期 {start} 早于上一次中止的恢复日期 {last.end}", {"field": "start"})
    if case.decision_due and start > case.decision_due:
        raise DomainError("suspension_after_deadline", f"办案期限已于 {case.decision_due} 届满，不能再中止", {"field": "start"})
    suspension = Suspension(case=case, reason=reason, start=start, note=(note or "").strip()[:300], created_by=actor)
    save(suspension)
    add_step(case, kind=StepKind.SUSPENSION, on=start, actor=actor,
             opinion=f"因{suspension.get_reason_display()}中止办案期限计算" + (f"：{suspension.note}" if suspension.note else ""))
    return suspension


def resume(case: Case, *, end: dt.date, actor: User | None, note: str = "") -> Suspension:
    """Run the clock again from `end`; the case's suspended days and decision deadline are recomputed
    from all its suspensions."""
    suspension = open_suspension(case)
    if suspension is None:
        raise DomainError("no_open_suspension", "案件没有未恢复的中止", {"field": "end"})
    if end < suspension.start:
        raise DomainError("suspension_order", f"恢复日期 {end} 早于中止日期 {suspension.start}", {"field": "end"})
    suspension.end = end
    save(suspension)
    closed = [rules.Suspension(s.start, s.end, s.reason) for s in case.suspensions.exclude(end__isnull=True)]
    case.suspended_days = rules.suspended_days(closed)
    set_decision_due(case)
    add_step(case, kind=StepKind.RESUMPTION, on=end, actor=actor,
             opinion=f"{suspension.get_reason_display()}中止{suspension.days}日，恢复计算，办案期限为 {case.decision_due}"
             + ("（暂定）" if case.decision_due_provisional else "") + (f"；{note.strip()}" if (note or "").strip() else ""))
    return suspension


@transaction.atomic
def suspension_start(*, actor: User | None, pk: int, version: int | None, reason: str, start: dt.date, note: str = "",
                     ip: str | None = None) -> Suspension:
    """中止 (检测检验, 鉴定, 听证, 公告, 公告送达 …): the decision clock stands still; one at a time."""
    case = locked_case(pk, version, actor)
    with acting(actor, ip):
        suspension = suspend(case, reason=reason, start=start, actor=actor, note=note)
        bump(case)
    return suspension


@transaction.atomic
def suspension_end(*, actor: User | None, pk: int, version: int | None, end: dt.date, note: str = "",
                   ip: str | None = None) -> Suspension:
    """恢复: the decision deadline moves by exactly the days suspended (each day counted once)."""
    case = locked_case(pk, version, actor)
    with acting(actor, ip):
        suspension = resume(case, end=end, actor=actor, note=note)
        bump(case)
    return suspension


# --- 延长 ---------------------------------------------------------------------------------------------

def _before_deadline(case: Case, on: dt.date, what: str) -> None:
    not_before(on, case.filed_on, "approved_on", "批准日期", "立案日期")
    if case.decision_due and on > case.decision_due:
        raise DomainError("extension_late", f"{what}须在办案期限 {case.decision_due} 届满前批准", {"field": "approved_on"})


@transaction.atomic
def case_extend(*, actor: User | None, pk: int, version: int | None, approved_on: dt.date, approved_by: str,
                opinion: str = "", ip: str | None = None) -> Case:
    """延长办案期限 +30 days, once, approved by the bureau's head before the deadline runs out."""
    case = locked_case(pk, version, actor)
    check_clock_running(case, "延长办案期限")
    if case.extended:
        raise DomainError("already_extended", "办案期限只能经批准延长一次，仍不能作出决定的，须经集体讨论决定继续延期")
    _before_deadline(case, approved_on, "延长办案期限")
    days = int(rule_value("cases.decision_extension_days", on=case.filed_on))
    case.extended = True
    case.extension_approved_by = require_text(approved_by, "approved_by", "延期批准人")
    old_due = case.decision_due
    set_decision_due(case)
    with acting(actor, ip):
        add_step(case, kind=StepKind.EXTENSION, on=approved_on, actor=actor, approved_by=case.extension_approved_by,
                 opinion=(opinion or "").strip() or f"延长{days}日，办案期限由 {old_due} 延至 {case.decision_due}")
        bump(case)
    return case


@transaction.atomic
def case_collective_extend(*, actor: User | None, pk: int, version: int | None, decided_on: dt.date, days: int,
                           decision: str, approved_by: str = "", ip: str | None = None) -> Case:
    """集体讨论决定继续延期: only after the +30 extension, before the deadline, with the decision recorded."""
    case = locked_case(pk, version, actor)
    check_clock_running(case, "延长办案期限")
    if not case.extended:
        raise DomainError("extension_first", "须先经批准延长30日；延长后仍不能作出决定的，方可由集体讨论决定继续延期")
    _before_deadline(case, decided_on, "继续延期")
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise DomainError("invalid_days", "延长天数须为整数", {"field": "days"}) from None
    if not 0 < days <= 365:
        raise DomainError("invalid_days", "延长天数须在 1～365 之间", {"field": "days"})
    text = require_text(decision, "decision", "集体讨论决定")
    case.collective_extension_days += days
    case.collective_decision = "\n".join(filter(None, [case.collective_decision, f"{decided_on}：{text}（延长{days}日）"]))
    set_decision_due(case)
    with acting(actor, ip):
        add_step(case, kind=StepKind.COLLECTIVE, on=decided_on, actor=actor, approved_by=approved_by,
                 opinion=f"{text}（延长{days}日，办案期限至 {case.decision_due}）")
        bump(case)
    return case


# --- 移送 ---------------------------------------------------------------------------------------------

@transaction.atomic
def case_transfer(*, actor: User | None, pk: int, version: int | None, on: dt.date, target: str, body: str,
                  approved_by: str, opinion: str = "", ip: str | None = None) -> Case:
    """移送 to the police (涉嫌犯罪) or another agency (不属本机关管辖), with the receiving body."""
    case = locked_case(pk, version, actor)
    if target not in TransferTarget.values:
        raise DomainError("transfer_target_required", "移送须选择移送对象（公安机关或其他行政机关）", {"field": "target"})
    body = require_text(body, "body", "接收机关")
    approved_by = require_text(approved_by, "approved_by", "移送审批人")
    with acting(actor, ip):
        move(case, CaseStatus.TRANSFERRED, on=on, actor=actor, approved_by=approved_by,
             opinion=f"移送{body}" + (f"：{opinion.strip()}" if (opinion or "").strip() else ""))
        case.transferred_on, case.transfer_target, case.transfer_body = on, target, body
        current = open_suspension(case)
        if current is not None:  # the clock no longer runs here
            current.end = max(on, current.start)
            save(current)
        unregister_provisional(app_label=APP, object_ref=f"case:{case.pk}", field_name="decision_due")
        bump(case)
    return case
