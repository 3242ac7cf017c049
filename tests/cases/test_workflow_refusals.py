"""What the case services refuse, in Chinese, without writing anything: a move the transition table does
not allow, too few officers or an expired 执法证, a simple-procedure fine above the limit, a stale
version, a station outside its jurisdiction or the leadership's read-only account; and the decision
numbers stay gap-free when a decision fails after taking its number. Also the simple procedure and the
transfer to the police."""

import datetime as dt
from decimal import Decimal

import pytest

from jianguan.cases import documents
from jianguan.cases.choices import CaseStatus, Procedure, StepKind, SuspensionReason, TransferTarget
from jianguan.cases.models import Case
from jianguan.cases.services import (
    case_decide_no_penalty,
    case_extend,
    case_review,
    case_serve,
    case_simple,
    case_simple_record,
    case_transfer,
    case_transition,
    suspension_start,
)
from jianguan.core.errors import ConcurrentEdit, DomainError, PermissionDenied
from jianguan.core.models import DocumentSequence

from ..complaints.official import add_working_days
from ..factories import BusinessFactory
from .factories import category, filed_case, officer, officers
from .official import add_calendar_days

pytestmark = pytest.mark.django_db
D = dt.date


def fresh(case) -> Case:
    return Case.objects.get(pk=case.pk)


def test_a_move_outside_the_transition_table_is_refused(org):
    case = filed_case(org, filed_on=D(2026, 9, 2))
    actor = case.officers.first()
    with pytest.raises(DomainError, match="案件当前状态为“已立案”，不能变为“案件审核”"):
        case_transition(actor=actor, pk=case.pk, version=case.version, to=CaseStatus.REVIEW, on=D(2026, 9, 3))
    with pytest.raises(DomainError, match="案件当前状态为“已立案”，不能变为“已决定”"):
        case_decide_no_penalty(actor=actor, pk=case.pk, version=case.version, decided_on=D(2026, 9, 3), reason="no_violation",
                               approved_by="王局长")
    with pytest.raises(DomainError, match="请填写移送（移送对象和接收机关）"):
        case_transition(actor=actor, pk=case.pk, version=case.version, to=CaseStatus.TRANSFERRED, on=D(2026, 9, 3))
    case = case_transition(actor=actor, pk=case.pk, version=case.version, to=CaseStatus.INVESTIGATING, on=D(2026, 9, 3))
    with pytest.raises(DomainError, match="不能变为“已送达”"):
        case_serve(actor=actor, pk=case.pk, version=case.version, served_on=D(2026, 9, 4))
    with pytest.raises(DomainError, match="办理日期 2026-09-01 早于立案日期 2026-09-02"):
        case_transition(actor=actor, pk=case.pk, version=case.version, to=CaseStatus.REVIEW, on=D(2026, 9, 1))
    assert fresh(case).status == CaseStatus.INVESTIGATING and case.steps.count() == 2


def test_filing_needs_two_officers_with_a_certificate_valid_on_the_filing_day(org):
    lone = officers(org.east, size=1)
    with pytest.raises(DomainError, match="不少于2名持有效执法证的执法人员承办，当前只有1名"):
        filed_case(org, team=lone, filed_on=D(2026, 9, 2))
    expired = officer(org.east, valid_until=D(2026, 9, 1))
    with pytest.raises(DomainError, match=f"“{expired}”的执法证在 2026-09-02 已过有效期（2026-09-01）"):
        filed_case(org, team=[lone[0], expired], filed_on=D(2026, 9, 2))
    without = officer(org.east, valid_until=None)
    with pytest.raises(DomainError, match="没有登记执法证"):
        filed_case(org, team=[lone[0], without], filed_on=D(2026, 9, 2))
    assert not Case.objects.exists()
    assert filed_case(org, team=[lone[0], expired], filed_on=D(2026, 9, 1)).number == "市监立〔2026〕1号"


def test_a_stale_version_is_refused_and_nothing_is_saved(org):
    case = filed_case(org, filed_on=D(2026, 9, 2))
    actor = case.officers.first()
    stale = case.version
    case_transition(actor=actor, pk=case.pk, version=stale, to=CaseStatus.INVESTIGATING, on=D(2026, 9, 3))
    with pytest.raises(ConcurrentEdit, match=f"该行政处罚案件已被他人修改（当前为第{stale + 1}版，您提交的是第{stale}版）"):
        case_extend(actor=actor, pk=case.pk, version=stale, approved_on=D(2026, 9, 4), approved_by="王局长")
    assert not fresh(case).extended


def test_stations_write_only_in_their_jurisdiction_and_the_leadership_not_at_all(org):
    case = filed_case(org, filed_on=D(2026, 9, 2))  # a business in 东关街道 (东关所)
    with pytest.raises(PermissionDenied, match="“东关街道”不在您的辖区范围内"):
        suspension_start(actor=org.users.west, pk=case.pk, version=case.version, reason=SuspensionReason.TESTING,
                         start=D(2026, 9, 5))
    with pytest.raises(PermissionDenied, match="局领导账号只读"):
        case_transition(actor=org.users.leader, pk=case.pk, version=case.version, to=CaseStatus.INVESTIGATING, on=D(2026, 9, 3))
    # The station of the jurisdiction and a department (稽查) may.
    case = case_transition(actor=org.users.east, pk=case.pk, version=case.version, to=CaseStatus.INVESTIGATING, on=D(2026, 9, 3))
    case = case_transition(actor=org.users.dept, pk=case.pk, version=case.version, to=CaseStatus.REVIEW, on=D(2026, 9, 4))
    assert case.status == CaseStatus.REVIEW


def test_decision_numbers_stay_gap_free_when_a_decision_fails_after_taking_its_number(org, monkeypatch):
    cases = []
    for _ in range(2):
        case = filed_case(org, filed_on=D(2026, 9, 2))
        actor = case.officers.first()
        for to, on in ((CaseStatus.INVESTIGATING, D(2026, 9, 3)), (CaseStatus.REVIEW, D(2026, 9, 4))):
            case = case_transition(actor=actor, pk=case.pk, version=case.version, to=to, on=on)
        cases.append(case_review(actor=actor, pk=case.pk, version=case.version, reviewed_on=D(2026, 9, 7), reviewer="李法制",
                                 opinion="同意"))
    first, second = cases
    real_issue = documents.documents.issue

    def broken(**kw):
        raise DomainError("document_storage", "文书保存失败（测试）")

    monkeypatch.setattr(documents.documents, "issue", broken)
    with pytest.raises(DomainError, match="文书保存失败"):
        case_decide_no_penalty(actor=actor, pk=first.pk, version=first.version, decided_on=D(2026, 9, 8), reason="first_minor",
                               approved_by="王局长")
    first = fresh(first)
    assert (first.status, first.decision_number, first.version) == (CaseStatus.REVIEW, "", cases[0].version)
    assert not DocumentSequence.objects.filter(kind="no_penalty_decision").exclude(last=0).exists()
    monkeypatch.setattr(documents.documents, "issue", real_issue)
    numbers = [
        case_decide_no_penalty(actor=actor, pk=c.pk, version=c.version, decided_on=D(2026, 9, 8), reason="first_minor",
                               approved_by="王局长").decision_number
        for c in (second, first)
    ]
    assert numbers == ["市监不罚〔2026〕1号", "市监不罚〔2026〕2号"]


def test_the_simple_procedure_decides_a_small_fine_on_the_spot(org):
    team = officers(org.east)
    shop = BusinessFactory(subdistrict=org.subs["jiefang"])
    case = case_simple(actor=team[0], decided_on=D(2026, 9, 25), category=category("price"), cause="未明码标价", officers=team,
                       business=shop, penalty_kinds=["warning", "fine"], fine_amount="3000",
                       penalising_articles="《价格违法行为行政处罚规定》第十三条")
    assert (case.procedure, case.status, case.filed_on, case.decided_on) == (Procedure.SIMPLE, CaseStatus.DECIDED,
                                                                             D(2026, 9, 25), D(2026, 9, 25))
    assert case.number == case.decision_number == "市监立〔2026〕1号" and case.fine_amount == Decimal("3000.00")
    # Reported for the record within 7 working days: over the Mid-Autumn holiday and into October.
    assert case.record_due == add_working_days(D(2026, 9, 25), 7)[0] == D(2026, 10, 12)
    step = case.steps.get()
    assert (step.kind, step.new_status) == (StepKind.DECISION, CaseStatus.DECIDED) and "罚款3000.00元" in step.opinion
    case = case_simple_record(actor=team[0], pk=case.pk, version=case.version, recorded_on=D(2026, 10, 13))
    assert case.recorded_on == D(2026, 10, 13) and "逾期，备案期限为 2026-10-12" in case.steps.order_by("-pk").first().opinion
    case = case_serve(actor=team[0], pk=case.pk, version=case.version, served_on=D(2026, 9, 25), method="当场交付")
    assert (case.payment_due, False) == add_calendar_days(D(2026, 9, 25), 15)  # 10-10, a working Saturday


@pytest.mark.parametrize("kind,fine,limit", [("person", "201", "200"), ("organisation", "3000.01", "3000")])
def test_the_simple_procedure_refuses_a_fine_above_the_limit(org, kind, fine, limit):
    team = officers(org.east)
    who = {"person": {"respondent_name": "李某", "respondent_id_no": "370102199001011234"},
           "organisation": {"business": BusinessFactory(subdistrict=org.subs["jiefang"])}}[kind]
    with pytest.raises(DomainError, match=f"罚款不能超过 {limit} 元（本次 {Decimal(fine):.2f} 元），请按一般程序立案办理"):
        case_simple(actor=team[0], decided_on=D(2026, 9, 25), category=category("price"), cause="未明码标价", officers=team,
                    respondent_kind=kind, subdistrict=org.subs["jiefang"], penalty_kinds=["fine"], fine_amount=fine, **who)
    with pytest.raises(DomainError, match="简易程序只能当场给予警告或者较小数额的罚款"):
        case_simple(actor=team[0], decided_on=D(2026, 9, 25), category=category("price"), cause="未明码标价", officers=team,
                    respondent_kind=kind, subdistrict=org.subs["jiefang"], penalty_kinds=["confiscate_income"],
                    **who)
    assert not Case.objects.exists()


def test_a_case_transferred_to_the_police(org):
    case = filed_case(org, filed_on=D(2026, 9, 2), cause="生产销售假冒伪劣食品，货值金额较大")
    actor = case.officers.first()
    case = case_transition(actor=actor, pk=case.pk, version=case.version, to=CaseStatus.INVESTIGATING, on=D(2026, 9, 3))
    with pytest.raises(DomainError, match="请填写接收机关"):
        case_transfer(actor=actor, pk=case.pk, version=case.version, on=D(2026, 9, 20), target=TransferTarget.POLICE, body=" ",
                      approved_by="王局长")
    case = case_transfer(actor=actor, pk=case.pk, version=case.version, on=D(2026, 9, 20), target=TransferTarget.POLICE,
                         body="历下区公安分局", approved_by="王局长", opinion="涉嫌生产、销售伪劣产品罪")
    assert (case.status, case.transferred_on, case.transfer_target, case.transfer_body) == (
        CaseStatus.TRANSFERRED, D(2026, 9, 20), "police", "历下区公安分局")
    step = case.steps.order_by("-pk").first()
    assert (step.kind, step.approved_by, step.new_status) == (StepKind.TRANSFER, "王局长", "transferred")
    with pytest.raises(DomainError, match="不能变为"):
        case_transition(actor=actor, pk=case.pk, version=case.version, to=CaseStatus.REVIEW, on=D(2026, 9, 21))
