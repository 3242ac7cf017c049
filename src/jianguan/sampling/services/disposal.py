"""The disposal of an unqualified result (核查处置), SAMR Order 15: the result served on the business within
5 working days of the report; 复检 or 异议 asked within 7 working days of service; 下架、召回、停止经营、
销毁, the cause found, a case lead opened (or the reason why not) and the disposal completed within 90
days of the report. A retest or an accepted objection that overturns the result ends the disposal."""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from jianguan.cases.choices import LeadSource, RespondentKind
from jianguan.cases.services import lead_open
from jianguan.core.errors import DomainError
from jianguan.core.services import acting
from jianguan.org.models import User

from ..choices import Conclusion, ObjectionOutcome, RetestOutcome
from ..models import Sample
from ..rules import needs_disposal
from .common import not_before, require_text, set_clocks
from .samples import bump, locked


def _unqualified(sample: Sample, what: str) -> None:
    if not needs_disposal(sample.conclusion):
        raise DomainError("not_unqualified", f"只有检验结论为不合格的样品才需要{what}", {"field": "conclusion"})


@transaction.atomic
def sample_serve(*, actor: User | None, sample: Sample, served_on: dt.date, version: int | None = None, ip: str | None = None) -> Sample:
    """送达 the unqualified result: starts the 7-working-day 复检 and 异议 clocks."""
    sample = locked(sample.pk, version, actor)
    _unqualified(sample, "送达检验结论")
    not_before(served_on, sample.report_on, "served_on", "送达日期", "报告日期")
    sample.served_on = served_on
    with acting(actor, ip):
        set_clocks(sample)
        bump(sample)
    return sample


@transaction.atomic
def sample_retest_request(*, actor: User | None, sample: Sample, requested_on: dt.date, institution: str = "",
                          version: int | None = None, ip: str | None = None) -> Sample:
    """申请复检: accepted only within 7 working days of service (Order 15: a late request is not accepted)."""
    sample = locked(sample.pk, version, actor)
    _unqualified(sample, "复检")
    if sample.served_on is None:
        raise DomainError("not_served", "检验结论尚未送达，不能申请复检", {"field": "retest_requested_on"})
    not_before(requested_on, sample.served_on, "retest_requested_on", "申请复检日期", "送达日期")
    if requested_on > sample.retest_due:
        raise DomainError("retest_late", f"复检申请期限为 {sample.retest_due}，{requested_on} 提出的申请已逾期，不予受理",
                          {"field": "retest_requested_on"})
    if sample.retest_requested_on is not None:
        raise DomainError("retest_twice", "该样品已申请过复检，复检结论为最终检验结论", {"field": "retest_requested_on"})
    sample.retest_requested_on, sample.retest_institution = requested_on, institution.strip()
    with acting(actor, ip):
        bump(sample)
    return sample


@transaction.atomic
def sample_retest_result(*, actor: User | None, sample: Sample, report_on: dt.date, outcome: str, version: int | None = None,
                         ip: str | None = None) -> Sample:
    """复检结论 is final: 合格 overturns the result (the sample counts as 合格 and needs no disposal)."""
    sample = locked(sample.pk, version, actor)
    if sample.retest_requested_on is None:
        raise DomainError("no_retest", "该样品没有复检申请", {"field": "retest_outcome"})
    if outcome not in RetestOutcome.values:
        raise DomainError("invalid_outcome", "请选择复检结论", {"field": "retest_outcome"})
    not_before(report_on, sample.retest_requested_on, "retest_report_on", "复检报告日期", "申请复检日期")
    sample.retest_report_on, sample.retest_outcome = report_on, outcome
    with acting(actor, ip):
        if outcome == RetestOutcome.OVERTURNED:
            _overturn(sample)
        set_clocks(sample)
        bump(sample)
    return sample


@transaction.atomic
def sample_objection(*, actor: User | None, sample: Sample, objection_on: dt.date, outcome: str = "",
                     decided_on: dt.date | None = None, version: int | None = None, ip: str | None = None) -> Sample:
    """异议 (on the sampling procedure or the test method), asked within 7 working days of service;
    an objection found right (异议成立) cancels the result."""
    sample = locked(sample.pk, version, actor)
    _unqualified(sample, "处理异议")
    if sample.served_on is None:
        raise DomainError("not_served", "检验结论尚未送达，不能提出异议", {"field": "objection_on"})
    not_before(objection_on, sample.served_on, "objection_on", "提出异议日期", "送达日期")
    if objection_on > sample.objection_due:
        raise DomainError("objection_late", f"异议期限为 {sample.objection_due}，{objection_on} 提出的异议已逾期，不予受理",
                          {"field": "objection_on"})
    if outcome and outcome not in ObjectionOutcome.values:
        raise DomainError("invalid_outcome", "请选择异议处理结果", {"field": "objection_outcome"})
    if outcome and decided_on is None:
        raise DomainError("decided_on_required", "请填写异议处理日期", {"field": "objection_decided_on"})
    if decided_on is not None:
        not_before(decided_on, objection_on, "objection_decided_on", "异议处理日期", "提出异议日期")
    sample.objection_on, sample.objection_outcome, sample.objection_decided_on = objection_on, outcome, decided_on
    with acting(actor, ip):
        if outcome == ObjectionOutcome.ACCEPTED:
            _overturn(sample)
        set_clocks(sample)
        bump(sample)
    return sample


def _overturn(sample: Sample) -> None:
    if sample.lead_id:
        raise DomainError("result_has_lead", "该样品已移交案件线索，须先在案件线索中作出不予立案决定", {"field": "conclusion"})
    sample.conclusion = Conclusion.QUALIFIED


@transaction.atomic
def sample_dispose(*, actor: User | None, sample: Sample, disposed_on: dt.date | None, cause: str, removed_qty: Decimal | None = None,
                   recalled_qty: Decimal | None = None, destroyed_qty: Decimal | None = None, qty_unit: str = "",
                   stopped_selling: bool = False, note: str = "", open_lead: bool = False, no_case_reason: str = "",
                   version: int | None = None, ip: str | None = None) -> Sample:
    """核查处置: the measures taken, the cause found, and either a case lead opened here (once) or the reason
    for not opening one. Without a completion date the record is saved as work in progress."""
    sample = locked(sample.pk, version, actor)
    _unqualified(sample, "核查处置")
    for label, qty in (("下架数量", removed_qty), ("召回数量", recalled_qty), ("销毁数量", destroyed_qty)):
        if qty is not None and qty < 0:
            raise DomainError("negative_quantity", f"{label}不能为负数", {"field": "quantity"})
    if any(q for q in (removed_qty, recalled_qty, destroyed_qty)) and not qty_unit.strip():
        raise DomainError("qty_unit_required", "请填写数量单位（如 公斤、件、箱）", {"field": "qty_unit"})
    if disposed_on is not None:
        not_before(disposed_on, sample.report_on, "disposed_on", "处置完成日期", "报告日期")
        require_text(cause, "cause", "原因排查情况")
        if not (sample.lead_id or open_lead or no_case_reason.strip()):
            raise DomainError("case_decision_required", "处置完成前须移交案件线索，或写明不移交立案的理由", {"field": "no_case_reason"})
    sample.removed_qty, sample.recalled_qty, sample.destroyed_qty = removed_qty, recalled_qty, destroyed_qty
    sample.qty_unit, sample.stopped_selling, sample.cause = qty_unit.strip(), stopped_selling, cause.strip()
    sample.disposal_note, sample.no_case_reason, sample.disposed_on = note.strip(), no_case_reason.strip(), disposed_on
    with acting(actor, ip):
        if open_lead and not sample.lead_id:
            sample.lead = _open_lead(actor, sample, received_on=disposed_on or sample.served_on or sample.report_on, ip=ip)
        set_clocks(sample)
        bump(sample)
    return sample


@transaction.atomic
def sample_open_lead(*, actor: User | None, sample: Sample, received_on: dt.date, version: int | None = None,
                     ip: str | None = None) -> Sample:
    """移交立案: the unqualified result becomes one case lead (抽检), counted once — a second is refused."""
    sample = locked(sample.pk, version, actor)
    _unqualified(sample, "移交案件线索")
    not_before(received_on, sample.report_on, "received_on", "移交日期", "报告日期")
    with acting(actor, ip):
        sample.lead = _open_lead(actor, sample, received_on=received_on, ip=ip)
        bump(sample)
    return sample


def _open_lead(actor: User | None, sample: Sample, *, received_on: dt.date, ip: str | None):
    if sample.lead_id:
        raise DomainError("lead_exists", "该不合格样品已移交案件线索，不能重复移交", {"field": "lead"})
    items = "、".join(sample.items.values_list("name", flat=True))
    summary = (f"{sample.sampled_on}抽样的{sample.sample_name}（{sample.get_sampling_type_display()}，抽样单编号{sample.number}），"
               f"经{sample.institution or '检验机构'}检验，{items}项目不合格（报告日期{sample.report_on}）。")
    # A party neither registered nor holding a code (a market stall) is a person: named and shown as one.
    kind = RespondentKind.PERSON if sample.business_id is None and not sample.business_uscc else ""
    return lead_open(actor=actor, source=LeadSource.SAMPLING, received_on=received_on, summary=summary, business=sample.business,
                     respondent_name=sample.business_name, respondent_uscc=sample.business_uscc, respondent_kind=kind,
                     subdistrict=sample.subdistrict,
                     source_ref=f"sampling.sample:{sample.pk}", source_label=f"抽检不合格：{sample.number} {sample.sample_name}",
                     campaign=sample.campaign, ip=ip)
