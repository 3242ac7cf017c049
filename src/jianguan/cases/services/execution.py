"""After the decision: 送达, payment within 15 days (加处罚款 3 % a day, capped at the fine), 催告 and the
application to the court, execution done (结案 due 15 working days later) and 结案 with its approval form."""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from jianguan.core.calendar import add_working_days
from jianguan.core.deadlines import unregister_provisional
from jianguan.core.errors import DomainError
from jianguan.core.rules import rule_value
from jianguan.core.services import acting
from jianguan.org.models import User

from .. import documents, rules
from ..choices import CaseStatus, PenaltyKind, StepKind
from ..deadlines import payment_surcharge
from ..models import Case
from .common import not_before, require_text
from .filing import add_step
from .leads import APP
from .steps import money, penalty_text
from .workflow import bump, locked_case, move, tracked, working_days_rule


def money_due(case: Case) -> Decimal:
    """罚没款 the party pays: the fine and the confiscated income (the surcharge comes on top when late)."""
    return (case.fine_amount or Decimal(0)) + (case.confiscated_income or Decimal(0))


def _executed(case: Case, on: dt.date) -> None:
    """Execution done: 结案 is due 15 working days later."""
    case.executed_on = on
    case.closing_due = tracked(case, "closing_due", on, working_days=working_days_rule("cases.closing_working_days", on))


def _needs_more_than_money(case: Case) -> bool:
    """Penalties carried out beyond paying (没收非法财物, 吊销许可证件, 责令停产停业 …): their execution is
    recorded with `case_execution_done`."""
    return bool(set(case.penalty_kinds) - rules.SERVED_IS_EXECUTED - rules.PAID_IS_EXECUTED)


@transaction.atomic
def case_serve(*, actor: User | None, pk: int, version: int | None, served_on: dt.date, method: str = "",
               ip: str | None = None) -> Case:
    """送达 of the decision: the payment period (15 days) starts; a decision with nothing to pay or carry out
    (不予行政处罚, 警告, 通报批评) is executed by being served."""
    case = locked_case(pk, version, actor)
    if case.decided_on is not None:
        not_before(served_on, case.decided_on, "served_on", "送达日期", "决定日期")
    with acting(actor, ip):
        move(case, CaseStatus.SERVED, on=served_on, actor=actor, opinion=(method or "").strip() or "送达决定书")
        case.served_on = served_on
        if money_due(case) > 0:
            case.payment_due = tracked(case, "payment_due", served_on,
                                       calendar_days=int(rule_value("cases.payment_days", on=served_on)))
        elif not _needs_more_than_money(case):
            _executed(case, served_on)
        bump(case)
    return case


@transaction.atomic
def case_payment(*, actor: User | None, pk: int, version: int | None, paid_on: dt.date, amount,
                 ip: str | None = None) -> Case:
    """缴纳罚没款 (possibly in parts): a payment after the due date owes 加处罚款 (3 % of the fine a day, never
    more than the fine); once the fine, the confiscated income and the surcharge are paid, the money is
    executed (and the case, unless other penalties remain to be carried out)."""
    case = locked_case(pk, version, actor)
    if case.status not in (CaseStatus.SERVED, CaseStatus.EXECUTING):
        raise DomainError("wrong_status", f"案件当前为“{case.get_status_display()}”，不能登记缴款（须先送达决定书）")
    if case.payment_due is None:
        raise DomainError("nothing_to_pay", "该决定没有罚款或没收违法所得，无需缴款")
    amount = money(amount, "amount", "缴纳金额")
    if amount <= 0:
        raise DomainError("invalid_amount", "缴纳金额须大于0", {"field": "amount"})
    not_before(paid_on, case.served_on, "paid_on", "缴款日期", "送达日期")
    if case.paid_on:
        not_before(paid_on, case.paid_on, "paid_on", "缴款日期", "上次缴款日期")
    surcharge = payment_surcharge(fine=case.fine_amount, served_on=case.served_on, paid_on=paid_on)
    owed = money_due(case) + surcharge
    paid = case.paid_amount + amount
    if paid > owed:
        raise DomainError("overpaid", f"缴纳金额超过应缴金额：应缴 {owed} 元（罚没款 {money_due(case)} 元，加处罚款 {surcharge} 元），"
                          f"已缴 {case.paid_amount} 元", {"field": "amount"})
    late = f"，逾期{(paid_on - case.payment_due).days}日，加处罚款 {surcharge} 元" if surcharge > 0 else ""
    with acting(actor, ip):
        case.paid_on, case.paid_amount, case.surcharge = paid_on, paid, surcharge
        settled = paid == owed
        add_step(case, kind=StepKind.PAYMENT, on=paid_on, actor=actor,
                 opinion=f"缴纳 {amount} 元（累计 {paid} 元，应缴 {owed} 元{late}）" + ("，已缴清" if settled else ""))
        if settled and not _needs_more_than_money(case):
            _executed(case, paid_on)
        bump(case)
    return case


@transaction.atomic
def case_remind(*, actor: User | None, pk: int, version: int | None, reminded_on: dt.date, note: str = "",
                ip: str | None = None) -> Case:
    """催告: the party has not paid (or not carried out the decision) in time; enforcement begins."""
    case = locked_case(pk, version, actor)
    if case.executed_on:
        raise DomainError("already_executed", f"该决定已于 {case.executed_on} 执行完毕，无需催告")
    if case.payment_due and reminded_on <= case.payment_due and case.status == CaseStatus.SERVED:
        raise DomainError("payment_not_due", f"缴款期限 {case.payment_due} 届满后当事人仍未缴纳的，方可催告", {"field": "reminded_on"})
    with acting(actor, ip):
        move(case, CaseStatus.EXECUTING, on=reminded_on, actor=actor, kind=StepKind.REMINDER,
             opinion=(note or "").strip() or "送达催告书，催告当事人履行行政处罚决定")
        case.reminded_on = reminded_on
        bump(case)
    return case


@transaction.atomic
def case_court_apply(*, actor: User | None, pk: int, version: int | None, applied_on: dt.date, court: str,
                     ip: str | None = None) -> Case:
    """申请人民法院强制执行: 10 working days after the 催告 without performance (行政强制法 art. 54)."""
    case = locked_case(pk, version, actor)
    if case.status != CaseStatus.EXECUTING or not case.reminded_on:
        raise DomainError("reminder_first", "申请人民法院强制执行前须先催告当事人履行")
    if case.court_applied_on:
        raise DomainError("court_applied", f"已于 {case.court_applied_on} 申请人民法院强制执行")
    days = working_days_rule("cases.court_after_reminder_working_days", case.reminded_on)
    earliest = add_working_days(case.reminded_on, days).date
    if applied_on < earliest:
        raise DomainError("court_too_early", f"催告书送达{days}个工作日后当事人仍未履行的，方可申请人民法院强制执行（最早 {earliest}）",
                          {"field": "applied_on"})
    with acting(actor, ip):
        case.court_applied_on = applied_on
        add_step(case, kind=StepKind.COURT, on=applied_on, actor=actor,
                 opinion=f"向{require_text(court, 'court', '人民法院名称')}申请强制执行")
        bump(case)
    return case


@transaction.atomic
def case_execution_done(*, actor: User | None, pk: int, version: int | None, executed_on: dt.date, opinion: str,
                        ip: str | None = None) -> Case:
    """执行完毕 of what paying does not settle (没收物品处理, 吊销许可证件 …), or of money collected by the
    court: 结案 is due 15 working days later."""
    case = locked_case(pk, version, actor)
    if case.status not in (CaseStatus.SERVED, CaseStatus.EXECUTING):
        raise DomainError("wrong_status", f"案件当前为“{case.get_status_display()}”，不能登记执行完毕")
    if case.executed_on:
        raise DomainError("already_executed", f"该决定已于 {case.executed_on} 执行完毕")
    not_before(executed_on, case.served_on, "executed_on", "执行完毕日期", "送达日期")
    owed = money_due(case) + case.surcharge
    if case.payment_due and case.paid_amount < owed and not case.court_applied_on:
        raise DomainError("unpaid", f"罚没款尚未缴清（应缴 {owed} 元，已缴 {case.paid_amount} 元），请登记缴款，"
                          "或催告后申请人民法院强制执行", {"field": "executed_on"})
    with acting(actor, ip):
        _executed(case, executed_on)
        add_step(case, kind=StepKind.NOTE, on=executed_on, actor=actor,
                 opinion=f"执行完毕：{require_text(opinion, 'opinion', '执行情况')}")
        bump(case)
    return case


def _execution_text(case: Case) -> str:
    if case.exempt:
        return "不予行政处罚，决定书已送达"
    parts = []
    if case.payment_due:
        parts.append(f"应缴罚没款 {money_due(case)} 元，{case.paid_on or '—'} 缴清 {case.paid_amount} 元"
                     + (f"（含加处罚款 {case.surcharge} 元）" if case.surcharge else ""))
    if case.reminded_on:
        parts.append(f"{case.reminded_on} 催告")
    if case.court_applied_on:
        parts.append(f"{case.court_applied_on} 申请人民法院强制执行")
    if not parts:
        parts.append("决定书已送达，执行完毕")
    return "；".join(parts)


@transaction.atomic
def case_close(*, actor: User | None, pk: int, version: int | None, closed_on: dt.date, approved_by: str, opinion: str = "",
               ip: str | None = None) -> Case:
    """结案 (approved, with the 结案审批表) once the decision is executed; due 15 working days after execution."""
    case = locked_case(pk, version, actor)
    if case.status in (CaseStatus.SERVED, CaseStatus.EXECUTING) and not case.executed_on:
        raise DomainError("not_executed", "行政处罚决定执行完毕后方可结案", {"field": "closed_on"})
    if case.executed_on:
        not_before(closed_on, case.executed_on, "closed_on", "结案日期", "执行完毕日期")
    approved_by = require_text(approved_by, "approved_by", "结案审批人")
    late = f"（超过结案期限 {case.closing_due}）" if case.closing_due and closed_on > case.closing_due else ""
    with acting(actor, ip):
        step = move(case, CaseStatus.CLOSED, on=closed_on, actor=actor, approved_by=approved_by,
                    opinion=((opinion or "").strip() or "同意结案。") + late)
        case.closed_on = closed_on
        unregister_provisional(app_label=APP, object_ref=f"case:{case.pk}", field_name="closing_due")
        bump(case)
        kinds = [k for k in case.penalty_kinds if k in PenaltyKind.values]
        result = (f"不予行政处罚（{case.get_exempt_reason_display()}）" if case.exempt
                  else penalty_text(kinds, case.fine_amount, case.confiscated_income, case.confiscated_value))
        closing = {
            "decision_number": case.decision_number, "decided_on": case.decided_on.isoformat() if case.decided_on else "",
            "result": result, "served_on": case.served_on.isoformat() if case.served_on else "",
            "execution": _execution_text(case), "executed_on": case.executed_on.isoformat() if case.executed_on else "",
            "approved_by": approved_by, "opinion": (opinion or "").strip(),
        }
        documents.issue_case_document(case, documents.CLOSING_APPROVAL, on=closed_on, actor=actor, step=step, closing=closing)
    return case
