"""A general-procedure case from filing to closing through the services, as the case page drives it:
investigation with a 先行登记保存 clock, legal review, the notice with its statement period (around the
2026 National Day), a hearing for a large fine (notified 7 working days ahead, the clock suspended
meanwhile), the decision, service, a late payment with the capped surcharge, execution and closing —
every due date checked against the official calendar, every act on the timeline and in the audit."""

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry

from jianguan.cases.choices import (
    CaseStatus,
    EvidenceKind,
    Measure,
    NoPenaltyReason,
    StepKind,
    SuspensionReason,
)
from jianguan.cases.models import Case, Lead
from jianguan.cases.services import (
    case_close,
    case_court_apply,
    case_decide,
    case_decide_no_penalty,
    case_execution_done,
    case_hearing_hold,
    case_hearing_request,
    case_hearing_schedule,
    case_notify,
    case_payment,
    case_remind,
    case_review,
    case_serve,
    case_statement,
    case_transition,
    evidence_add,
    evidence_measure_end,
)
from jianguan.core.deadlines import calendar_refresh
from jianguan.core.errors import DomainError
from jianguan.core.models import CalendarDay, CalendarYear, ProvisionalDeadline

from ..complaints.official import add_working_days
from .factories import filed_case, officers, open_lead, reviewed_case
from .official import add_calendar_days

pytestmark = pytest.mark.django_db
D = dt.date


def fresh(case) -> Case:
    return Case.objects.get(pk=case.pk)


def test_a_general_procedure_case_from_filing_to_closing(org):
    team = officers(org.east)
    actor = team[0]
    case = filed_case(org, actor=actor, team=team, filed_on=D(2026, 9, 2), received_on=D(2026, 9, 1))
    assert case.status == CaseStatus.FILED and case.number == "市监立〔2026〕1号"
    assert (case.decision_due, case.decision_due_provisional) == add_calendar_days(D(2026, 9, 2), 90)

    # 调查取证: the first evidence starts the investigation; 先行登记保存 must be decided within 7 working days.
    evidence_add(actor=actor, pk=case.pk, version=case.version, kind=EvidenceKind.DOCUMENTARY,
                 description="进货票据3张", collected_on=D(2026, 9, 3))
    case = fresh(case)
    kept = evidence_add(actor=actor, pk=case.pk, version=case.version, kind=EvidenceKind.PHYSICAL,
                        description="超过保质期的婴幼儿奶粉120罐", collected_on=D(2026, 9, 3), measure=Measure.PRESERVATION,
                        approved_by="王局长")
    assert case.status == CaseStatus.INVESTIGATING
    assert kept.measure_due == add_working_days(D(2026, 9, 3), 7)[0]
    case = fresh(case)
    evidence_measure_end(actor=actor, evidence_pk=kept.pk, version=case.version, ended_on=D(2026, 9, 10), outcome="予以先行没收")

    # 法制审核: 10 working days, across the Mid-Autumn and National Day holidays.
    case = case_transition(actor=actor, pk=case.pk, version=fresh(case).version, to=CaseStatus.REVIEW, on=D(2026, 9, 21))
    assert case.review_due == add_working_days(D(2026, 9, 21), 10)[0] == D(2026, 10, 12)
    case = case_review(actor=actor, pk=case.pk, version=case.version, reviewed_on=D(2026, 9, 24), reviewer="李法制",
                       opinion="事实清楚，证据确凿，适用依据正确，程序合法。")

    # 告知: a fine of 150,000 元 on an organisation is a large amount (≥ 100,000): a hearing may be asked for.
    case = case_notify(actor=actor, pk=case.pk, version=case.version, notified_on=D(2026, 9, 28),
                       penalty_kinds=["confiscate_income", "fine"], fine_amount="150000", confiscated_income="8000",
                       approved_by="王局长")
    assert case.status == CaseStatus.NOTIFIED and case.hearing_available
    assert case.proposed_penalty_kinds == ["fine", "confiscate_income"]  # in the order of the penalty list
    assert case.statement_due == add_working_days(D(2026, 9, 28), 5)[0] == D(2026, 10, 10)  # a make-up Saturday

    # 听证: asked for within the statement period, the clock suspended until it is held.
    case = case_hearing_request(actor=actor, pk=case.pk, version=case.version, requested_on=D(2026, 10, 9), suspend_clock=True)
    earliest = add_working_days(D(2026, 10, 12), 7)[0]
    with pytest.raises(DomainError, match=f"听证最早于 {earliest} 举行"):
        case_hearing_schedule(actor=actor, pk=case.pk, version=case.version, notified_on=D(2026, 10, 12),
                              hearing_on=earliest - dt.timedelta(days=1))
    case = case_hearing_schedule(actor=actor, pk=case.pk, version=case.version, notified_on=D(2026, 10, 12), hearing_on=earliest,
                                 place="局三楼听证室", host="赵主持")
    with pytest.raises(DomainError, match="须举行听证后方可作出决定"):
        case_decide(actor=actor, pk=case.pk, version=case.version, decided_on=earliest, penalty_kinds=["fine"],
                    fine_amount="150000", approved_by="王局长")
    case = case_hearing_hold(actor=actor, pk=case.pk, version=case.version, held_on=earliest, host="赵主持",
                             report="当事人对违法事实无异议，请求从轻处罚。")
    hearing_days = (earliest - D(2026, 10, 9)).days
    assert case.suspended_days == hearing_days
    assert (case.decision_due, case.decision_due_provisional) == add_calendar_days(D(2026, 9, 2), 90 + hearing_days)

    # 决定: not heavier than notified; numbered from its own sequence; published within 20 working days.
    with pytest.raises(DomainError, match="罚款 160000.00 元高于告知的 150000.00 元"):
        case_decide(actor=actor, pk=case.pk, version=case.version, decided_on=D(2026, 10, 26), penalty_kinds=["fine"],
                    fine_amount="160000", approved_by="王局长")
    case = case_decide(actor=actor, pk=case.pk, version=case.version, decided_on=D(2026, 10, 26),
                       penalty_kinds=["fine", "confiscate_income"], fine_amount="150000", confiscated_income="8000",
                       approved_by="王局长", opinion="经集体讨论，维持告知的处罚。")
    assert case.status == CaseStatus.DECIDED and case.decision_number == "市监处罚〔2026〕1号"
    assert case.penalty_amount == Decimal("158000.00")
    assert case.publish_due == add_working_days(D(2026, 10, 26), 20)[0]

    # 送达 and a payment 34 days late: 3 % a day would be 153,000 元, capped at the fine.
    case = case_serve(actor=actor, pk=case.pk, version=case.version, served_on=D(2026, 10, 28), method="直接送达")
    assert case.payment_due == D(2026, 11, 12)
    case = case_payment(actor=actor, pk=case.pk, version=case.version, paid_on=D(2026, 12, 16), amount="158000")
    assert case.surcharge == Decimal("150000.00") and case.executed_on is None
    with pytest.raises(DomainError, match="缴纳金额超过应缴金额"):
        case_payment(actor=actor, pk=case.pk, version=case.version, paid_on=D(2026, 12, 16), amount="150000.01")
    with pytest.raises(DomainError, match="执行完毕后方可结案"):
        case_close(actor=actor, pk=case.pk, version=case.version, closed_on=D(2026, 12, 17), approved_by="王局长")
    case = case_payment(actor=actor, pk=case.pk, version=case.version, paid_on=D(2026, 12, 16), amount="150000")
    assert case.paid_amount == Decimal("308000.00") and case.executed_on == D(2026, 12, 16)
    # 结案 within 15 working days of execution: into January 2027, whose calendar is not published yet.
    due, provisional = add_working_days(D(2026, 12, 16), 15)
    assert case.closing_due == due
    assert ProvisionalDeadline.objects.filter(app_label="cases", object_ref=f"case:{case.pk}", field_name="closing_due").exists() \
        == provisional

    case = case_close(actor=actor, pk=case.pk, version=case.version, closed_on=D(2026, 12, 28), approved_by="王局长")
    assert case.status == CaseStatus.CLOSED and case.closed_on == D(2026, 12, 28)

    # The timeline: every act with its date, who approved it, and the status moves.
    steps = list(case.steps.order_by("on", "pk"))
    assert [s.kind for s in steps] == [
        StepKind.FILED, StepKind.INVESTIGATION, StepKind.INVESTIGATION, StepKind.INVESTIGATION, StepKind.REVIEW,
        StepKind.REVIEW, StepKind.NOTICE, StepKind.HEARING_REQUESTED, StepKind.SUSPENSION, StepKind.HEARING,
        StepKind.HEARING, StepKind.RESUMPTION, StepKind.DECISION, StepKind.SERVICE, StepKind.PAYMENT, StepKind.PAYMENT,
        StepKind.CLOSING,
    ]
    moves = [(s.old_status, s.new_status) for s in steps if s.new_status]
    assert moves == [("", "filed"), ("filed", "investigating"), ("investigating", "review"), ("review", "notified"),
                     ("notified", "decided"), ("decided", "served"), ("served", "closed")]
    approvals = {s.kind: s.approved_by for s in steps if s.approved_by}
    assert approvals[StepKind.FILED] == approvals[StepKind.DECISION] == approvals[StepKind.CLOSING] == "王局长"
    assert approvals[StepKind.REVIEW] == "李法制" and approvals[StepKind.HEARING] == "赵主持"
    assert all(s.actor == actor for s in steps)
    assert "逾期34日，加处罚款 150000.00 元" in steps[-3].opinion
    # Each write is audited under the officer who made it.
    entries = LogEntry.objects.get_for_object(case)
    assert entries.count() >= 12 and set(entries.values_list("actor", flat=True)) == {actor.pk}


def test_a_first_minor_violation_is_not_penalised(org):
    """首违不罚 (Penalty Law art. 33): reviewed, decided 不予行政处罚 with its reason, executed by service."""
    case = filed_case(org, filed_on=D(2026, 9, 2), cause="未按规定公示食品经营许可证")
    actor = case.officers.first()
    case = case_transition(actor=actor, pk=case.pk, version=case.version, to=CaseStatus.INVESTIGATING, on=D(2026, 9, 3))
    case = case_transition(actor=actor, pk=case.pk, version=case.version, to=CaseStatus.REVIEW, on=D(2026, 9, 8))
    with pytest.raises(DomainError, match="须先完成法制审核"):
        case_decide_no_penalty(actor=actor, pk=case.pk, version=case.version, decided_on=D(2026, 9, 9),
                               reason=NoPenaltyReason.FIRST_MINOR, approved_by="王局长")
    case = case_review(actor=actor, pk=case.pk, version=case.version, reviewed_on=D(2026, 9, 9), reviewer="李法制",
                       opinion="当事人初次违法，危害后果轻微并已当场改正，建议不予行政处罚。")
    with pytest.raises(DomainError, match="须告知当事人"):
        case_decide(actor=actor, pk=case.pk, version=case.version, decided_on=D(2026, 9, 10), penalty_kinds=["warning"],
                    approved_by="王局长")
    case = case_decide_no_penalty(actor=actor, pk=case.pk, version=case.version, decided_on=D(2026, 9, 10),
                                  reason=NoPenaltyReason.FIRST_MINOR, approved_by="王局长")
    assert case.exempt and case.exempt_reason == NoPenaltyReason.FIRST_MINOR and case.penalty_amount == 0
    assert case.decision_number == "市监不罚〔2026〕1号" and case.publish_due is None
    case = case_serve(actor=actor, pk=case.pk, version=case.version, served_on=D(2026, 9, 11))
    assert case.payment_due is None and case.executed_on == D(2026, 9, 11)
    assert case.closing_due == add_working_days(D(2026, 9, 11), 15)[0]
    case = case_close(actor=actor, pk=case.pk, version=case.version, closed_on=D(2026, 9, 14), approved_by="王局长")
    assert case.status == CaseStatus.CLOSED


def test_a_small_fine_has_no_hearing_and_waits_for_the_statement_period(org):
    case = filed_case(org, filed_on=D(2026, 11, 2))
    actor = case.officers.first()
    for to, on in ((CaseStatus.INVESTIGATING, D(2026, 11, 3)), (CaseStatus.REVIEW, D(2026, 11, 4))):
        case = case_transition(actor=actor, pk=case.pk, version=case.version, to=to, on=on)
    case = case_review(actor=actor, pk=case.pk, version=case.version, reviewed_on=D(2026, 11, 5), reviewer="李法制", opinion="同意")
    case = case_notify(actor=actor, pk=case.pk, version=case.version, notified_on=D(2026, 11, 6), penalty_kinds=["warning", "fine"],
                       fine_amount="5000", approved_by="王局长")
    assert not case.hearing_available and case.statement_due == add_working_days(D(2026, 11, 6), 5)[0]
    with pytest.raises(DomainError, match="不属于听证范围"):
        case_hearing_request(actor=actor, pk=case.pk, version=case.version, requested_on=D(2026, 11, 9))
    with pytest.raises(DomainError, match=f"陈述、申辩的期限 {case.statement_due} 届满前不能作出决定"):
        case_decide(actor=actor, pk=case.pk, version=case.version, decided_on=D(2026, 11, 10), penalty_kinds=["fine"],
                    fine_amount="5000", approved_by="王局长")
    # Once the party has spoken (and has no hearing to ask for), the decision need not wait.
    case = case_statement(actor=actor, pk=case.pk, version=case.version, stated_on=D(2026, 11, 9), statement="初次违法，请求从轻。")
    case = case_decide(actor=actor, pk=case.pk, version=case.version, decided_on=D(2026, 11, 10), penalty_kinds=["warning", "fine"],
                       fine_amount="3000", approved_by="王局长")
    assert case.fine_amount == Decimal("3000.00") and case.penalty_kinds == ["warning", "fine"]


def test_a_revocation_entitles_to_a_hearing_whatever_the_fine_and_a_late_request_is_refused(org):
    case = filed_case(org, filed_on=D(2026, 11, 2))
    actor = case.officers.first()
    for to, on in ((CaseStatus.INVESTIGATING, D(2026, 11, 3)), (CaseStatus.REVIEW, D(2026, 11, 4))):
        case = case_transition(actor=actor, pk=case.pk, version=case.version, to=to, on=on)
    case = case_review(actor=actor, pk=case.pk, version=case.version, reviewed_on=D(2026, 11, 5), reviewer="李法制", opinion="同意")
    case = case_notify(actor=actor, pk=case.pk, version=case.version, notified_on=D(2026, 11, 6),
                       penalty_kinds=["fine", "revoke_licence"], fine_amount="2000", approved_by="王局长")
    assert case.hearing_available
    with pytest.raises(DomainError, match=f"（{case.statement_due}前），当事人 2026-11-16 提出，已逾期"):
        case_hearing_request(actor=actor, pk=case.pk, version=case.version, requested_on=D(2026, 11, 16))
    assert case.statement_due == D(2026, 11, 13)


def test_a_person_is_entitled_to_a_hearing_from_10000_yuan(org):
    case = filed_case(org, filed_on=D(2026, 11, 2), lead=None, respondent_name="张某某", respondent_kind="person",
                      respondent_id_no="370102199001011234", subdistrict=org.subs["dongguan"])
    actor = case.officers.first()
    for to, on in ((CaseStatus.INVESTIGATING, D(2026, 11, 3)), (CaseStatus.REVIEW, D(2026, 11, 4))):
        case = case_transition(actor=actor, pk=case.pk, version=case.version, to=to, on=on)
    case = case_review(actor=actor, pk=case.pk, version=case.version, reviewed_on=D(2026, 11, 5), reviewer="李法制", opinion="同意")
    case = case_notify(actor=actor, pk=case.pk, version=case.version, notified_on=D(2026, 11, 6), penalty_kinds=["fine"],
                       fine_amount="10000", approved_by="王局长")
    assert case.hearing_available


def test_a_review_not_passed_sends_the_case_back_to_investigation(org):
    case = filed_case(org, filed_on=D(2026, 9, 2))
    actor = case.officers.first()
    for to, on in ((CaseStatus.INVESTIGATING, D(2026, 9, 3)), (CaseStatus.REVIEW, D(2026, 9, 8))):
        case = case_transition(actor=actor, pk=case.pk, version=case.version, to=to, on=on)
    case = case_review(actor=actor, pk=case.pk, version=case.version, reviewed_on=D(2026, 9, 9), reviewer="李法制",
                       opinion="货值证据不足", passed=False)
    assert case.status == CaseStatus.INVESTIGATING and case.reviewed_on is None
    step = case.steps.order_by("-pk").first()
    assert (step.kind, step.approved_by, step.old_status, step.new_status) == (StepKind.REVIEW, "李法制", "review", "investigating")
    assert "退回补充调查：货值证据不足" in step.opinion


def test_a_hearing_suspension_is_one_suspension_among_others(org):
    """While the clock stands still for the hearing, no second suspension can be opened."""
    from jianguan.cases.services import suspension_start

    case = filed_case(org, filed_on=D(2026, 9, 2))
    actor = case.officers.first()
    for to, on in ((CaseStatus.INVESTIGATING, D(2026, 9, 3)), (CaseStatus.REVIEW, D(2026, 9, 8))):
        case = case_transition(actor=actor, pk=case.pk, version=case.version, to=to, on=on)
    case = case_review(actor=actor, pk=case.pk, version=case.version, reviewed_on=D(2026, 9, 9), reviewer="李法制", opinion="同意")
    case = case_notify(actor=actor, pk=case.pk, version=case.version, notified_on=D(2026, 9, 10), penalty_kinds=["suspend_business"],
                       approved_by="王局长")
    case = case_hearing_request(actor=actor, pk=case.pk, version=case.version, requested_on=D(2026, 9, 11), suspend_clock=True)
    with pytest.raises(DomainError, match="因听证中止，请先登记恢复"):
        suspension_start(actor=actor, pk=case.pk, version=case.version, reason=SuspensionReason.TESTING, start=D(2026, 9, 14))


def test_an_unpaid_fine_is_reminded_then_taken_to_court_then_executed_and_closed(org):
    case = reviewed_case(org)
    actor = case.officers.order_by("pk").first()
    case = case_notify(actor=actor, pk=case.pk, version=case.version, notified_on=D(2026, 9, 9),
                       penalty_kinds=["fine", "confiscate_property"], fine_amount="5000", confiscated_value="2400",
                       approved_by="王局长")
    case = case_decide(actor=actor, pk=case.pk, version=case.version, decided_on=D(2026, 9, 17),
                       penalty_kinds=["fine", "confiscate_property"], fine_amount="5000", confiscated_value="2400",
                       approved_by="王局长")
    case = case_serve(actor=actor, pk=case.pk, version=case.version, served_on=D(2026, 9, 18))
    # 15 days end on 10-03, in the National Day holiday: the period ends on the next working day
    assert (case.payment_due, False) == add_calendar_days(D(2026, 9, 18), 15) == (D(2026, 10, 8), False)
    with pytest.raises(DomainError, match="缴款期限 2026-10-08 届满后当事人仍未缴纳的，方可催告"):
        case_remind(actor=actor, pk=case.pk, version=case.version, reminded_on=D(2026, 10, 8))
    case = case_remind(actor=actor, pk=case.pk, version=case.version, reminded_on=D(2026, 10, 12))
    assert case.status == CaseStatus.EXECUTING
    earliest = add_working_days(D(2026, 10, 12), 10)[0]
    with pytest.raises(DomainError, match=f"催告书送达10个工作日后当事人仍未履行的，方可申请人民法院强制执行（最早 {earliest}）"):
        case_court_apply(actor=actor, pk=case.pk, version=case.version, applied_on=earliest - dt.timedelta(days=1), court="历下区人民法院")
    with pytest.raises(DomainError, match="罚没款尚未缴清（应缴 5000.00 元，已缴 0.00 元）"):
        case_execution_done(actor=actor, pk=case.pk, version=case.version, executed_on=D(2026, 10, 20), opinion="没收物品已处理")
    case = case_court_apply(actor=actor, pk=case.pk, version=case.version, applied_on=earliest, court="历下区人民法院")
    # Paid in full after the court application: the money is settled, the confiscated goods still to be dealt with.
    case = case_payment(actor=actor, pk=case.pk, version=case.version, paid_on=D(2026, 11, 20), amount="10000")
    assert case.surcharge == Decimal("5000.00") and case.executed_on is None
    case = case_execution_done(actor=actor, pk=case.pk, version=case.version, executed_on=D(2026, 11, 23),
                               opinion="没收的过期食品已监督销毁")
    assert case.closing_due == add_working_days(D(2026, 11, 23), 15)[0]
    case = case_close(actor=actor, pk=case.pk, version=case.version, closed_on=D(2026, 11, 24), approved_by="王局长")
    kinds = list(case.steps.order_by("on", "pk").values_list("kind", flat=True))
    assert kinds[-6:] == [StepKind.SERVICE, StepKind.REMINDER, StepKind.COURT, StepKind.PAYMENT, StepKind.NOTE, StepKind.CLOSING]
    closing = case.steps.get(kind=StepKind.CLOSING).document
    assert closing.context["closing"]["execution"] == (
        "应缴罚没款 5000.00 元，2026-11-20 缴清 10000.00 元（含加处罚款 5000.00 元）；2026-10-12 催告；"
        f"{earliest} 申请人民法院强制执行")


def test_a_provisional_due_date_follows_the_2027_calendar_once_entered(org):
    """结案 due 15 working days after an execution on 2026-12-28: provisional until 2027 is known."""
    case = reviewed_case(org, filed_on=D(2026, 11, 2))
    actor = case.officers.order_by("pk").first()
    case = case_decide_no_penalty(actor=actor, pk=case.pk, version=case.version, decided_on=D(2026, 12, 24),
                                  reason=NoPenaltyReason.NO_VIOLATION, approved_by="王局长")
    case = case_serve(actor=actor, pk=case.pk, version=case.version, served_on=D(2026, 12, 28))
    assert (case.closing_due, True) == add_working_days(D(2026, 12, 28), 15) == (D(2027, 1, 18), True)
    CalendarDay.objects.create(date=D(2027, 1, 1), is_workday=False, name="元旦", source_document="测试通知")
    CalendarDay.objects.create(date=D(2027, 1, 4), is_workday=False, name="元旦调休", source_document="测试通知")
    CalendarYear.objects.create(year=2027, source_document="测试通知")
    calendar_refresh()
    assert fresh(case).closing_due == D(2027, 1, 20)  # two days off in 2027: two working days later


def test_the_lead_and_case_decision_deadlines_follow_the_2027_calendar_once_entered(org):
    """A lead received late in December and a case filed in November have deadlines in 2027: computed on
    weekdays and marked 暂定 until the year's calendar is entered, then official."""
    lead = open_lead(org, received_on=D(2026, 12, 21))
    case = filed_case(org, filed_on=D(2026, 11, 20))
    assert lead.decision_due_provisional and (lead.decision_due, True) == add_working_days(D(2026, 12, 21), 15)
    assert case.decision_due_provisional and (case.decision_due, True) == add_calendar_days(D(2026, 11, 20), 90)
    CalendarDay.objects.create(date=D(2027, 1, 1), is_workday=False, name="元旦", source_document="测试通知")
    CalendarDay.objects.create(date=D(2027, 1, 4), is_workday=False, name="元旦调休", source_document="测试通知")
    CalendarDay.objects.create(date=D(2027, 2, 18), is_workday=False, name="春节", source_document="测试通知")
    CalendarYear.objects.create(year=2027, source_document="测试通知")
    calendar_refresh()
    lead, case = Lead.objects.get(pk=lead.pk), fresh(case)
    assert not lead.decision_due_provisional and not case.decision_due_provisional
    # two days off in early January: the lead's 15 working days end two working days later
    assert lead.decision_due == D(2027, 1, 13)
    # 90 days end on 2027-02-18, now a holiday: the deadline moves to the next working day
    assert case.decision_due == D(2027, 2, 19)
