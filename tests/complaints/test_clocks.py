"""Statutory clocks on the working-day calendar, checked against an independent reckoning on the
official calendar, around the 2026 National Day holidays and into 2027 (not yet published: 暂定)."""

import datetime as dt

import pytest

from jianguan.complaints.choices import Kind, MediationOutcome, OdrOutcome, Status
from jianguan.complaints.models import OdrEnterprise
from jianguan.complaints.services.handling import (
    complaint_accept,
    filing_extend,
    mediation_end,
    mediation_pause,
    mediation_resume,
    odr_end,
    odr_start,
)
from jianguan.core.errors import DomainError

from .official import add_working_days

pytestmark = pytest.mark.django_db
HOLIDAY_DATES = [dt.date(2026, 9, 30), dt.date(2026, 10, 9), dt.date(2026, 12, 28)]


@pytest.mark.parametrize("day", HOLIDAY_DATES)
def test_acceptance_and_filing_deadlines_equal_the_official_calendar(receive, today, day):
    today(day)
    complaint = receive(Kind.COMPLAINT, day)
    report = receive(Kind.REPORT, day, content="该超市销售过期牛奶，请依法查处。")
    assert (complaint.accept_due, complaint.accept_due_provisional) == add_working_days(day, 7)
    assert (report.filing_due, report.filing_due_provisional) == add_working_days(day, 15)
    assert complaint.filing_due is None and report.accept_due is None


def test_the_national_day_holidays_are_skipped_and_2027_is_provisional(receive, today):
    today(dt.date(2026, 12, 28))
    assert receive(Kind.COMPLAINT, dt.date(2026, 9, 30)).accept_due == dt.date(2026, 10, 15)
    late = receive(Kind.COMPLAINT, dt.date(2026, 12, 28), content="另一件：买到的面包发霉。")
    assert late.accept_due_provisional and late.accept_due == dt.date(2027, 1, 6)


def test_mediation_runs_45_working_days_from_acceptance_and_a_pause_extends_it(receive, today):
    today(dt.date(2026, 10, 9))
    complaint = receive(Kind.COMPLAINT, dt.date(2026, 9, 30))
    complaint = complaint_accept(actor=None, pk=complaint.pk, version=complaint.version, on=dt.date(2026, 10, 9))
    assert (complaint.mediation_due, complaint.mediation_due_provisional) == add_working_days(dt.date(2026, 10, 9), 45)
    today(dt.date(2026, 11, 2))
    complaint = mediation_pause(actor=None, pk=complaint.pk, version=complaint.version, note="送检牛奶", on=dt.date(2026, 10, 12))
    complaint = mediation_resume(actor=None, pk=complaint.pk, version=complaint.version, on=dt.date(2026, 10, 19))
    # 10-13 … 10-19: five working days paused, so five more at the end.
    assert complaint.paused_working_days == 5
    assert complaint.mediation_due == add_working_days(dt.date(2026, 10, 9), 50)[0]
    complaint = mediation_end(
        actor=None, pk=complaint.pk, version=complaint.version, outcome=MediationOutcome.SUCCESS, recovered_amount="258",
        on=dt.date(2026, 11, 2),
    )
    assert complaint.status == Status.MEDIATED and complaint.recovered_amount == 258
    assert complaint.notify_due == add_working_days(dt.date(2026, 11, 2), 7)[0]


def test_odr_days_do_not_count_toward_the_acceptance_clock(receive, shop, today):
    OdrEnterprise.objects.create(business=shop, joined_on=dt.date(2025, 1, 1))
    today(dt.date(2026, 10, 20))
    complaint = receive(Kind.COMPLAINT, dt.date(2026, 9, 30))
    complaint = odr_start(actor=None, pk=complaint.pk, version=complaint.version, on=dt.date(2026, 9, 30))
    assert complaint.status == Status.ODR and complaint.accept_due is None
    complaint = odr_end(actor=None, pk=complaint.pk, version=complaint.version, outcome=OdrOutcome.FAILED, on=dt.date(2026, 10, 12))
    # 10-08, 10-09, 10-10 (a make-up Saturday) and 10-12 were the ODR's: 7 + 4 working days from receipt.
    assert complaint.odr_working_days == 4
    assert complaint.status == Status.RECEIVED
    assert complaint.accept_due == add_working_days(dt.date(2026, 9, 30), 11)[0]


def test_odr_needs_a_listed_odr_enterprise(receive, today):
    complaint = receive(Kind.COMPLAINT, dt.date(2026, 9, 30))
    with pytest.raises(DomainError, match="ODR"):
        odr_start(actor=None, pk=complaint.pk, version=complaint.version, on=dt.date(2026, 10, 9))


def test_the_filing_decision_may_be_extended_once_with_an_approval(receive, today):
    today(dt.date(2026, 10, 20))
    report = receive(Kind.REPORT, dt.date(2026, 10, 9), content="该超市销售过期牛奶。")
    with pytest.raises(DomainError, match="批准"):
        filing_extend(actor=None, pk=report.pk, version=report.version, approved_by="", reason="需检验", on=dt.date(2026, 10, 20))
    report = filing_extend(actor=None, pk=report.pk, version=report.version, approved_by="李局长", reason="需送检", on=dt.date(2026, 10, 20))
    assert report.filing_due == add_working_days(dt.date(2026, 10, 9), 30)[0]
    assert report.events.filter(action="延长立案决定期限", note__contains="李局长").exists()
    with pytest.raises(DomainError, match="只能延长一次"):
        filing_extend(actor=None, pk=report.pk, version=report.version, approved_by="李局长", reason="再延", on=dt.date(2026, 10, 20))


def test_an_extension_must_be_approved_before_the_deadline_passes(receive, today):
    today(dt.date(2026, 11, 20))
    report = receive(Kind.REPORT, dt.date(2026, 10, 9), content="该超市销售过期牛奶。")
    assert report.filing_due == add_working_days(dt.date(2026, 10, 9), 15)[0] == dt.date(2026, 10, 29)
    with pytest.raises(DomainError, match="期限届满前"):
        filing_extend(actor=None, pk=report.pk, version=report.version, approved_by="李局长", reason="需送检", on=dt.date(2026, 11, 2))
