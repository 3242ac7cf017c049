"""决定: a penalty decision (several penalties at once, with the fine, the confiscated income and the value
of the confiscated goods) or 不予行政处罚 with its statutory reason, numbered from its own sequence and
refused after the decision deadline; and 简易程序, decided on the spot and reported for the record."""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from jianguan.businesses.models import Business
from jianguan.core.deadlines import unregister_provisional
from jianguan.core.errors import DomainError
from jianguan.core.numbering import next_document_number
from jianguan.core.rules import rule_value
from jianguan.core.services import acting
from jianguan.org.models import Subdistrict, User

from .. import documents, rules
from ..choices import (
    CaseStatus,
    LeadSource,
    NoPenaltyReason,
    Procedure,
    RespondentKind,
    SeriousCategory,
    StepKind,
)
from ..models import Case, CaseCategory
from ..publication_rules import publication_required
from .common import check_writer, not_before, require_text, save
from .filing import add_step, check_officers
from .leads import APP, respondent_fields
from .steps import PENALTY_LABELS, amounts, money, penalty_text
from .workflow import bump, check_transition, locked_case, move, open_suspension, tracked, working_days_rule


def check_decidable(case: Case, on: dt.date) -> None:
    """A decision needs the clock running and its deadline not passed (extend before it runs out)."""
    not_before(on, case.filed_on, "decided_on", "决定日期", "立案日期")
    current = open_suspension(case)
    if current is not None:
        raise DomainError("case_suspended", f"案件自 {current.start} 起因{current.get_reason_display()}中止，请先登记恢复，再作出决定",
                          {"field": "decided_on"})
    if case.decision_due and on > case.decision_due:
        due = f"{case.decision_due}{'（暂定）' if case.decision_due_provisional else ''}"
        how = ("已延长过30日，仍需延期的，须在期限届满前经集体讨论决定" if case.extended
               else "期限届满前经负责人批准可延长30日")
        raise DomainError("decision_late", f"决定日期 {on} 已超过办案期限 {due}（{how}）", {"field": "decided_on"})


def _check_reviewed(case: Case) -> None:
    if case.status == CaseStatus.REVIEW and case.reviewed_on is None:
        raise DomainError("review_required", f"须先完成法制审核（审核期限 {case.review_due}），方可作出决定")


def _check_party_heard(case: Case, on: dt.date) -> None:
    """After the notice: the statement period has run (or the party has spoken and cannot ask for a
    hearing), and a hearing asked for has been held."""
    not_before(on, case.notified_on, "decided_on", "决定日期", "告知日期")
    if case.hearing_requested_on and not case.hearing_on:
        raise DomainError("hearing_pending", "当事人已要求听证，须举行听证后方可作出决定", {"field": "decided_on"})
    if case.hearing_on or on > case.statement_due:
        return
    stated = case.steps.filter(kind=StepKind.STATEMENT, on__gte=case.notified_on).exists()
    if case.hearing_available or not stated:
        what = "陈述、申辩和要求听证" if case.hearing_available else "陈述、申辩"
        raise DomainError("statement_period", f"当事人{what}的期限 {case.statement_due} 届满前不能作出决定", {"field": "decided_on"})


def _decided(case: Case, *, number: str, on: dt.date) -> None:
    case.decision_number, case.decided_on = number, on
    unregister_provisional(app_label=APP, object_ref=f"case:{case.pk}", field_name="decision_due")


@transaction.atomic
def case_decide(*, actor: User | None, pk: int, version: int | None, decided_on: dt.date, penalty_kinds: list[str],
                approved_by: str, fine_amount=0, confiscated_income=0, confiscated_value=0, opinion: str = "",
                serious_category: str = "", ip: str | None = None) -> Case:
    """行政处罚决定 after the notice: not heavier than notified, within the decision deadline; numbered from
    the `penalty_decision` sequence (the 行政处罚决定书 bears it); publication due in 20 working days.
    `serious_category` (SAMR Order 44) flags the decision as 严重违法失信行为: credit proposes it for the list."""
    case = locked_case(pk, version, actor)
    serious_category = (serious_category or "").strip()
    if serious_category not in SeriousCategory.values:
        raise DomainError("invalid_serious_category", f"严重违法失信行为类别“{serious_category[:20]}”无效", {"field": "serious_category"})
    if case.status == CaseStatus.REVIEW:
        raise DomainError("notice_required", "作出行政处罚决定前，须告知当事人拟作出的行政处罚内容及事实、理由、依据，"
                          "并告知其依法享有陈述、申辩（听证）的权利")
    check_transition(case, CaseStatus.DECIDED)
    _check_party_heard(case, decided_on)
    check_decidable(case, decided_on)
    fine, income, value = amounts(fine_amount, confiscated_income, confiscated_value)
    kinds = rules.penalties_check(penalty_kinds, fine=fine, income=income, value=value, labels=PENALTY_LABELS)
    worse = rules.heavier_than_notified(
        kinds, fine=fine, income=income, value=value, proposed_kinds=case.proposed_penalty_kinds,
        proposed_fine=case.proposed_fine, proposed_income=case.proposed_confiscated_income,
        proposed_value=case.proposed_confiscated_value, labels=PENALTY_LABELS,
    )
    if worse:
        raise DomainError("heavier_than_notified", f"决定重于告知的内容（{'；'.join(worse)}）：不得因当事人陈述、申辩而加重处罚；"
                          "认定的事实或拟作出的处罚有变化的，须退回调查后重新告知", {"field": "penalty_kinds"})
    approved_by = require_text(approved_by, "approved_by", "决定审批人")
    with acting(actor, ip):
        step = move(case, CaseStatus.DECIDED, on=decided_on, actor=actor, approved_by=approved_by,
                    opinion=(opinion or "").strip() or f"决定{penalty_text(kinds, fine, income, value)}")
        number = next_document_number(documents.PENALTY_DECISION, decided_on.year)
        _decided(case, number=number, on=decided_on)
        case.penalty_kinds, case.fine_amount, case.confiscated_income, case.confiscated_value = kinds, fine, income, value
        case.exempt, case.exempt_reason = False, ""
        case.serious_category = serious_category
        # Published within 20 working days, unless Order 45 leaves it unpublished (a warning alone).
        case.publish_due = (tracked(case, "publish_due", decided_on,
                                    working_days=working_days_rule("cases.publish_working_days", decided_on))
                            if publication_required(procedure=case.procedure, penalty_kinds=kinds, exempt=False) else None)
        bump(case)
        stated = case.steps.filter(kind=StepKind.STATEMENT).exists()
        decision = {
            **documents.penalty_context(kinds, fine, income, value), "decided_on": decided_on.isoformat(),
            "payment_days": int(rule_value("cases.payment_days", on=decided_on)),
            "surcharge_percent": f"{(Decimal(rule_value('cases.surcharge_daily_ratio', on=decided_on)) * 100).normalize():f}",
            "notified_on": case.notified_on.isoformat() if case.notified_on else "",
            "hearing_available": case.hearing_available, "hearing_on": case.hearing_on.isoformat() if case.hearing_on else "",
            "statement": stated,
        }
        documents.issue_case_document(case, documents.PENALTY_DECISION, on=decided_on, actor=actor, step=step, number=number,
                                      decision=decision)
    return case


@transaction.atomic
def case_decide_no_penalty(*, actor: User | None, pk: int, version: int | None, decided_on: dt.date, reason: str,
                           approved_by: str, opinion: str = "", ip: str | None = None) -> Case:
    """不予行政处罚 (违法事实不成立; 轻微并及时改正; 首违不罚; 没有主观过错; 超过追责时效 …) after the
    legal review (or the notice), numbered from the `no_penalty_decision` sequence; not published."""
    case = locked_case(pk, version, actor)
    check_transition(case, CaseStatus.DECIDED)
    _check_reviewed(case)
    if reason not in NoPenaltyReason.values:
        raise DomainError("reason_required", "不予行政处罚须选择理由", {"field": "reason"})
    check_decidable(case, decided_on)
    if case.status == CaseStatus.NOTIFIED:
        not_before(decided_on, case.notified_on, "decided_on", "决定日期", "告知日期")
    approved_by = require_text(approved_by, "approved_by", "决定审批人")
    label = NoPenaltyReason(reason).label
    with acting(actor, ip):
        step = move(case, CaseStatus.DECIDED, on=decided_on, actor=actor, approved_by=approved_by,
                    opinion=(opinion or "").strip() or f"不予行政处罚：{label}")
        number = next_document_number(documents.NO_PENALTY_DECISION, decided_on.year)
        _decided(case, number=number, on=decided_on)
        case.exempt, case.exempt_reason, case.penalty_kinds = True, reason, []
        case.fine_amount = case.confiscated_income = case.confiscated_value = Decimal("0")
        case.publish_due = None
        bump(case)
        decision = {"reason_code": reason, "reason": label, "basis": documents.NO_PENALTY_BASIS[reason],
                    "decided_on": decided_on.isoformat()}
        documents.issue_case_document(case, documents.NO_PENALTY_DECISION, on=decided_on, actor=actor, step=step,
                                      number=number, decision=decision)
    return case


# --- 简易程序 ---------------------------------------------------------------------------------------------

@transaction.atomic
def case_simple(*, actor: User | None, decided_on: dt.date, category: CaseCategory, cause: str, officers: list[User],
                penalty_kinds: list[str], fine_amount=0, business: Business | None = None, respondent_name: str = "",
                respondent_kind: str = "", respondent_uscc: str = "", respondent_id_no: str = "",
                subdistrict: Subdistrict | None = None, violated_articles: str = "", penalising_articles: str = "",
                source: str = "", opinion: str = "", ip: str | None = None) -> Case:
    """简易程序: a warning or a small fine (≤ 200 元 for a person, ≤ 3,000 元 for an organisation, versioned
    rules) decided on the spot the day it is found; numbered from the `case` sequence, reported to the
    bureau for the record within 7 working days (`case_simple_record`)."""
    fields = respondent_fields(business=business, name=respondent_name, kind=respondent_kind, uscc=respondent_uscc,
                               id_no=respondent_id_no, subdistrict=subdistrict)
    check_writer(actor, fields["subdistrict"])
    check_officers(list(officers), decided_on)
    if category.disabled_on and category.disabled_on <= decided_on:
        raise DomainError("category_disabled", f"案件类别“{category}”已停用", {"field": "category"})
    source = source or LeadSource.OTHER
    if source not in LeadSource.values:
        raise DomainError("invalid_source", f"案件来源“{source}”不存在", {"field": "source"})
    fine = money(fine_amount, "fine_amount", "罚款金额")
    organisation = fields["respondent_kind"] != RespondentKind.PERSON
    rules.simple_penalties_check(
        list(penalty_kinds or []), fine=fine, organisation=organisation,
        person_limit=Decimal(rule_value("cases.simple_fine_person", on=decided_on)),
        organisation_limit=Decimal(rule_value("cases.simple_fine_organisation", on=decided_on)),
    )
    kinds = rules.penalties_check(penalty_kinds, fine=fine, income=Decimal(0), value=Decimal(0), labels=PENALTY_LABELS)
    case = Case(
        source=source, filed_on=decided_on, decided_on=decided_on, category=category, cause=require_text(cause, "cause", "案由"),
        violated_articles=violated_articles.strip(), penalising_articles=penalising_articles.strip(), procedure=Procedure.SIMPLE,
        status=CaseStatus.DECIDED, penalty_kinds=kinds, fine_amount=fine, created_by=actor,
        officer_cert_nos="、".join(u.cert_no for u in officers), **fields,
    )
    with acting(actor, ip):
        case.number = case.decision_number = next_document_number("case", decided_on.year)
        save(case)
        case.record_due = tracked(case, "record_due", decided_on,
                                  working_days=working_days_rule("cases.simple_filing_working_days", decided_on))
        case.save(update_fields=["record_due"])
        case.officers.set(officers)
        add_step(case, kind=StepKind.DECISION, on=decided_on, actor=actor, new_status=CaseStatus.DECIDED,
                 opinion=(opinion or "").strip() or f"简易程序当场作出行政处罚决定：{penalty_text(kinds, fine, Decimal(0), Decimal(0))}")
    return case


@transaction.atomic
def case_simple_record(*, actor: User | None, pk: int, version: int | None, recorded_on: dt.date,
                       ip: str | None = None) -> Case:
    """备案: the on-the-spot decision reported to the bureau (a late one is recorded as late)."""
    case = locked_case(pk, version, actor)
    if case.procedure != Procedure.SIMPLE:
        raise DomainError("not_simple", "只有简易程序案件需要备案")
    if case.recorded_on:
        raise DomainError("already_recorded", f"该决定已于 {case.recorded_on} 备案")
    not_before(recorded_on, case.decided_on, "recorded_on", "备案日期", "决定日期")
    late = f"（逾期，备案期限为 {case.record_due}）" if case.record_due and recorded_on > case.record_due else ""
    with acting(actor, ip):
        case.recorded_on = recorded_on
        unregister_provisional(app_label=APP, object_ref=f"case:{case.pk}", field_name="record_due")
        add_step(case, kind=StepKind.NOTE, on=recorded_on, actor=actor, opinion=f"当场处罚决定书报所属机关备案{late}")
        bump(case)
    return case
