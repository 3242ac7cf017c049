"""The clocks of a sample (SAMR Order 15) on the official calendar, around the 2026 中秋/国庆 holidays and the
year end (2027's calendar not yet published: 暂定, then fixed when an administrator enters it), and the
rules as versions: a new version applies to samples whose clock starts on or after its date."""

import datetime as dt

import pytest

from jianguan.core.deadlines import calendar_refresh
from jianguan.core.models import CalendarDay, CalendarYear, ProvisionalDeadline, Rule
from jianguan.sampling.choices import Conclusion, DisposalStatus
from jianguan.sampling.models import Sample
from jianguan.sampling.rules import disposed_in_time, overdue, pass_rate, per_thousand
from jianguan.sampling.services import sample_result, sample_send, sample_serve

from .factories import sampled, unqualified

D = dt.date
pytestmark = pytest.mark.django_db


def test_send_and_report_clocks_skip_the_mid_autumn_and_national_day_holidays(org):
    # 9-25 中秋, 10-1..10-7 国庆; 10-10 (Saturday) is a make-up working day.
    sample = sampled(org, sampled_on=D(2026, 9, 24))
    assert sample.send_due == D(2026, 10, 9)  # 9-28, 9-29, 9-30, 10-8, 10-9
    assert sample.report_due is None  # not sent yet: the institution's clock has not started
    sample = sample_send(actor=None, sample=sample, sent_on=D(2026, 9, 30))
    # 20 working days from receipt: 10-8, 10-9, 10-10 (make-up Saturday), 10-12 … 10-30, 11-2, 11-3
    assert sample.report_due == D(2026, 11, 3)
    assert sample.disposal_status == DisposalStatus.AWAITING


def test_unqualified_result_starts_service_and_disposal_clocks(org):
    sample = unqualified(org, sampled_on=D(2026, 9, 1), report_on=D(2026, 9, 28))
    assert sample.service_due == D(2026, 10, 10)  # 5 working days: 9-29, 9-30, 10-8, 10-9, 10-10 (make-up day)
    assert sample.disposal_due == D(2026, 12, 28)  # 90 days = 12-27, a Sunday: next working day
    assert sample.disposal_status == DisposalStatus.DISPOSING
    assert sample.retest_due is None  # runs from service
    sample = sample_serve(actor=None, sample=sample, served_on=D(2026, 9, 29))
    assert sample.retest_due == sample.objection_due == D(2026, 10, 14)  # 7 working days from service
    assert not sample.dues_provisional


def test_a_disposal_deadline_on_national_day_moves_to_the_first_working_day(org):
    sample = unqualified(org, sampled_on=D(2026, 6, 20), report_on=D(2026, 7, 5))
    assert sample.disposal_due == D(2026, 10, 8)  # 90 days = 10-03, inside the holiday


def test_a_qualified_result_runs_no_disposal_clock(org):
    sample = sampled(org, sampled_on=D(2026, 9, 1))
    sample = sample_result(actor=None, sample=sample, report_on=D(2026, 9, 20), conclusion=Conclusion.QUALIFIED)
    assert sample.service_due is None and sample.disposal_due is None
    assert sample.disposal_status == DisposalStatus.NONE


def test_year_end_clocks_are_provisional_until_2027_is_entered(org):
    sample = unqualified(org, sampled_on=D(2026, 9, 20), report_on=D(2026, 10, 3))
    assert sample.disposal_due == D(2027, 1, 1)  # 2027 unknown: Monday–Friday assumed
    assert sample.dues_provisional
    registered = ProvisionalDeadline.objects.get(app_label="sampling", object_ref=f"sample:{sample.pk}", resolved_at__isnull=True)
    assert (registered.field_name, registered.calendar_days) == ("disposal_due", 90)

    CalendarDay.objects.create(date=D(2027, 1, 1), is_workday=False, name="元旦", source_document="测试通知")
    CalendarYear.objects.create(year=2027, source_document="测试通知")
    calendar_refresh()
    sample.refresh_from_db()
    assert sample.disposal_due == D(2027, 1, 4)  # 1-1 元旦, 1-2/1-3 weekend
    assert not sample.dues_provisional


def test_a_clock_that_leaves_2027_is_no_longer_registered(org):
    sample = unqualified(org, sampled_on=D(2026, 9, 1), report_on=D(2026, 12, 28))
    assert sample.service_due == D(2027, 1, 4) and sample.dues_provisional
    # The report date was mistyped: corrected to September, every clock is now in 2026's known calendar.
    sample = sample_result(actor=None, sample=sample, report_on=D(2026, 9, 20), conclusion=Conclusion.UNQUALIFIED,
                           items=[_item()])
    assert not sample.dues_provisional
    assert not ProvisionalDeadline.objects.filter(object_ref=f"sample:{sample.pk}", resolved_at__isnull=True).exists()


def test_a_new_rule_version_applies_from_its_date(org):
    Rule.objects.create(key="sampling.disposal_days", label="核查处置期限", value="60", unit="calendar_day",
                        valid_from=D(2026, 9, 1), source_document="测试修订")
    before = unqualified(org, sampled_on=D(2026, 8, 1), report_on=D(2026, 8, 31))
    after = unqualified(org, sampled_on=D(2026, 8, 1), report_on=D(2026, 9, 1))
    assert before.disposal_due == D(2026, 11, 30)  # 90 days
    assert after.disposal_due == D(2026, 10, 31) + dt.timedelta(days=2)  # 60 days = 10-31 (Sat) -> Mon 11-2


def _item():
    from jianguan.sampling.services import Item

    return Item("苯甲酸及其钠盐", "1.2", "0.5", "g/kg")


def test_pure_rules():
    assert pass_rate(0, 0) is None
    assert str(pass_rate(42, 1)) == "97.67"  # seed 004's 合格率97.67%
    assert per_thousand(12, None) is None
    assert str(per_thousand(2450, 612345)) == "4.00"
    assert disposed_in_time(D(2026, 12, 28), D(2026, 12, 28))
    assert not disposed_in_time(D(2026, 12, 29), D(2026, 12, 28))
    assert not disposed_in_time(None, D(2026, 12, 28))
    assert overdue(due=D(2026, 12, 1), done_on=None, as_of=D(2026, 12, 2))
    assert not overdue(due=D(2026, 12, 1), done_on=None, as_of=D(2026, 12, 1))
    assert overdue(due=D(2026, 12, 1), done_on=D(2026, 12, 5), as_of=D(2026, 12, 3))  # done later than the as-of date


def test_a_sample_number_is_unique(org):
    sampled(org, number="DC2601")
    from jianguan.core.errors import DomainError

    with pytest.raises(DomainError, match="已登记"):
        sampled(org, number="DC2601")
    assert Sample.objects.filter(number="DC2601").count() == 1
