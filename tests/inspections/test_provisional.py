"""A re-check due in a year whose calendar is not yet published is provisional, then recomputed."""

import datetime as dt

import pytest

from jianguan.core.deadlines import calendar_refresh
from jianguan.core.models import CalendarDay, CalendarYear
from jianguan.inspections.services.findings import finding_report

from .factories import inspection_with_finding

pytestmark = pytest.mark.django_db


def test_provisional_recheck_due_follows_the_calendar_once_entered(org):
    _, finding, inspectors = inspection_with_finding(org, date=dt.date(2026, 12, 20), deadline=dt.date(2026, 12, 28))
    finding_report(actor=inspectors[0], pk=finding.pk, version=finding.version, submitted_on=dt.date(2026, 12, 28), text="已整改")
    finding.refresh_from_db()
    # 12-29, 30, 31 are known; the other seven fall in 2027, counted on weekdays for now.
    assert finding.recheck_due_provisional
    assert finding.recheck_due == dt.date(2027, 1, 11)
    # The 2027 schedule arrives: New Year's Day off, and an extra day off on Monday 01-04.
    for day, name in ((dt.date(2027, 1, 1), "元旦"), (dt.date(2027, 1, 4), "元旦调休")):
        CalendarDay.objects.create(date=day, is_workday=False, name=name, source_document="测试通知")
    CalendarYear.objects.create(year=2027, source_document="测试通知")
    calendar_refresh()
    finding.refresh_from_db()
    assert not finding.recheck_due_provisional
    assert finding.recheck_due == dt.date(2027, 1, 13)
