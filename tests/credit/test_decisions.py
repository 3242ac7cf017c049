"""Deciding abnormal-list proposals in batches: one numbered decision per kind (列入 for enterprises and
cooperatives, 标记 for individual businesses) with its document naming every business, 不予列入 with a
reason, and who may decide."""

import datetime as dt

import pytest

from jianguan.core.documents import stored_bytes
from jianguan.core.errors import DomainError, PermissionDenied
from jianguan.credit.choices import AbnormalReason, DecisionKind, EntryStatus
from jianguan.credit.models import AbnormalEntry
from jianguan.credit.services.decisions import abnormal_decide, abnormal_decline

from ..conftest import make_org
from ..factories import BusinessFactory
from .factories import entry

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def org():
    return make_org()


def _proposals(org):
    sub = org.subs["dongguan"]
    firms = [BusinessFactory(subdistrict=sub, entity_type=t) for t in ("enterprise", "cooperative", "individual")]
    return firms, [entry(b, proposed_on=D(2026, 7, 1)) for b in firms]


def test_a_batch_gives_one_numbered_decision_per_kind_with_every_business_in_its_document(org):
    firms, entries = _proposals(org)
    decisions = abnormal_decide(actor=org.users.dept, ids=[e.pk for e in entries], decided_on=D(2026, 7, 10), approved_by="王局长")
    assert [(d.kind, d.number) for d in decisions] == [
        (DecisionKind.ABNORMAL_LIST, "市监经异列〔2026〕1号"), (DecisionKind.ABNORMAL_MARK, "市监经异标〔2026〕1号")]
    listed = {e.business_id: e for e in AbnormalEntry.objects.all()}
    assert {e.status for e in listed.values()} == {EntryStatus.LISTED}
    assert {e.listed_on for e in listed.values()} == {D(2026, 7, 10)}
    assert listed[firms[2].pk].decision == decisions[1] and listed[firms[0].pk].decision == decisions[0]
    context = decisions[0].document.context
    assert [r["uscc"] for r in context["rows"]] == [firms[0].uscc, firms[1].uscc]
    assert context["rows"][0]["reason"] == "未按规定报送年度报告（2025年度）"
    assert context["issuer"] == "测试区市场监督管理局"
    assert stored_bytes(decisions[1].document)[:2] == b"PK"  # a Word file, kept
    # the next batch continues the numbering
    more = entry(BusinessFactory(subdistrict=org.subs["xiguan"]), reason=AbnormalReason.UNREACHABLE, report_year=None)
    (again,) = abnormal_decide(actor=org.users.admin, ids=[more.pk], decided_on=D(2026, 7, 11), approved_by="王局长")
    assert again.number == "市监经异列〔2026〕2号"


def test_only_the_bureau_decides_and_a_decided_proposal_is_not_decided_again(org):
    _, entries = _proposals(org)
    ids = [e.pk for e in entries]
    for user in (org.users.east, org.users.leader):
        with pytest.raises(PermissionDenied):
            abnormal_decide(actor=user, ids=ids, decided_on=D(2026, 7, 10), approved_by="王局长")
    with pytest.raises(DomainError, match="请填写审批人"):
        abnormal_decide(actor=org.users.dept, ids=ids, decided_on=D(2026, 7, 10), approved_by=" ")
    with pytest.raises(DomainError, match="早于"):
        abnormal_decide(actor=org.users.dept, ids=ids, decided_on=D(2026, 6, 30), approved_by="王局长")
    with pytest.raises(DomainError, match="请至少选择一条记录"):
        abnormal_decide(actor=org.users.dept, ids=[], decided_on=D(2026, 7, 10), approved_by="王局长")
    abnormal_decline(actor=org.users.dept, ids=[ids[0]], reason="已于期限内报送，系数据延迟")
    declined = AbnormalEntry.objects.get(pk=ids[0])
    assert (declined.status, declined.declined_reason) == (EntryStatus.DECLINED, "已于期限内报送，系数据延迟")
    with pytest.raises(DomainError, match="不能再作决定"):
        abnormal_decide(actor=org.users.dept, ids=ids, decided_on=D(2026, 7, 10), approved_by="王局长")
    # nothing of the refused batch was written
    assert AbnormalEntry.objects.filter(status=EntryStatus.LISTED).count() == 0
    with pytest.raises(DomainError, match="请填写不予列入理由"):
        abnormal_decline(actor=org.users.dept, ids=[ids[1]], reason="")
