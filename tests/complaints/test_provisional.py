"""A clock reaching 2027 (no published calendar yet) is 暂定 and follows `calendar refresh` once the
year's schedule is entered."""

import datetime as dt

import pytest

from jianguan.complaints.choices import Kind
from jianguan.core.deadlines import calendar_refresh, provisional_deadlines
from jianguan.core.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db


def test_provisional_clocks_are_registered_and_recomputed(receive, today):
    today(dt.date(2026, 12, 28))
    complaint = receive(Kind.COMPLAINT, dt.date(2026, 12, 28))
    report = receive(Kind.REPORT, dt.date(2026, 12, 28), content="该超市销售过期牛奶。")
    assert complaint.accept_due == dt.date(2027, 1, 6) and complaint.accept_due_provisional
    assert report.filing_due == dt.date(2027, 1, 18) and report.filing_due_provisional
    registered = {(row.object_ref, row.field_name) for row in provisional_deadlines()}
    assert {(f"complaint:{complaint.pk}", "accept_due"), (f"complaint:{report.pk}", "filing_due")} <= registered

    CalendarDay.objects.create(date=dt.date(2027, 1, 1), is_workday=False, name="元旦", source_document="测试通知")
    CalendarYear.objects.create(year=2027, source_document="测试通知")
    calendar_refresh()
    complaint.refresh_from_db()
    report.refresh_from_db()
    # New Year's Day (a Friday) is now a holiday: each clock moves one working day later, and is final.
    assert (complaint.accept_due, complaint.accept_due_provisional) == (dt.date(2027, 1, 7), False)
    assert (report.filing_due, report.filing_due_provisional) == (dt.date(2027, 1, 19), False)


def test_a_closed_item_is_judged_again_when_its_deadline_becomes_final(receive, today):
    from jianguan.complaints.choices import RefusalReason
    from jianguan.complaints.services.handling import complaint_refuse

    today(dt.date(2027, 1, 7))
    complaint = receive(Kind.COMPLAINT, dt.date(2026, 12, 28))
    assert complaint.accept_due == dt.date(2027, 1, 6)
    complaint = complaint_refuse(
        actor=None, pk=complaint.pk, version=complaint.version, reason=RefusalReason.TOO_OLD, on=dt.date(2027, 1, 7)
    )
    assert complaint.closed_on_time is False  # a day after the provisional deadline
    CalendarDay.objects.create(date=dt.date(2027, 1, 1), is_workday=False, name="元旦", source_document="测试通知")
    CalendarYear.objects.create(year=2027, source_document="测试通知")
    calendar_refresh()
    complaint.refresh_from_db()
    assert complaint.accept_due == dt.date(2027, 1, 7) and complaint.closed_on_time is True


def test_the_acceptance_clock_stays_stopped_in_odr_through_a_refresh(receive, shop, today):
    from jianguan.complaints.models import OdrEnterprise
    from jianguan.complaints.services.handling import odr_start

    OdrEnterprise.objects.create(business=shop, joined_on=dt.date(2025, 1, 1))
    today(dt.date(2026, 12, 28))
    complaint = receive(Kind.COMPLAINT, dt.date(2026, 12, 28))
    complaint = odr_start(actor=None, pk=complaint.pk, version=complaint.version, on=dt.date(2026, 12, 28))
    CalendarYear.objects.create(year=2027, source_document="测试通知")
    calendar_refresh()
    complaint.refresh_from_db()
    assert complaint.accept_due is None
