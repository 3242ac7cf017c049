"""The demo district's credit supervision (信用监管), deterministic for a seed, all through the credit
services — every filing, proposal, decision, removal and score with its documents and audit rows.

- Annual reports for report years 2024 and 2025: about 90 % of the businesses due file within the window
  (Jan 1 – Jun 30 of the next year, most in its last weeks), by type close to seed 004's 90.95 %, 90.94 %,
  90.16 %; about a third of the rest file late, after the listing.
- Early in July the credit department (信用监督管理科) proposes every non-filer (`propose`), and decides them
  in one batch within the 10 working days: enterprises and cooperatives listed (列入经营异常名录),
  individual businesses marked (标记为经营异常状态); one proposal is declined (the report had reached the
  bureau on paper). The 查无下落 inspections of the year are proposed with the fourth reason.
- A late filing ends an individual business's mark by itself; a listed enterprise that filed late applies
  for removal (移出) and is removed within the 5 working days; one application is refused (the report was
  still missing), and the latest one waits on the demo date.
- Two older listings (无法联系, 2022 and 2023): the first reached its 3 years in 2025 and went to the serious
  violation list (严重违法失信名单); the second reaches them in 2026 and is the escalation candidate waiting
  for a person's decision on the demo date.
- The credit risk class is computed on 2026-10-01 and again on the demo date (so classes can be counted
  as of either), replacing the classes imported before the module existed; one class is set by hand.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db.models import Count

from jianguan.businesses.choices import EntityType, RegStatus
from jianguan.businesses.models import Business
from jianguan.core.calendar import WorkingCalendar
from jianguan.credit.choices import (
    AbnormalReason,
    EntryKind,
    EntryStatus,
    RemovalReason,
    RepairStatus,
    RepairTarget,
)
from jianguan.credit.models import AbnormalEntry, AnnualReport, RepairApplication, SeriousEntry
from jianguan.credit.rules import filing_window_end, is_due
from jianguan.credit.services.annual import annual_reports_import
from jianguan.credit.services.decisions import abnormal_decide, abnormal_decline
from jianguan.credit.services.proposals import abnormal_propose, propose
from jianguan.credit.services.repairs import repair_apply, repair_grant, repair_refuse
from jianguan.credit.services.risk import risk_override_set, risk_score_all
from jianguan.credit.services.serious import serious_decide, serious_propose
from jianguan.org.models import User

from .equipment import DEMO_DATE

REPORT_YEARS = (2024, 2025)
DEADLINE_MONTHS = 6  # the seeded rule credit.annual_report_deadline_months
# Share of the businesses due that file within the window, by type (seed 004's rates, rounded).
ON_TIME = {EntityType.ENTERPRISE: 0.91, EntityType.COOPERATIVE: 0.91, EntityType.INDIVIDUAL: 0.90}
LATE = 0.35  # of the others, those who file after the listing, before the demo date
FIRST_SCORING = dt.date(2026, 10, 1)
ESCALATED = (dt.date(2022, 8, 1), dt.date(2025, 9, 1))  # listed in 2022, proposed for the serious list in 2025
CANDIDATE = dt.date(2023, 9, 4)  # listed in 2023: its 3 years end before the demo date


@dataclass
class CreditCounts:
    filings: int = 0
    listed: int = 0
    marked: int = 0
    restored: int = 0
    removed: int = 0
    serious: int = 0
    scored: int = 0

    def summary(self) -> str:
        return (f"信用监管：2024、2025年度报告 {self.filings} 份；列入经营异常名录 {self.listed} 户、标记经营异常状态 {self.marked} 户，"
                f"补报后自动恢复 {self.restored} 户、申请移出 {self.removed} 户；严重违法失信名单 {self.serious} 户；"
                f"信用风险分类 {self.scored} 户")


class _Builder:
    def __init__(self, seed: int):
        self.rng = random.Random(seed * 7 + 15)
        self.cal = WorkingCalendar()
        self.actor = User.objects.get(username="xinyong")
        self.approver = User.objects.get(username="leader").full_name or "局领导"
        self.businesses = list(Business.objects.order_by("pk"))

    def after(self, day: dt.date, n: int) -> dt.date:
        return self.cal.add_working_days(day, n).date

    def workday(self, day: dt.date) -> dt.date:
        return day if self.cal.is_workday(day)[0] else self.after(day, 1)

    def day_between(self, start: dt.date, end: dt.date, late_bias: float = 1.0) -> dt.date:
        """A day in [start, end]; late_bias > 1 crowds the days toward the end (filings come in late June)."""
        span = (end - start).days
        return start + dt.timedelta(days=round(span * self.rng.random() ** (1 / late_bias)))

    # ---- older listings that meet the serious list ----------------------------------------------------

    def old_listing(self, proposed_on: dt.date, exclude: set[int]) -> AbnormalEntry:
        business = next(b for b in self.businesses if b.entity_type == EntityType.ENTERPRISE and b.reg_status == RegStatus.ACTIVE
                        and b.established_on < dt.date(2019, 1, 1) and b.pk not in exclude and self.rng.random() < 0.05)
        entry = abnormal_propose(actor=self.actor, business=business, reason=AbnormalReason.UNREACHABLE, on=proposed_on)
        abnormal_decide(actor=self.actor, ids=[entry.pk], decided_on=self.after(proposed_on, 6), approved_by=self.approver)
        return entry

    def escalate(self, on: dt.date) -> None:
        proposed = serious_propose(actor=self.actor, on=on)
        serious_decide(actor=self.actor, ids=[e.pk for e in proposed], decided_on=self.after(on, 7), approved_by=self.approver)

    # ---- one report year --------------------------------------------------------------------------------

    def report_year(self, year: int) -> None:
        window_end = filing_window_end(year, DEADLINE_MONTHS)
        on_time, late = [], []
        for b in self.businesses:
            if not is_due(established_on=b.established_on, reg_status=b.reg_status, status_date=b.status_date, year=year,
                          as_of=window_end, deadline_months=DEADLINE_MONTHS, entity_type=b.entity_type):
                continue
            last = min(window_end, b.status_date - dt.timedelta(days=1)) if b.status_date else window_end
            first = dt.date(year + 1, 1, 2)
            if last >= first and self.rng.random() < ON_TIME[b.entity_type]:
                on_time.append({"business_id": b.pk, "year": year, "filed_on": self.day_between(first, last, late_bias=2.5)})
            elif b.reg_status == RegStatus.ACTIVE and self.rng.random() < LATE:
                late.append(b)
        annual_reports_import(actor=None, creates=on_time, updates=[])

        proposed_on = self.workday(window_end + dt.timedelta(days=6))
        run = propose(year=year, on=proposed_on, actor=self.actor)
        entries = run.entries
        declined = next(e for e in entries if e.reason == AbnormalReason.NO_ANNUAL_REPORT and e.kind == EntryKind.LIST)
        abnormal_decline(actor=self.actor, ids=[declined.pk], reason=f"经核实，该企业已于{window_end:%m月%d日}前向登记机关报送{year}年度纸质报告，系系统未同步")
        listed_on = self.after(proposed_on, 7)
        abnormal_decide(actor=self.actor, ids=[e.pk for e in entries if e.pk != declined.pk], decided_on=listed_on,
                        approved_by=self.approver)

        # Late filings, after the listing: a mark ends by itself; a listing on application (below).
        late_end = min(DEMO_DATE - dt.timedelta(days=5), dt.date(year + 1, 12, 20))
        filings = [{"business_id": b.pk, "year": year, "filed_on": self.day_between(listed_on + dt.timedelta(days=10), late_end)}
                   for b in late if b.pk != declined.business_id]
        annual_reports_import(actor=None, creates=filings, updates=[])
        self.removals(year, {f["business_id"]: f["filed_on"] for f in filings})

    def removals(self, year: int, filed: dict[int, dt.date]) -> None:
        listed = (AbnormalEntry.objects.filter(report_year=year, kind=EntryKind.LIST, status=EntryStatus.LISTED, business_id__in=filed)
                  .select_related("business"))
        applications = sorted(((self.workday(filed[e.business_id] + dt.timedelta(days=self.rng.randint(1, 12))), e) for e in listed),
                              key=lambda pair: (pair[0], pair[1].pk))
        for applied_on, entry in applications:
            if applied_on > DEMO_DATE:
                continue
            app = repair_apply(actor=self.actor, target=RepairTarget.ABNORMAL, record_id=entry.pk, applied_on=applied_on,
                               statement=f"本企业已于{filed[entry.business_id]:%Y年%m月%d日}补报{year}年度报告，申请移出经营异常名录")
            decided_on = self.after(applied_on, self.rng.randint(1, 4))
            if decided_on <= DEMO_DATE:
                repair_grant(actor=self.actor, pk=app.pk, version=None, decided_on=decided_on, approved_by=self.approver)
        if year == REPORT_YEARS[-1]:
            # One application before the report was filed: refused, with the reason.
            entry = (AbnormalEntry.objects.filter(report_year=year, kind=EntryKind.LIST, status=EntryStatus.LISTED)
                     .exclude(business_id__in=filed).order_by("pk").first())
            applied_on = self.workday(DEMO_DATE - dt.timedelta(days=40))
            app = repair_apply(actor=self.actor, target=RepairTarget.ABNORMAL, record_id=entry.pk, applied_on=applied_on,
                               statement="本企业已恢复正常经营，申请移出经营异常名录")
            repair_refuse(actor=self.actor, pk=app.pk, version=None, decided_on=self.after(applied_on, 3),
                          reason=f"经核查，该企业尚未补报{year}年度报告，列入经营异常名录的情形未消除，不予移出")

    # ---- the risk class ------------------------------------------------------------------------------------

    def scores(self) -> int:
        risk_score_all(on=FIRST_SCORING)
        scored = risk_score_all(on=DEMO_DATE).scored
        business = (Business.objects.filter(reg_status=RegStatus.ACTIVE, credit_risk_class="B", entity_type=EntityType.ENTERPRISE)
                    .order_by("pk").first())
        if business is not None:
            risk_override_set(actor=self.actor, business_pk=business.pk, risk_class="C", on=DEMO_DATE,
                              reason="近三个月同一门店投诉举报集中，列为较高风险，纳入下月重点检查")
        return scored


def build_credit(seed: int, scale: str = "small") -> CreditCounts:
    """Two report years of filings and listings, the serious list and the risk classes, up to the demo date.
    After every other module: the risk class reads their records."""
    b = _Builder(seed)
    first = b.old_listing(ESCALATED[0], exclude=set())
    b.old_listing(CANDIDATE, exclude={first.business_id})
    for year in REPORT_YEARS:
        b.report_year(year)
        if year == REPORT_YEARS[0]:
            b.escalate(ESCALATED[1])
    scored = b.scores()
    return _count(scored)


def _count(scored: int) -> CreditCounts:
    listed = dict(AbnormalEntry.objects.exclude(listed_on=None).values_list("kind").annotate(n=Count("pk")))
    return CreditCounts(
        filings=AnnualReport.objects.count(), listed=listed.get(EntryKind.LIST, 0), marked=listed.get(EntryKind.MARK, 0),
        restored=AbnormalEntry.objects.filter(removal_reason=RemovalReason.FILED).count(),
        removed=RepairApplication.objects.filter(status=RepairStatus.GRANTED).count(),
        serious=SeriousEntry.objects.filter(status=EntryStatus.LISTED).count(), scored=scored,
    )
