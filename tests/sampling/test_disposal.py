"""The disposal of an unqualified result (核查处置): service, 复检 and 异议 within their periods, a retest or
an accepted objection overturning the result, the measures and the cause, and the case lead — opened
through the cases service once, and counted once among the period's leads (by its source 抽检)."""

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry

from jianguan.cases.choices import LeadSource, LeadStatus
from jianguan.cases.models import Lead
from jianguan.core.errors import DomainError, PermissionDenied
from jianguan.core.indicators import compute
from jianguan.core.periods import Params
from jianguan.sampling.choices import (
    Conclusion,
    DisposalStatus,
    ObjectionOutcome,
    RetestOutcome,
    SamplingType,
)
from jianguan.sampling.services import (
    Item,
    sample_dispose,
    sample_objection,
    sample_open_lead,
    sample_result,
    sample_retest_request,
    sample_retest_result,
    sample_serve,
)

from .factories import sampled, unqualified

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def served(org):
    sample = unqualified(org, actor=org.users.east, sampled_on=D(2026, 9, 1), report_on=D(2026, 9, 28))
    return sample_serve(actor=org.users.east, sample=sample, served_on=D(2026, 9, 29))


def test_a_retest_asked_in_time_and_found_qualified_ends_the_disposal(org, served):
    sample = sample_retest_request(actor=org.users.east, sample=served, requested_on=D(2026, 10, 14), institution="省检院")
    assert sample.retest_requested_on == D(2026, 10, 14)
    sample = sample_retest_result(actor=org.users.east, sample=sample, report_on=D(2026, 11, 2), outcome=RetestOutcome.OVERTURNED)
    assert sample.conclusion == Conclusion.QUALIFIED
    assert sample.disposal_status == DisposalStatus.NONE and sample.disposal_due is None


def test_a_retest_asked_after_seven_working_days_is_refused(org, served):
    with pytest.raises(DomainError, match="已逾期") as err:
        sample_retest_request(actor=org.users.east, sample=served, requested_on=D(2026, 10, 15))
    assert err.value.extra["field"] == "retest_requested_on"
    served.refresh_from_db()
    assert served.retest_requested_on is None


def test_no_retest_before_the_result_is_served(org):
    sample = unqualified(org, sampled_on=D(2026, 9, 1), report_on=D(2026, 9, 28))
    with pytest.raises(DomainError, match="尚未送达"):
        sample_retest_request(actor=None, sample=sample, requested_on=D(2026, 9, 30))


def test_an_accepted_objection_cancels_the_result(org, served):
    sample = sample_objection(actor=None, sample=served, objection_on=D(2026, 10, 9), outcome=ObjectionOutcome.ACCEPTED,
                              decided_on=D(2026, 10, 20))
    assert sample.conclusion == Conclusion.QUALIFIED and sample.disposal_status == DisposalStatus.NONE


def test_a_rejected_objection_leaves_the_disposal_running(org, served):
    sample = sample_objection(actor=None, sample=served, objection_on=D(2026, 10, 9), outcome=ObjectionOutcome.REJECTED,
                              decided_on=D(2026, 10, 20))
    assert sample.conclusion == Conclusion.UNQUALIFIED and sample.disposal_status == DisposalStatus.DISPOSING


def test_disposal_needs_cause_and_a_case_decision(org, served):
    with pytest.raises(DomainError, match="原因排查"):
        sample_dispose(actor=org.users.east, sample=served, disposed_on=D(2026, 11, 1), cause="")
    with pytest.raises(DomainError, match="移交案件线索") as err:
        sample_dispose(actor=org.users.east, sample=served, disposed_on=D(2026, 11, 1), cause="进货查验不严")
    assert err.value.extra["field"] == "no_case_reason"
    with pytest.raises(DomainError, match="数量单位"):
        sample_dispose(actor=org.users.east, sample=served, disposed_on=None, cause="", removed_qty=Decimal("12"))
    served.refresh_from_db()
    assert served.disposed_on is None and served.version == 3  # nothing written by the refused calls


def test_disposal_in_progress_then_completed_with_a_lead(org, served):
    east = org.users.east
    sample = sample_dispose(actor=east, sample=served, disposed_on=None, cause="", removed_qty=Decimal("12"), qty_unit="瓶")
    assert sample.disposal_status == DisposalStatus.DISPOSING and sample.lead is None
    sample = sample_dispose(actor=east, sample=sample, disposed_on=D(2026, 10, 30), cause="进货查验不严", removed_qty=Decimal("12"),
                            destroyed_qty=Decimal("12"), qty_unit="瓶", stopped_selling=True, open_lead=True, version=sample.version)
    assert sample.disposal_status == DisposalStatus.DISPOSED
    lead = Lead.objects.get(pk=sample.lead_id)
    assert (lead.source, lead.status, lead.received_on) == (LeadSource.SAMPLING, LeadStatus.PENDING, D(2026, 10, 30))
    assert lead.source_ref == f"sampling.sample:{sample.pk}" and lead.business_id == sample.business_id
    assert lead.subdistrict == org.subs["dongguan"] and "苯甲酸及其钠盐" in lead.summary
    assert LogEntry.objects.get_for_object(sample).count() >= 4  # recorded, result, served, disposed…


def test_an_unqualified_sample_opens_one_lead_counted_once(org, served):
    sample = sample_open_lead(actor=org.users.east, sample=served, received_on=D(2026, 10, 9))
    with pytest.raises(DomainError, match="不能重复移交"):
        sample_open_lead(actor=org.users.east, sample=sample, received_on=D(2026, 10, 10))
    # Disposing afterwards with "open a lead" ticked reuses it.
    sample = sample_dispose(actor=org.users.east, sample=sample, disposed_on=D(2026, 11, 2), cause="供货商问题", open_lead=True)
    assert Lead.objects.filter(source_ref=f"sampling.sample:{sample.pk}").count() == 1
    values = compute(["leads.received"], Params.build(period="2026Q4"))
    assert values["leads.received"] == 1 and values["leads.received[抽检]"] == 1


def test_result_cannot_change_once_a_lead_is_open(org, served):
    sample = sample_open_lead(actor=None, sample=served, received_on=D(2026, 10, 9))
    with pytest.raises(DomainError, match="检验结论不能再改"):
        sample_result(actor=None, sample=sample, report_on=D(2026, 9, 28), conclusion=Conclusion.QUALIFIED)


def test_risk_monitoring_gives_problem_samples_not_unqualified(org):
    sample = sampled(org, sampling_type=SamplingType.RISK)
    with pytest.raises(DomainError, match="合格、问题样品"):
        sample_result(actor=None, sample=sample, report_on=D(2026, 9, 20), conclusion=Conclusion.UNQUALIFIED, items=[Item("铅")])
    sample = sample_result(actor=None, sample=sample, report_on=D(2026, 9, 20), conclusion=Conclusion.PROBLEM, items=[Item("铅")])
    assert sample.disposal_status == DisposalStatus.NONE and sample.disposal_due is None
    with pytest.raises(DomainError, match="不合格的样品才需要"):
        sample_dispose(actor=None, sample=sample, disposed_on=D(2026, 10, 1), cause="x", no_case_reason="y")


def test_an_unqualified_result_needs_its_items(org):
    sample = sampled(org)
    with pytest.raises(DomainError, match="至少填写一个不合格项目"):
        sample_result(actor=None, sample=sample, report_on=D(2026, 9, 20), conclusion=Conclusion.UNQUALIFIED)


def test_who_may_write(org, served):
    with pytest.raises(PermissionDenied):  # another station's jurisdiction
        sample_serve(actor=org.users.west, sample=served, served_on=D(2026, 9, 30))
    with pytest.raises(PermissionDenied):  # leadership reads
        sample_open_lead(actor=org.users.leader, sample=served, received_on=D(2026, 10, 9))
    sample = sample_open_lead(actor=org.users.dept, sample=served, received_on=D(2026, 10, 9))  # departments: bureau-wide
    assert sample.lead_id


def test_a_stale_version_is_refused(org, served):
    from jianguan.core.errors import ConcurrentEdit

    with pytest.raises(ConcurrentEdit):
        sample_serve(actor=None, sample=served, served_on=D(2026, 9, 30), version=served.version - 1)


def test_the_lead_page_links_back_to_the_sample(client, org, served):
    sample = sample_open_lead(actor=org.users.east, sample=served, received_on=D(2026, 10, 9))
    client.force_login(org.users.east)
    page = client.get(f"/cases/leads/{sample.lead_id}/").content.decode()
    assert f'href="/sampling/{sample.pk}/" id="source-link">抽检不合格：{sample.number}' in page


def test_a_lead_about_a_market_stall_names_a_person(org):
    from jianguan.cases.choices import RespondentKind

    sample = unqualified(org, business_name="王秀英", subdistrict=org.subs["dongguan"], sampled_on=D(2026, 9, 1), report_on=D(2026, 9, 28))
    sample = sample_open_lead(actor=org.users.east, sample=sample, received_on=D(2026, 10, 9))
    lead = Lead.objects.get(pk=sample.lead_id)
    assert (lead.respondent_kind, lead.respondent_name, lead.subdistrict) == (RespondentKind.PERSON, "王秀英", org.subs["dongguan"])
