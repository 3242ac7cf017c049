"""The workflows end to end, with their on-time judgement, the case lead and the timeline."""

import datetime as dt

import pytest

from jianguan.cases.choices import LeadSource
from jianguan.cases.models import Lead
from jianguan.complaints.choices import FilingDecision, Kind, MediationOutcome, RefusalReason, Status
from jianguan.complaints.services.handling import (
    complaint_accept,
    complaint_refuse,
    complaint_take,
    inquiry_answer,
    mediation_end,
    parties_notify,
    report_decide,
)
from jianguan.core.errors import DomainError

pytestmark = pytest.mark.django_db


def test_complaint_accepted_mediated_told_and_closed_on_time(receive, org, today):
    today(dt.date(2026, 10, 30))
    c = receive()
    c = complaint_take(actor=org.users.east, pk=c.pk, version=c.version, on=dt.date(2026, 10, 8))
    c = complaint_accept(actor=org.users.east, pk=c.pk, version=c.version, on=dt.date(2026, 10, 9))
    with pytest.raises(DomainError, match="只有调解成功"):
        mediation_end(actor=org.users.east, pk=c.pk, version=c.version, outcome=MediationOutcome.FAILED, recovered_amount="5")
    c = mediation_end(
        actor=org.users.east, pk=c.pk, version=c.version, outcome=MediationOutcome.SUCCESS, recovered_amount="258.00",
        on=dt.date(2026, 10, 20),
    )
    c = parties_notify(actor=org.users.east, pk=c.pk, version=c.version, on=dt.date(2026, 10, 22), note="电话告知双方")
    assert (c.status, c.closed_on, c.closed_on_time) == (Status.CLOSED, dt.date(2026, 10, 22), True)
    assert [e.action for e in c.events.all()] == ["登记", "承办", "受理", "调解终结", "告知"]
    assert c.handler == org.users.east


def test_a_late_acceptance_makes_the_complaint_late(receive, org, today):
    today(dt.date(2026, 11, 20))
    c = receive()
    c = complaint_accept(actor=org.users.east, pk=c.pk, version=c.version, on=dt.date(2026, 10, 16))  # due 10-15
    c = mediation_end(actor=org.users.east, pk=c.pk, version=c.version, outcome=MediationOutcome.FAILED, on=dt.date(2026, 11, 2))
    c = parties_notify(actor=org.users.east, pk=c.pk, version=c.version, on=dt.date(2026, 11, 3))
    assert c.closed_on_time is False


def test_refusal_needs_an_enumerated_reason(receive, org, today):
    c = receive()
    with pytest.raises(DomainError, match="不予受理的理由"):
        complaint_refuse(actor=org.users.east, pk=c.pk, version=c.version, reason="", on=dt.date(2026, 10, 9))
    with pytest.raises(DomainError, match="不予受理说明"):
        complaint_refuse(actor=org.users.east, pk=c.pk, version=c.version, reason=RefusalReason.OTHER, on=dt.date(2026, 10, 9))
    c = complaint_refuse(actor=org.users.east, pk=c.pk, version=c.version, reason=RefusalReason.TOO_OLD, on=dt.date(2026, 10, 9))
    assert c.status == Status.CLOSED and c.closed_on_time
    assert "超过三年" in c.events.last().note


def test_a_filed_report_opens_a_case_lead_and_the_named_reporter_is_told(receive, org, shop, today):
    today(dt.date(2026, 10, 30))
    r = receive(Kind.REPORT, content="超市销售过期牛奶")
    r = report_decide(
        actor=org.users.east, pk=r.pk, version=r.version, decision=FilingDecision.FILED, note="现场查见过期牛奶 12 盒",
        on=dt.date(2026, 10, 20),
    )
    lead = Lead.objects.get()
    assert r.case_lead == lead and lead.business == shop and r.number in lead.summary
    assert lead.source == LeadSource.COMPLAINT and lead.source_ref == f"complaints.complaint:{r.pk}"
    assert r.status == Status.DECIDED and r.notify_due == dt.date(2026, 10, 27)
    r = parties_notify(actor=org.users.east, pk=r.pk, version=r.version, on=dt.date(2026, 10, 26))
    assert r.status == Status.CLOSED and r.closed_on_time


def test_an_anonymous_report_closes_with_the_decision(receive, org, today):
    r = receive(Kind.REPORT, complainant_name="", complainant_phone="", content="有人卖假烟")
    r = report_decide(
        actor=org.users.east, pk=r.pk, version=r.version, decision=FilingDecision.NOT_FILED, note="现场未发现", on=dt.date(2026, 10, 9)
    )
    assert r.status == Status.CLOSED and r.notify_due is None and not Lead.objects.exists()


def test_filing_needs_an_identified_business(receive, org, today):
    r = receive(Kind.REPORT, respondent_uscc="", respondent_name="无名小摊", subdistrict_text="东关街道", content="卖过期食品")
    assert r.business is None and r.status == Status.VERIFYING
    with pytest.raises(DomainError, match="关联被举报的登记市场主体"):
        report_decide(actor=org.users.east, pk=r.pk, version=r.version, decision=FilingDecision.FILED, note="x", on=dt.date(2026, 10, 9))
    assert not Lead.objects.exists()


def test_an_inquiry_is_answered_and_closed(receive, org, today):
    q = receive(Kind.INQUIRY, respondent_name="", respondent_uscc="", respondent_address="", content="个体户怎么办营业执照？")
    assert q.status == Status.RECEIVED and q.station is None  # the bureau answers; no station needed
    q = inquiry_answer(actor=org.users.dept, pk=q.pk, version=q.version, answer="可在政务服务网办理", on=dt.date(2026, 10, 9))
    assert q.status == Status.CLOSED and q.answer


def test_steps_out_of_order_and_stale_versions_are_refused(receive, org, today):
    c = receive()
    with pytest.raises(DomainError, match="不能变为"):
        parties_notify(actor=org.users.east, pk=c.pk, version=c.version, on=dt.date(2026, 10, 9))
    with pytest.raises(DomainError, match="投诉，不能办理举报"):
        report_decide(actor=org.users.east, pk=c.pk, version=c.version, decision=FilingDecision.FILED, note="x")
    complaint_accept(actor=org.users.east, pk=c.pk, version=c.version, on=dt.date(2026, 10, 9))
    with pytest.raises(DomainError, match="已被他人办理"):
        complaint_accept(actor=org.users.east, pk=c.pk, version=c.version, on=dt.date(2026, 10, 9))
    with pytest.raises(DomainError, match="只读"):
        complaint_take(actor=org.users.leader, pk=c.pk, version=None)
