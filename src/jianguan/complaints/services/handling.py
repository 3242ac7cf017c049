"""The statutory steps. 投诉: ODR (optional, its days not counted) → accept or refuse within 7 working
days → mediation within 45 working days of acceptance (paused for testing) → parties told within 7
working days → closed. 举报: verification → filing decision within 15 (+15 once, approved) working days →
a named reporter told within 5 working days → closed. 咨询: answered → closed. Periods are rules."""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from jianguan.cases.choices import LeadSource
from jianguan.cases.services import lead_open
from jianguan.core.calendar import working_days_between
from jianguan.core.deadlines import unregister_provisional
from jianguan.core.errors import DomainError
from jianguan.core.rules import rule_value
from jianguan.core.services import acting
from jianguan.org.models import User

from ..choices import FilingDecision, Kind, MediationOutcome, OdrOutcome, RefusalReason, Status
from ..judging import closed_on_time
from ..models import Complaint, OdrEnterprise
from ..rules import parse_amount
from .common import APP, business_date, event, locked, move, save, set_clock


def _kind(complaint: Complaint, kind: str) -> None:
    if complaint.kind != kind:
        raise DomainError("wrong_kind", f"这是一件{complaint.get_kind_display()}，不能办理{Kind(kind).label}的环节")


def _close(complaint: Complaint, on: dt.date) -> None:
    complaint.closed_on = on
    complaint.closed_on_time = closed_on_time(complaint)


def _note(text: str, label: str, *, required: bool = False, limit: int = 2000) -> str:
    text = (text or "").strip()
    if required and not text:
        raise DomainError("note_required", f"请填写{label}", {"field": "note"})
    if len(text) > limit:
        raise DomainError("too_long", f"{label}不能超过 {limit} 字", {"field": "note"})
    return text


# ---------------------------------------------------------------- ODR (前端拦截)


@transaction.atomic
def odr_start(*, actor: User | None, pk: int, version: int | None, on: dt.date | None = None) -> Complaint:
    """Hand a complaint to the ODR enterprise it is against; the acceptance clock stops meanwhile."""
    complaint = locked(pk, version, actor)
    _kind(complaint, Kind.COMPLAINT)
    on = business_date(on, complaint)
    odr = OdrEnterprise.objects.filter(business_id=complaint.business_id).first() if complaint.business_id else None
    if odr is None or not odr.active_on(on):
        raise DomainError("not_odr", "被投诉对象不是在册的 ODR 企业，不能转企业自行和解")
    with acting(actor):
        old = move(complaint, Status.ODR)
        complaint.odr_enterprise, complaint.odr_started_on = odr, on
        complaint.accept_due = None  # stopped: the ODR window is not the bureau's time
        complaint.accept_due_provisional = False
        unregister_provisional(app_label=APP, object_ref=f"complaint:{complaint.pk}", field_name="accept_due")
        save(complaint)
        event(complaint, actor=actor, action="转ODR企业和解", on=on, old=old, note=f"由{odr.business.name}在其承诺时限内自行和解")
    return complaint


@transaction.atomic
def odr_end(
    *, actor: User | None, pk: int, version: int | None, outcome: str, on: dt.date | None = None, note: str = ""
) -> Complaint:
    """Settled → closed (前端拦截); failed → back to the bureau, its 7 days extended by the ODR days."""
    complaint = locked(pk, version, actor)
    if complaint.status != Status.ODR:  # MEDIATED → CLOSED is a legal move too: the state itself must be ODR
        raise DomainError("not_in_odr", f"该{complaint.get_kind_display()}当前为“{complaint.get_status_display()}”，未转ODR企业和解，不能登记和解结果")
    if outcome not in OdrOutcome.values:
        raise DomainError("invalid_outcome", "请选择 ODR 和解结果", {"field": "outcome"})
    on = business_date(on, complaint)
    if complaint.odr_started_on and on < complaint.odr_started_on:
        raise DomainError("before_odr", f"结束日期不能早于转 ODR 日期 {complaint.odr_started_on}", {"field": "on"})
    with acting(actor):
        old = move(complaint, Status.CLOSED if outcome == OdrOutcome.SETTLED else Status.RECEIVED)
        complaint.odr_ended_on, complaint.odr_outcome = on, outcome
        complaint.odr_working_days = working_days_between(complaint.odr_started_on, on)
        if outcome == OdrOutcome.SETTLED:
            _close(complaint, on)
        else:
            set_clock(
                complaint, "accept_due", complaint.received_on, "complaints.accept_working_days", complaint.odr_working_days
            )
        save(complaint)
        event(complaint, actor=actor, action=OdrOutcome(outcome).label, on=on, old=old, note=_note(note, "说明"))
    return complaint


# ---------------------------------------------------------------- 投诉: acceptance and mediation


@transaction.atomic
def complaint_accept(*, actor: User | None, pk: int, version: int | None, on: dt.date | None = None, note: str = "") -> Complaint:
    complaint = locked(pk, version, actor)
    _kind(complaint, Kind.COMPLAINT)
    on = business_date(on, complaint, "受理日期")
    with acting(actor):
        old = move(complaint, Status.ACCEPTED)
        complaint.accepted_on = on
        complaint.handler = complaint.handler or actor
        set_clock(complaint, "mediation_due", on, "complaints.mediation_working_days")
        save(complaint)
        event(complaint, actor=actor, action="受理", on=on, old=old, note=_note(note, "说明"))
    return complaint


@transaction.atomic
def complaint_refuse(
    *, actor: User | None, pk: int, version: int | None, reason: str, on: dt.date | None = None, note: str = ""
) -> Complaint:
    complaint = locked(pk, version, actor)
    _kind(complaint, Kind.COMPLAINT)
    if reason not in RefusalReason.values:
        raise DomainError("reason_required", "请选择不予受理的理由", {"field": "reason"})
    note = _note(note, "不予受理说明", required=reason == RefusalReason.OTHER)
    on = business_date(on, complaint, "决定日期")
    with acting(actor):
        old = move(complaint, Status.CLOSED)
        complaint.refusal_reason = reason
        _close(complaint, on)
        save(complaint)
        event(complaint, actor=actor, action="不予受理", on=on, old=old, note=RefusalReason(reason).label + (f"：{note}" if note else ""))
    return complaint


@transaction.atomic
def mediation_pause(*, actor: User | None, pk: int, version: int | None, note: str, on: dt.date | None = None) -> Complaint:
    """Testing or appraisal (检测、检验、鉴定) runs: the 45-day clock stops until it resumes."""
    complaint = locked(pk, version, actor)
    note = _note(note, "检测鉴定事项", required=True)
    on = business_date(on, complaint)
    with acting(actor):
        old = move(complaint, Status.PAUSED)
        complaint.paused_since = on
        save(complaint)
        event(complaint, actor=actor, action="暂停调解（检测鉴定）", on=on, old=old, note=note)
    return complaint


@transaction.atomic
def mediation_resume(*, actor: User | None, pk: int, version: int | None, on: dt.date | None = None, note: str = "") -> Complaint:
    complaint = locked(pk, version, actor)
    if complaint.status != Status.PAUSED:  # RECEIVED → ACCEPTED is a legal move too: the state itself must be PAUSED
        raise DomainError("not_paused", f"该{complaint.get_kind_display()}当前为“{complaint.get_status_display()}”，没有暂停的调解可恢复")
    on = business_date(on, complaint)
    if on < complaint.paused_since:
        raise DomainError("before_pause", f"恢复日期不能早于暂停日期 {complaint.paused_since}", {"field": "on"})
    with acting(actor):
        old = move(complaint, Status.ACCEPTED)
        paused = working_days_between(complaint.paused_since, on)
        complaint.paused_working_days += paused
        complaint.paused_since = None
        set_clock(
            complaint, "mediation_due", complaint.accepted_on, "complaints.mediation_working_days", complaint.paused_working_days
        )
        save(complaint)
        event(complaint, actor=actor, action="恢复调解", on=on, old=old, note=_note(note, "说明") or f"暂停 {paused} 个工作日，调解期限顺延")
    return complaint


def _money(value, field: str, label: str) -> Decimal | None:
    try:
        return parse_amount(value)
    except ValueError as exc:
        raise DomainError("invalid_amount", f"{label}{exc}", {"field": field}) from None


@transaction.atomic
def mediation_end(
    *, actor: User | None, pk: int, version: int | None, outcome: str, recovered_amount=None, on: dt.date | None = None,
    note: str = "",
) -> Complaint:
    """调解成功 (with the amount recovered) / 调解不成 / 终止; the parties are then told within 7 working days."""
    complaint = locked(pk, version, actor)
    if outcome not in MediationOutcome.values:
        raise DomainError("invalid_outcome", "请选择调解结果", {"field": "outcome"})
    recovered = _money(recovered_amount, "recovered_amount", "挽回经济损失")
    if recovered and outcome != MediationOutcome.SUCCESS:
        raise DomainError("recovered_without_success", "只有调解成功才登记挽回经济损失", {"field": "recovered_amount"})
    on = business_date(on, complaint, "调解终结日期")
    if complaint.accepted_on and on < complaint.accepted_on:  # not accepted: move() below refuses it
        raise DomainError("before_acceptance", f"调解终结日期不能早于受理日期 {complaint.accepted_on}", {"field": "on"})
    with acting(actor):
        old = move(complaint, Status.MEDIATED)
        complaint.mediation_outcome, complaint.mediation_ended_on = outcome, on
        complaint.recovered_amount = recovered if outcome == MediationOutcome.SUCCESS else None
        set_clock(complaint, "notify_due", on, "complaints.notify_working_days")
        save(complaint)
        text = MediationOutcome(outcome).label + (f"，挽回经济损失 {recovered} 元" if recovered else "")
        event(complaint, actor=actor, action="调解终结", on=on, old=old, note=text + (f"：{note.strip()}" if note.strip() else ""))
    return complaint


# ---------------------------------------------------------------- 举报: verification and the filing decision


@transaction.atomic
def filing_extend(
    *, actor: User | None, pk: int, version: int | None, approved_by: str, reason: str, on: dt.date | None = None
) -> Complaint:
    """Once, with the approving leader's name and the reason: the decision is due 15 working days later."""
    complaint = locked(pk, version, actor)
    _kind(complaint, Kind.REPORT)
    if complaint.status != Status.VERIFYING:
        raise DomainError("not_verifying", "只有核查中的举报可以延长立案决定期限")
    if complaint.extended:
        raise DomainError("extended_once", "立案决定期限只能延长一次，已延长过")
    approved_by = (approved_by or "").strip()
    if not approved_by:
        raise DomainError("approver_required", "请填写批准延期的负责人", {"field": "approved_by"})
    reason = _note(reason, "延期理由", required=True, limit=300)
    on = business_date(on, complaint, "批准日期")
    if complaint.filing_due and on > complaint.filing_due:
        raise DomainError(
            "deadline_passed", f"立案决定期限 {complaint.filing_due} 已过，延期须在期限届满前批准", {"field": "on"}
        )
    with acting(actor):
        complaint.extended, complaint.extension_approved_by, complaint.extension_reason = True, approved_by[:50], reason
        complaint.version += 1
        set_clock(
            complaint, "filing_due", complaint.received_on, "reports.filing_working_days",
            int(rule_value("reports.filing_extension_working_days", on=complaint.received_on)),
        )
        save(complaint)
        event(complaint, actor=actor, action="延长立案决定期限", on=on, note=f"经{approved_by}批准：{reason}；期限延至 {complaint.filing_due}")
    return complaint


def _named(complaint: Complaint) -> bool:
    return bool(complaint.complainant_name or complaint.complainant_phone)


@transaction.atomic
def report_decide(
    *, actor: User | None, pk: int, version: int | None, decision: str, on: dt.date | None = None, note: str = ""
) -> Complaint:
    """立案 (a case lead for the cases module; the business must be identified) or 不予立案. A named
    reporter is told within 5 working days; an anonymous report closes with the decision."""
    complaint = locked(pk, version, actor)
    _kind(complaint, Kind.REPORT)
    if decision not in FilingDecision.values:
        raise DomainError("invalid_decision", "请选择立案或不予立案", {"field": "decision"})
    note = _note(note, "核查情况", required=True)
    on = business_date(on, complaint, "决定日期")
    if decision == FilingDecision.FILED and complaint.business_id is None:
        raise DomainError("business_required", "立案须先关联被举报的登记市场主体（在“分派”中选择主体）", {"field": "decision"})
    with acting(actor):
        old = move(complaint, Status.DECIDED if _named(complaint) else Status.CLOSED)
        complaint.filing_decision, complaint.decided_on = decision, on
        complaint.handler = complaint.handler or actor
        if decision == FilingDecision.FILED:
            complaint.case_lead = lead_open(
                actor=actor, source=LeadSource.COMPLAINT, received_on=on, business=complaint.business,
                subdistrict=complaint.subdistrict or complaint.business.subdistrict, summary=f"举报 {complaint.number}：{note}",
                source_ref=f"complaints.complaint:{complaint.pk}", source_label=f"举报 {complaint.number}",
            )
        if _named(complaint):
            set_clock(complaint, "notify_due", on, "reports.notify_working_days")
        else:
            _close(complaint, on)
        save(complaint)
        event(complaint, actor=actor, action=FilingDecision(decision).label, on=on, old=old, note=note)
    return complaint


@transaction.atomic
def complaint_take(*, actor: User, pk: int, version: int | None, on: dt.date | None = None) -> Complaint:
    """承办: the actor becomes the item's handler (who sees the complainant's contact details)."""
    complaint = locked(pk, version, actor)
    if not complaint.is_open:
        raise DomainError("closed", f"该{complaint.get_kind_display()}已{complaint.get_status_display()}")
    if complaint.status == Status.TRIAGE:
        raise DomainError("in_triage", "待分派的件须先分派到监管所再承办")
    on = business_date(on, complaint)
    before = complaint.handler
    with acting(actor):
        complaint.handler = actor
        complaint.version += 1
        save(complaint)
        event(complaint, actor=actor, action="承办", on=on, note=f"承办人：{before} → {actor}" if before else f"承办人：{actor}")
    return complaint


# ---------------------------------------------------------------- telling the parties, answering inquiries


@transaction.atomic
def parties_notify(*, actor: User | None, pk: int, version: int | None, on: dt.date | None = None, note: str = "") -> Complaint:
    """The complainant (and respondent) told of the mediation's end, or the reporter of the decision: closed."""
    complaint = locked(pk, version, actor)
    if complaint.status not in (Status.MEDIATED, Status.DECIDED):
        raise DomainError(
            "invalid_transition", f"{complaint.get_kind_display()}当前为“{complaint.get_status_display()}”，不能变为“已告知办结”"
        )
    on = business_date(on, complaint, "告知日期")
    with acting(actor):
        old = move(complaint, Status.CLOSED)
        complaint.notified_on = on
        _close(complaint, on)
        save(complaint)
        event(complaint, actor=actor, action="告知", on=on, old=old, note=_note(note, "告知方式及情况"))
    return complaint


@transaction.atomic
def inquiry_answer(*, actor: User | None, pk: int, version: int | None, answer: str, on: dt.date | None = None) -> Complaint:
    complaint = locked(pk, version, actor)
    _kind(complaint, Kind.INQUIRY)
    answer = _note(answer, "答复内容", required=True)
    on = business_date(on, complaint, "答复日期")
    with acting(actor):
        old = move(complaint, Status.CLOSED)
        complaint.answer = answer
        complaint.handler = complaint.handler or actor
        _close(complaint, on)
        save(complaint)
        event(complaint, actor=actor, action="答复", on=on, old=old, note=answer)
    return complaint
