"""From the investigation to the party's hearing: evidence with 先行登记保存 (decided within 7 working days)
and 查封扣押 (30 days, +30 once), the legal review (法制审核, 10 working days), the notice of the proposed
penalty (行政处罚告知, statement within 5 working days; 听证 for large amounts and heavy kinds), the
party's statement, the hearing request (within the statement period), its notification (≥ 7 working
days ahead) and the hearing itself."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction

from jianguan.core.calendar import add_working_days
from jianguan.core.deadlines import unregister_provisional
from jianguan.core.errors import DomainError, NotFound
from jianguan.core.rules import rule_value
from jianguan.core.services import acting
from jianguan.org.models import User

from .. import documents, rules
from ..choices import (
    CaseStatus,
    EvidenceKind,
    Measure,
    PenaltyKind,
    RespondentKind,
    StepKind,
    SuspensionReason,
)
from ..models import Case, Evidence
from .common import not_before, require_text, save
from .filing import add_step
from .leads import APP
from .workflow import bump, locked_case, move, open_suspension, resume, suspend, tracked, working_days_rule

PENALTY_LABELS = dict(PenaltyKind.choices)


def money(value, field: str, label: str) -> Decimal:
    """An amount in 元 from a form, the API or a test (str, int, Decimal), with two decimals."""
    if value in (None, ""):
        return Decimal("0.00")
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise DomainError("invalid_amount", f"{label}“{value}”不是有效的金额", {"field": field}) from None
    if not amount.is_finite() or amount < 0:
        raise DomainError("invalid_amount", f"{label}不能为负数", {"field": field})
    if amount != amount.quantize(Decimal("0.01")):
        raise DomainError("invalid_amount", f"{label}最多精确到分", {"field": field})
    return amount.quantize(Decimal("0.01"))


def amounts(fine, income, value) -> tuple[Decimal, Decimal, Decimal]:
    return (money(fine, "fine_amount", "罚款金额"), money(income, "confiscated_income", "没收违法所得金额"),
            money(value, "confiscated_value", "没收物品货值"))


def is_organisation(case: Case) -> bool:
    return case.respondent_kind != RespondentKind.PERSON


def penalty_text(kinds: list[str], fine: Decimal, income: Decimal, value: Decimal) -> str:
    parts = []
    for kind in kinds:
        label = PENALTY_LABELS[kind]
        amount = {PenaltyKind.FINE: fine, PenaltyKind.CONFISCATE_INCOME: income, PenaltyKind.CONFISCATE_PROPERTY: value}.get(kind)
        parts.append(f"{label}{amount}元" if amount else label)
    return "、".join(parts)


def _status(case: Case, *statuses: str, what: str) -> None:
    if case.status not in statuses:
        raise DomainError("wrong_status", f"案件当前为“{case.get_status_display()}”，不能{what}", {"field": "status"})


# --- 调查取证 ---------------------------------------------------------------------------------------------

@transaction.atomic
def evidence_add(*, actor: User | None, pk: int, version: int | None, kind: str, description: str, collected_on: dt.date,
                 measure: str = "", approved_by: str = "", ip: str | None = None) -> Evidence:
    """Add evidence to a case under investigation (the first one starts the investigation). 先行登记保存
    and 查封扣押 need the approval of the bureau's head and start their own clock."""
    case = locked_case(pk, version, actor)
    _status(case, CaseStatus.FILED, CaseStatus.INVESTIGATING, what="补充证据（补充调查须先退回调查取证）")
    if kind not in EvidenceKind.values:
        raise DomainError("invalid_evidence_kind", f"证据种类“{kind}”不存在", {"field": "kind"})
    measure = measure or ""
    if measure not in Measure.values:
        raise DomainError("invalid_measure", f"强制措施“{measure}”不存在", {"field": "measure"})
    earliest = case.lead.received_on if case.lead_id else case.filed_on
    not_before(collected_on, earliest, "collected_on", "取证日期", "线索受理日期" if case.lead_id else "立案日期")
    evidence = Evidence(case=case, kind=kind, description=require_text(description, "description", "证据名称及内容")[:500],
                        collected_on=collected_on, measure=measure, created_by=actor)
    with acting(actor, ip):
        if case.status == CaseStatus.FILED:
            move(case, CaseStatus.INVESTIGATING, on=max(collected_on, case.filed_on), actor=actor, opinion="开始调查取证")
        save(evidence)
        if measure:
            approved_by = require_text(approved_by, "approved_by", f"{evidence.get_measure_display()}审批人")
            if measure == Measure.PRESERVATION:
                evidence.measure_due = tracked(evidence, "measure_due", collected_on,
                                               working_days=working_days_rule("cases.preservation_working_days", collected_on))
                rest = "须在此前作出处理决定"
            else:
                evidence.measure_due = tracked(evidence, "measure_due", collected_on,
                                               calendar_days=int(rule_value("cases.seizure_days", on=collected_on)))
                rest = "期限届满前须作出处理决定或经批准延长"
            evidence.save(update_fields=["measure_due"])
            add_step(case, kind=StepKind.INVESTIGATION, on=collected_on, actor=actor, approved_by=approved_by,
                     opinion=f"{evidence.get_measure_display()}：{evidence.description}，处理期限 {evidence.measure_due}，{rest}")
        bump(case)
    return evidence


def _locked_evidence(evidence_pk: int, version: int | None, actor: User | None) -> tuple[Evidence, Case]:
    evidence = Evidence.objects.filter(pk=evidence_pk).first()
    if evidence is None:
        raise NotFound("证据不存在")
    case = locked_case(evidence.case_id, version, actor)
    evidence = Evidence.objects.select_for_update().get(pk=evidence_pk)
    if not evidence.measure:
        raise DomainError("no_measure", "该证据没有采取先行登记保存或查封扣押措施")
    if evidence.measure_ended_on:
        raise DomainError("measure_ended", f"该{evidence.get_measure_display()}已于 {evidence.measure_ended_on} 处理完毕")
    return evidence, case


@transaction.atomic
def evidence_measure_extend(*, actor: User | None, evidence_pk: int, version: int | None, approved_on: dt.date,
                            approved_by: str, opinion: str = "", ip: str | None = None) -> Evidence:
    """查封扣押 +30 days, once, approved before it runs out (行政强制法 art. 25). `version` is the case's."""
    evidence, case = _locked_evidence(evidence_pk, version, actor)
    if evidence.measure != Measure.SEIZURE:
        raise DomainError("not_seizure", "只有查封、扣押可以延长期限，先行登记保存须在期限内作出处理决定")
    if evidence.measure_extended:
        raise DomainError("seizure_extended", "查封、扣押期限只能延长一次")
    not_before(approved_on, evidence.collected_on, "approved_on", "批准日期", "查封扣押日期")
    if approved_on > evidence.measure_due:
        raise DomainError("seizure_extension_late", f"延长须在查封、扣押期限 {evidence.measure_due} 届满前批准", {"field": "approved_on"})
    start = evidence.collected_on
    days = int(rule_value("cases.seizure_days", on=start)) + int(rule_value("cases.seizure_extension_days", on=start))
    with acting(actor, ip):
        evidence.measure_extended = True
        evidence.measure_due = tracked(evidence, "measure_due", start, calendar_days=days)
        save(evidence)
        add_step(case, kind=StepKind.INVESTIGATION, on=approved_on, actor=actor,
                 approved_by=require_text(approved_by, "approved_by", "延期批准人"),
                 opinion=(opinion or "").strip() or f"查封、扣押“{evidence.description}”延长至 {evidence.measure_due}")
        bump(case)
    return evidence


@transaction.atomic
def evidence_measure_end(*, actor: User | None, evidence_pk: int, version: int | None, ended_on: dt.date, outcome: str,
                         ip: str | None = None) -> Evidence:
    """The measure's outcome (解除, 没收, 移送 …) on `ended_on`; a late one is recorded as late."""
    evidence, case = _locked_evidence(evidence_pk, version, actor)
    not_before(ended_on, evidence.collected_on, "ended_on", "处理日期", "采取措施日期")
    outcome = require_text(outcome, "outcome", "处理结果")
    late = f"（超过处理期限 {evidence.measure_due}）" if evidence.measure_due and ended_on > evidence.measure_due else ""
    with acting(actor, ip):
        evidence.measure_ended_on = ended_on
        save(evidence)
        unregister_provisional(app_label=APP, object_ref=f"evidence:{evidence.pk}", field_name="measure_due")
        add_step(case, kind=StepKind.INVESTIGATION, on=ended_on, actor=actor,
                 opinion=f"{evidence.get_measure_display()}“{evidence.description}”处理：{outcome}{late}")
        bump(case)
    return evidence


# --- 法制审核 ---------------------------------------------------------------------------------------------

@transaction.atomic
def case_review(*, actor: User | None, pk: int, version: int | None, reviewed_on: dt.date, reviewer: str, opinion: str,
                passed: bool = True, ip: str | None = None) -> Case:
    """法制审核 (submitted by `case_transition` to REVIEW, due in 10 working days): passed, the case goes on to
    the notice (or to a 不予行政处罚 decision); not passed, back to the investigation."""
    case = locked_case(pk, version, actor)
    _status(case, CaseStatus.REVIEW, what="登记法制审核意见")
    reviewer = require_text(reviewer, "reviewer", "审核人")
    opinion = require_text(opinion, "opinion", "审核意见")
    not_before(reviewed_on, case.filed_on, "reviewed_on", "审核日期", "立案日期")
    with acting(actor, ip):
        if passed:
            case.reviewed_on = reviewed_on
            add_step(case, kind=StepKind.REVIEW, on=reviewed_on, actor=actor, approved_by=reviewer, opinion=opinion)
        else:
            move(case, CaseStatus.INVESTIGATING, on=reviewed_on, actor=actor, kind=StepKind.REVIEW, approved_by=reviewer,
                 opinion=f"审核未通过，退回补充调查：{opinion}")
        unregister_provisional(app_label=APP, object_ref=f"case:{case.pk}", field_name="review_due")
        bump(case)
    return case


# --- 行政处罚告知 -------------------------------------------------------------------------------------------

@transaction.atomic
def case_notify(*, actor: User | None, pk: int, version: int | None, notified_on: dt.date, penalty_kinds: list[str],
                approved_by: str, fine_amount=0, confiscated_income=0, confiscated_value=0, opinion: str = "",
                ip: str | None = None) -> Case:
    """行政处罚告知: the proposed penalties and amounts, the statement period (5 working days) and, for a
    large amount or a heavy kind, the right to a hearing; issues the 行政处罚告知书 or, when a hearing may
    be asked for, the 行政处罚听证告知书."""
    case = locked_case(pk, version, actor)
    if case.status == CaseStatus.REVIEW and case.reviewed_on is None:
        raise DomainError("review_required", f"须先完成法制审核（审核期限 {case.review_due}），方可告知当事人")
    if case.reviewed_on:
        not_before(notified_on, case.reviewed_on, "notified_on", "告知日期", "法制审核日期")
    fine, income, value = amounts(fine_amount, confiscated_income, confiscated_value)
    kinds = rules.penalties_check(penalty_kinds, fine=fine, income=income, value=value, labels=PENALTY_LABELS)
    hearing = rules.hearing_entitled(
        kinds, fine=fine, income=income, value=value, organisation=is_organisation(case),
        person_threshold=Decimal(rule_value("cases.hearing_fine_person", on=notified_on)),
        organisation_threshold=Decimal(rule_value("cases.hearing_fine_organisation", on=notified_on)),
    )
    approved_by = require_text(approved_by, "approved_by", "告知审批人")
    statement_days = working_days_rule("cases.statement_working_days", notified_on)
    with acting(actor, ip):
        step = move(case, CaseStatus.NOTIFIED, on=notified_on, actor=actor, approved_by=approved_by,
                    opinion=(opinion or "").strip() or f"拟{penalty_text(kinds, fine, income, value)}"
                    + ("；当事人可以要求听证" if hearing else ""))
        case.notified_on, case.hearing_available = notified_on, hearing
        case.proposed_penalty_kinds, case.proposed_fine = kinds, fine
        case.proposed_confiscated_income, case.proposed_confiscated_value = income, value
        case.statement_due = tracked(case, "statement_due", notified_on, working_days=statement_days)
        case.hearing_requested_on = case.hearing_notified_on = case.hearing_scheduled_on = case.hearing_on = None
        bump(case)
        kind = documents.HEARING_NOTICE if hearing else documents.PENALTY_NOTICE
        notice = {**documents.penalty_context(kinds, fine, income, value), "statement_due": case.statement_due.isoformat(),
                  "statement_days": statement_days, "hearing_available": hearing}
        documents.issue_case_document(case, kind, on=notified_on, actor=actor, step=step, notice=notice)
    return case


@transaction.atomic
def case_statement(*, actor: User | None, pk: int, version: int | None, stated_on: dt.date, statement: str,
                   ip: str | None = None) -> Case:
    """陈述申辩: what the party said, for the timeline and the decision (a late one is marked late)."""
    case = locked_case(pk, version, actor)
    _status(case, CaseStatus.NOTIFIED, what="登记陈述申辩")
    not_before(stated_on, case.notified_on, "stated_on", "陈述申辩日期", "告知日期")
    text = require_text(statement, "statement", "陈述申辩内容")
    late = f"（逾期提出，陈述申辩期限为 {case.statement_due}）" if case.statement_due and stated_on > case.statement_due else ""
    with acting(actor, ip):
        add_step(case, kind=StepKind.STATEMENT, on=stated_on, actor=actor, opinion=text + late)
        bump(case)
    return case


# --- 听证 -------------------------------------------------------------------------------------------------

@transaction.atomic
def case_hearing_request(*, actor: User | None, pk: int, version: int | None, requested_on: dt.date,
                         suspend_clock: bool = False, note: str = "", ip: str | None = None) -> Case:
    """要求听证, within the statement period of a notice that offered it; with `suspend_clock` the time of
    the hearing is not counted (中止 for 听证 from the request until the hearing is held)."""
    case = locked_case(pk, version, actor)
    _status(case, CaseStatus.NOTIFIED, what="申请听证")
    if not case.hearing_available:
        raise DomainError("hearing_not_available", "拟作出的行政处罚不属于听证范围（未达到较大数额，也不是吊销许可证件、"
                          "责令停产停业、责令关闭、限制从业等处罚）", {"field": "requested_on"})
    if case.hearing_requested_on:
        raise DomainError("hearing_requested", f"当事人已于 {case.hearing_requested_on} 要求听证")
    not_before(requested_on, case.notified_on, "requested_on", "要求听证日期", "告知日期")
    if requested_on > case.statement_due:
        raise DomainError("hearing_request_late", f"要求听证须在收到告知书之日起"
                          f"{working_days_rule('cases.statement_working_days', case.notified_on)}个工作日内提出"
                          f"（{case.statement_due}前），当事人 {requested_on} 提出，已逾期", {"field": "requested_on"})
    with acting(actor, ip):
        case.hearing_requested_on = requested_on
        add_step(case, kind=StepKind.HEARING_REQUESTED, on=requested_on, actor=actor, opinion=(note or "").strip())
        if suspend_clock:
            suspend(case, reason=SuspensionReason.HEARING, start=requested_on, actor=actor, note="当事人要求听证")
        bump(case)
    return case


@transaction.atomic
def case_hearing_schedule(*, actor: User | None, pk: int, version: int | None, notified_on: dt.date, hearing_on: dt.date,
                          place: str = "", host: str = "", ip: str | None = None) -> Case:
    """听证通知: the party learns the time and place at least 7 working days before the hearing."""
    case = locked_case(pk, version, actor)
    _status(case, CaseStatus.NOTIFIED, what="通知听证")
    if not case.hearing_requested_on:
        raise DomainError("hearing_not_requested", "当事人未要求听证")
    if case.hearing_on:
        raise DomainError("hearing_held", f"听证已于 {case.hearing_on} 举行")
    not_before(notified_on, case.hearing_requested_on, "notified_on", "听证通知日期", "要求听证日期")
    days = working_days_rule("cases.hearing_notice_working_days", notified_on)
    earliest = add_working_days(notified_on, days).date
    if hearing_on < earliest:
        raise DomainError("hearing_notice_short", f"听证通知须在举行听证{days}个工作日前送达当事人：{notified_on} 通知的，"
                          f"听证最早于 {earliest} 举行", {"field": "hearing_on"})
    with acting(actor, ip):
        case.hearing_notified_on, case.hearing_scheduled_on = notified_on, hearing_on
        where = f"在{place.strip()}" if (place or "").strip() else ""
        who = f"，主持人{host.strip()}" if (host or "").strip() else ""
        add_step(case, kind=StepKind.HEARING, on=notified_on, actor=actor, opinion=f"通知当事人于 {hearing_on} {where}举行听证{who}")
        bump(case)
    return case


@transaction.atomic
def case_hearing_hold(*, actor: User | None, pk: int, version: int | None, held_on: dt.date, host: str, report: str,
                      ip: str | None = None) -> Case:
    """听证 held (on the notified day or later): the host and the hearing report; a hearing suspension ends."""
    case = locked_case(pk, version, actor)
    _status(case, CaseStatus.NOTIFIED, what="登记听证")
    if not case.hearing_scheduled_on:
        raise DomainError("hearing_not_scheduled", "尚未通知当事人举行听证的时间和地点")
    if case.hearing_on:
        raise DomainError("hearing_held", f"听证已于 {case.hearing_on} 举行")
    not_before(held_on, case.hearing_scheduled_on, "held_on", "听证日期", "通知的听证日期")
    with acting(actor, ip):
        case.hearing_on = held_on
        add_step(case, kind=StepKind.HEARING, on=held_on, actor=actor, approved_by=require_text(host, "host", "听证主持人"),
                 opinion=require_text(report, "report", "听证报告"))
        current = open_suspension(case)
        if current is not None and current.reason == SuspensionReason.HEARING:
            resume(case, end=held_on, actor=actor, note="听证结束")
        bump(case)
    return case
