"""The rectification loop end to end, on the working-day calendar."""

import datetime as dt

import pytest

from jianguan.core.errors import ConcurrentEdit, DomainError
from jianguan.inspections.choices import DocumentKind, FindingStatus, InspectionKind
from jianguan.inspections.models import Document, Finding, Inspection
from jianguan.inspections.selectors import overdue_findings, overdue_rechecks
from jianguan.inspections.services.findings import (
    document_issue,
    finding_recheck,
    finding_report,
    finding_update,
)
from jianguan.inspections.services.inspections import inspection_create

from ..factories import BusinessFactory
from .factories import inspection_with_finding, inspector, team

pytestmark = pytest.mark.django_db


def test_notice_report_recheck_closed_with_working_day_clocks(org):
    inspection, finding, inspectors = inspection_with_finding(org, date=dt.date(2026, 9, 24), deadline=dt.date(2026, 9, 30))
    notice = document_issue(
        actor=inspectors[0], inspection=inspection, kind=DocumentKind.RECTIFICATION_NOTICE, findings=[finding], issued_on=dt.date(2026, 9, 24)
    )
    assert notice.number == "市监责改〔2026〕1号"
    # Reported on the last working day before the National Day holidays (10-01..07 off, Saturday
    # 10-10 worked): 10-08, 09, 10, 12…16, 19, 20 are the ten working days.
    report = finding_report(actor=inspectors[0], pk=finding.pk, version=finding.version, submitted_on=dt.date(2026, 9, 30), text="已更换灭火器")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.REPORTED
    assert finding.recheck_due == dt.date(2026, 10, 20)
    assert not finding.recheck_due_provisional
    assert list(overdue_rechecks(actor=org.users.dept, on=dt.date(2026, 10, 21))) == [finding]
    assert list(overdue_rechecks(actor=org.users.dept, on=dt.date(2026, 10, 20))) == []
    checkers = team(org.east)
    recheck = finding_recheck(actor=checkers[0], pk=finding.pk, version=finding.version, date=dt.date(2026, 10, 12), passed=True, inspectors=checkers)
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CLOSED and finding.closed_on == dt.date(2026, 10, 12)
    assert recheck.inspection.kind == InspectionKind.FOLLOW_UP and recheck.inspection.is_done
    assert report.submitted_by == inspectors[0]


def test_overdue_finding_is_listed_as_not_rectified(org):
    _, finding, _ = inspection_with_finding(org, date=dt.date(2026, 9, 1), deadline=dt.date(2026, 9, 15))
    assert list(overdue_findings(actor=org.users.east, on=dt.date(2026, 9, 16))) == [finding]
    assert list(overdue_findings(actor=org.users.east, on=dt.date(2026, 9, 15))) == []
    assert list(overdue_findings(actor=org.users.west, on=dt.date(2026, 9, 16))) == []


def test_recheck_by_the_reporter_is_refused(org):
    _, finding, inspectors = inspection_with_finding(org)
    finding_report(actor=inspectors[0], pk=finding.pk, version=finding.version, submitted_on=dt.date(2026, 9, 10), text="已整改")
    finding.refresh_from_db()
    with pytest.raises(DomainError, match="复查须由其他执法人员"):
        finding_recheck(actor=inspectors[0], pk=finding.pk, version=finding.version, date=dt.date(2026, 9, 11), passed=True, inspectors=inspectors)
    assert Finding.objects.get(pk=finding.pk).status == FindingStatus.REPORTED


def test_one_inspector_or_expired_certificate_is_refused(org):
    business = BusinessFactory(subdistrict=org.subs["dongguan"])
    one = inspector(org.east)
    before = Inspection.objects.count()
    with pytest.raises(DomainError, match="不少于2名"):
        inspection_create(actor=one, kind=InspectionKind.ROUTINE, business=business, date=dt.date(2026, 9, 1), inspectors=[one])
    expired = inspector(org.east, valid_until=dt.date(2026, 8, 31))
    with pytest.raises(DomainError, match="已失效"):
        inspection_create(actor=one, kind=InspectionKind.ROUTINE, business=business, date=dt.date(2026, 9, 1), inspectors=[one, expired])
    assert Inspection.objects.count() == before
    # The business's own self-inspection needs no certificates.
    inspection_create(actor=one, kind=InspectionKind.SELF, business=business, date=dt.date(2026, 9, 1), performed_by="企业安全员")


def test_concurrent_edit_of_a_finding_is_refused(org):
    _, finding, inspectors = inspection_with_finding(org)
    stale = finding.version
    finding_update(actor=inspectors[0], pk=finding.pk, version=stale, description="灭火器压力不足")
    with pytest.raises(ConcurrentEdit, match="已被他人修改"):
        finding_update(actor=inspectors[1], pk=finding.pk, version=stale, description="另一个描述")
    assert Finding.objects.get(pk=finding.pk).description == "灭火器压力不足"


def test_document_number_not_consumed_by_a_rejected_document(org):
    inspection, finding, inspectors = inspection_with_finding(org)
    with pytest.raises(DomainError, match="特种设备"):
        document_issue(actor=inspectors[0], inspection=inspection, kind=DocumentKind.SUPERVISION_ORDER, findings=[finding], issued_on=inspection.date)
    assert not Document.objects.exists()
