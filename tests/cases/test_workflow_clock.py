"""The decision clock as the services keep it: a suspension moves the deadline by exactly its days (checked
against the official calendar), one suspension at a time; the +30 extension once and only before the
deadline, then only a recorded collective decision; a decision after the deadline refused naming it;
查封扣押 for 30 days, +30 once."""

import datetime as dt

import pytest

from jianguan.cases.choices import CaseStatus, EvidenceKind, Measure, StepKind, SuspensionReason
from jianguan.cases.models import Case
from jianguan.cases.services import (
    case_collective_extend,
    case_decide_no_penalty,
    case_extend,
    case_review,
    case_transition,
    evidence_add,
    evidence_measure_end,
    evidence_measure_extend,
    suspension_end,
    suspension_start,
)
from jianguan.core.errors import DomainError

from .factories import filed_case
from .official import add_calendar_days

pytestmark = pytest.mark.django_db
D = dt.date


def fresh(case) -> Case:
    return Case.objects.get(pk=case.pk)


@pytest.mark.parametrize("filed,start,end", [
    (D(2026, 6, 1), D(2026, 7, 1), D(2026, 7, 21)),  # 90 + 20 days: 2026-09-19, a Saturday → Monday
    (D(2026, 7, 3), D(2026, 7, 10), D(2026, 7, 11)),  # one day: out of the National Day holidays
    (D(2026, 9, 21), D(2026, 10, 1), D(2026, 10, 31)),  # 90 + 30 days: into 2027, provisional
])
def test_a_suspension_for_testing_moves_the_deadline_by_exactly_its_days(org, filed, start, end):
    case = filed_case(org, filed_on=filed)
    actor = case.officers.first()
    assert (case.decision_due, case.decision_due_provisional) == add_calendar_days(filed, 90)
    suspension = suspension_start(actor=actor, pk=case.pk, version=case.version, reason=SuspensionReason.TESTING, start=start,
                                  note="送检样品2批次")
    case = fresh(case)
    assert case.decision_due == add_calendar_days(filed, 90)[0]  # unknown until the clock runs again
    suspension = suspension_end(actor=actor, pk=case.pk, version=case.version, end=end)
    case = fresh(case)
    assert suspension.days == (end - start).days == case.suspended_days
    assert (case.decision_due, case.decision_due_provisional) == add_calendar_days(filed, 90 + (end - start).days)
    resumed = case.steps.get(kind=StepKind.RESUMPTION)
    assert f"检测检验中止{(end - start).days}日" in resumed.opinion and str(case.decision_due) in resumed.opinion


def test_suspensions_add_up_and_only_one_is_open_at_a_time(org):
    filed = D(2026, 6, 1)
    case = filed_case(org, filed_on=filed)
    actor = case.officers.first()
    suspension_start(actor=actor, pk=case.pk, version=case.version, reason=SuspensionReason.TESTING, start=D(2026, 6, 10))
    with pytest.raises(DomainError, match="案件已于 2026-06-10 起因检测检验中止，请先登记恢复"):
        suspension_start(actor=actor, pk=case.pk, version=fresh(case).version, reason=SuspensionReason.APPRAISAL,
                         start=D(2026, 6, 12))
    with pytest.raises(DomainError, match="恢复日期 2026-06-09 早于中止日期 2026-06-10"):
        suspension_end(actor=actor, pk=case.pk, version=fresh(case).version, end=D(2026, 6, 9))
    suspension_end(actor=actor, pk=case.pk, version=fresh(case).version, end=D(2026, 6, 20))
    with pytest.raises(DomainError, match="早于上一次中止的恢复日期"):
        suspension_start(actor=actor, pk=case.pk, version=fresh(case).version, reason=SuspensionReason.APPRAISAL,
                         start=D(2026, 6, 19))
    suspension_start(actor=actor, pk=case.pk, version=fresh(case).version, reason=SuspensionReason.APPRAISAL, start=D(2026, 7, 1))
    suspension_end(actor=actor, pk=case.pk, version=fresh(case).version, end=D(2026, 7, 6))
    case = fresh(case)
    assert case.suspended_days == 15
    assert case.decision_due == add_calendar_days(filed, 105)[0]
    with pytest.raises(DomainError, match="案件没有未恢复的中止"):
        suspension_end(actor=actor, pk=case.pk, version=case.version, end=D(2026, 7, 8))


def test_the_extension_is_once_and_before_the_deadline_then_only_by_collective_decision(org):
    filed = D(2026, 6, 1)
    case = filed_case(org, filed_on=filed)
    actor = case.officers.first()
    due = case.decision_due
    with pytest.raises(DomainError, match="须先经批准延长30日"):
        case_collective_extend(actor=actor, pk=case.pk, version=case.version, decided_on=due, days=30, decision="继续延期")
    with pytest.raises(DomainError, match=f"延长办案期限须在办案期限 {due} 届满前批准"):
        case_extend(actor=actor, pk=case.pk, version=case.version, approved_on=due + dt.timedelta(days=1), approved_by="王局长")
    case = case_extend(actor=actor, pk=case.pk, version=case.version, approved_on=due, approved_by="王局长")
    assert case.extended and case.extension_approved_by == "王局长"
    assert case.decision_due == add_calendar_days(filed, 120)[0]
    step = case.steps.get(kind=StepKind.EXTENSION)
    assert (step.on, step.approved_by) == (due, "王局长") and f"由 {due} 延至 {case.decision_due}" in step.opinion
    with pytest.raises(DomainError, match="办案期限只能经批准延长一次"):
        case_extend(actor=actor, pk=case.pk, version=case.version, approved_on=due, approved_by="王局长")
    with pytest.raises(DomainError, match="请填写集体讨论决定"):
        case_collective_extend(actor=actor, pk=case.pk, version=case.version, decided_on=case.decision_due, days=30, decision=" ")
    case = case_collective_extend(actor=actor, pk=case.pk, version=case.version, decided_on=case.decision_due, days=45,
                                  decision="案情复杂，经局务会集体讨论决定继续延期45日", approved_by="局务会")
    assert case.collective_extension_days == 45 and "局务会集体讨论" in case.collective_decision
    assert case.decision_due == add_calendar_days(filed, 165)[0]
    assert case.steps.get(kind=StepKind.COLLECTIVE).approved_by == "局务会"


def _reviewed(org, filed):
    case = filed_case(org, filed_on=filed)
    actor = case.officers.first()
    for to, on in ((CaseStatus.INVESTIGATING, filed + dt.timedelta(days=1)), (CaseStatus.REVIEW, filed + dt.timedelta(days=5))):
        case = case_transition(actor=actor, pk=case.pk, version=case.version, to=to, on=on)
    case = case_review(actor=actor, pk=case.pk, version=case.version, reviewed_on=filed + dt.timedelta(days=6), reviewer="李法制",
                       opinion="同意")
    return case, actor


def test_a_decision_after_the_deadline_is_refused_naming_it_unless_extended_before(org):
    case, actor = _reviewed(org, D(2026, 6, 1))
    due = case.decision_due
    late = due + dt.timedelta(days=3)
    with pytest.raises(DomainError, match=f"决定日期 {late} 已超过办案期限 {due}（期限届满前经负责人批准可延长30日）"):
        case_decide_no_penalty(actor=actor, pk=case.pk, version=case.version, decided_on=late, reason="no_violation",
                               approved_by="王局长")
    assert fresh(case).decision_number == ""  # nothing was decided, no number consumed
    case = case_extend(actor=actor, pk=case.pk, version=case.version, approved_on=due - dt.timedelta(days=2), approved_by="王局长")
    case = case_decide_no_penalty(actor=actor, pk=case.pk, version=case.version, decided_on=late, reason="no_violation",
                                  approved_by="王局长")
    assert case.decision_number == "市监不罚〔2026〕1号"


def test_no_decision_while_the_clock_is_suspended(org):
    case, actor = _reviewed(org, D(2026, 6, 1))
    suspension_start(actor=actor, pk=case.pk, version=case.version, reason=SuspensionReason.APPRAISAL, start=D(2026, 6, 20))
    with pytest.raises(DomainError, match="案件自 2026-06-20 起因鉴定中止，请先登记恢复"):
        case_decide_no_penalty(actor=actor, pk=case.pk, version=fresh(case).version, decided_on=D(2026, 6, 25),
                               reason="no_violation", approved_by="王局长")


def test_seizure_is_30_days_extended_once_before_it_runs_out(org):
    case = filed_case(org, filed_on=D(2026, 8, 3))
    actor = case.officers.first()
    with pytest.raises(DomainError, match="请填写查封扣押审批人"):
        evidence_add(actor=actor, pk=case.pk, version=case.version, kind=EvidenceKind.PHYSICAL, description="假冒注册商标白酒60箱",
                     collected_on=D(2026, 8, 4), measure=Measure.SEIZURE)
    seized = evidence_add(actor=actor, pk=case.pk, version=case.version, kind=EvidenceKind.PHYSICAL, description="假冒注册商标白酒60箱",
                          collected_on=D(2026, 8, 4), measure=Measure.SEIZURE, approved_by="王局长")
    assert seized.measure_due == add_calendar_days(D(2026, 8, 4), 30)[0]
    with pytest.raises(DomainError, match=f"延长须在查封、扣押期限 {seized.measure_due} 届满前批准"):
        evidence_measure_extend(actor=actor, evidence_pk=seized.pk, version=fresh(case).version,
                                approved_on=seized.measure_due + dt.timedelta(days=1), approved_by="王局长")
    seized = evidence_measure_extend(actor=actor, evidence_pk=seized.pk, version=fresh(case).version,
                                     approved_on=D(2026, 8, 30), approved_by="王局长")
    assert seized.measure_extended and seized.measure_due == add_calendar_days(D(2026, 8, 4), 60)[0]
    with pytest.raises(DomainError, match="查封、扣押期限只能延长一次"):
        evidence_measure_extend(actor=actor, evidence_pk=seized.pk, version=fresh(case).version, approved_on=D(2026, 9, 1),
                                approved_by="王局长")
    seized = evidence_measure_end(actor=actor, evidence_pk=seized.pk, version=fresh(case).version, ended_on=D(2026, 10, 30),
                                  outcome="依法予以没收")
    assert seized.measure_ended_on == D(2026, 10, 30)
    assert f"（超过处理期限 {seized.measure_due}）" in case.steps.order_by("-pk").first().opinion
