"""Annual reports (年度报告): one filing at a time (`annual_report_file`) and the rows of a ledger file
(`annual_reports_import`), and what a filing does to the abnormal list.

A filing for year Y restores an individual business marked (标记为经营异常状态) for not filing: every
LISTED mark with reason 未按规定报送年度报告 and report year Y or earlier ends (REMOVED, reason FILED,
removed on the filing date, or the listing date when the filing is older). It happens in the same
transaction as the filing, for a single filing and for a file alike: a business that files is never left
marked. Enterprises and cooperatives leave the list only on application (helper B's repairs).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from jianguan.businesses.models import Business
from jianguan.core.errors import DomainError
from jianguan.core.services import acting
from jianguan.org.models import User

from ..choices import AbnormalReason, EntryKind, EntryStatus, RemovalReason
from ..models import AbnormalEntry, AnnualReport
from .common import check_writer

MIN_YEAR = 2000


def check_filing(year: int, filed_on: dt.date, today: dt.date) -> list[tuple[str, str]]:
    """The (field, reason) pairs a filing breaks: a report for year Y is filed from Jan 1 of Y+1, and
    never in the future. Shared by the form, the service and the ledger so that they refuse alike."""
    problems = []
    if not (MIN_YEAR <= year <= today.year - 1):
        problems.append(("year", f"年度 {year} 不在可报送的范围内（{MIN_YEAR}—{today.year - 1} 年）"))
        return problems
    if filed_on > today:
        problems.append(("filed_on", f"报送日期 {filed_on} 晚于今天（{today}）"))
    elif filed_on < dt.date(year + 1, 1, 1):
        problems.append(("filed_on", f"报送日期 {filed_on} 早于 {year + 1}-01-01：{year} 年度报告自次年1月1日起报送"))
    return problems


def restore_marks(filings: Iterable[tuple[int, int, dt.date]]) -> list[AbnormalEntry]:
    """End the marks that filings (business id, year, filed on) cure; returns the entries removed.
    Each entry is saved on its own so that the audit log records it (there are few: marks are per business)."""
    by_business: dict[int, list[tuple[int, dt.date]]] = {}
    for business_id, year, filed_on in filings:
        by_business.setdefault(business_id, []).append((year, filed_on))
    if not by_business:
        return []
    removed = []
    marks = AbnormalEntry.objects.filter(
        business_id__in=list(by_business), kind=EntryKind.MARK, reason=AbnormalReason.NO_ANNUAL_REPORT,
        status=EntryStatus.LISTED,
    ).order_by("pk")
    for entry in marks.select_for_update(of=("self",)):
        # A filing for the mark's year or a later one cures it, from the earliest such filing's date.
        cured = [filed_on for year, filed_on in by_business[entry.business_id]
                 if entry.report_year is None or year >= entry.report_year]
        if not cured:
            continue  # a later year's mark waits for that year's filing
        filed_on = min(cured)
        entry.status = EntryStatus.REMOVED
        entry.removal_reason = RemovalReason.FILED
        entry.removed_on = max(filed_on, entry.listed_on)
        entry.version += 1
        entry.save(update_fields=["status", "removal_reason", "removed_on", "version"])
        removed.append(entry)
    return removed


def annual_report_file(*, actor: User | None, business: Business, year: int, filed_on: dt.date, published: bool = True,
                       ip: str | None = None) -> AnnualReport:
    """Record (or correct) the filing of `business` for `year`; restores its marks for not filing."""
    check_writer(actor, business.subdistrict)
    problems = check_filing(year, filed_on, timezone.localdate())
    if problems:
        field, reason = problems[0]
        raise DomainError("invalid_filing", reason, {"field": field})
    with transaction.atomic(), acting(actor, ip):
        report = AnnualReport.objects.select_for_update().filter(business=business, year=year).first()
        if report is None:
            report = AnnualReport.objects.create(business=business, year=year, filed_on=filed_on, published=published)
        elif (report.filed_on, report.published) != (filed_on, published):
            report.filed_on, report.published = filed_on, published
            report.save(update_fields=["filed_on", "published", "updated_at"])
        restore_marks([(business.pk, year, filed_on)])
    return report


def annual_reports_import(*, actor: User | None, creates: list[dict], updates: list[tuple[AnnualReport, Iterable[str]]],
                          ip: str | None = None) -> list[AbnormalEntry]:
    """Write one checked batch of the ledger (inside the import's transaction): `creates` are AnnualReport
    field values, `updates` (report, changed fields). The file's audit is its ImportBatch; the marks it
    restores are saved one by one, so each has its audit entry too."""
    with acting(actor, ip):
        AnnualReport.objects.bulk_create([AnnualReport(**values) for values in creates], batch_size=2000)
        groups: dict[tuple[str, ...], list[AnnualReport]] = {}
        for report, changed in updates:
            groups.setdefault(tuple(sorted(changed)), []).append(report)
        now = timezone.now()  # bulk_update leaves auto_now alone; the monthly scoring reads it
        for fields, reports in groups.items():
            for report in reports:
                report.updated_at = now
            AnnualReport.objects.bulk_update(reports, [*fields, "updated_at"], batch_size=500)
        filings = [(v["business_id"], v["year"], v["filed_on"]) for v in creates]
        filings += [(r.business_id, r.year, r.filed_on) for r, _ in updates]
        return restore_marks(filings)
