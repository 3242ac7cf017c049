"""Proposals for the abnormal operations list (`jianguan credit propose`).

After the filing window of report year Y has closed, on date D:
- every business due for Y as of D (rules.due_q), with no filing for Y dated on or before D and still 存续
  on D, is proposed for reason 未按规定报送年度报告 (report year Y): enterprises and cooperatives for
  listing (列入), individual businesses for marking (标记);
- every inspection whose result is 查无下落, dated from `since` (default Jan 1 of D's year) to D, whose
  business is still 存续 on D, proposes reason 通过登记的住所或者经营场所无法联系 (one per business, from its
  earliest such inspection; source_ref `inspections.inspection:<pk>`).
其他组织 (机关、事业单位、社会组织) are not 市场主体: never proposed, nor listed by hand.
A business with an entry for the same reason (and year) is not proposed again: an open one (待决定, 在列)
is reported as already proposed; a closed one (不予列入, 已移出) was decided by a person and stays decided.
Entries are PROPOSED on D with their decision due `credit.abnormal_decision_working_days` after D.
Refused while the window of Y is still open on D, and for a date in the future.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jianguan.businesses.choices import EntityType, RegStatus
from jianguan.businesses.models import Business
from jianguan.businesses.rules import market_entity_q
from jianguan.core.errors import DomainError, PermissionDenied
from jianguan.core.services import acting
from jianguan.inspections.choices import InspectionResult
from jianguan.inspections.models import Inspection
from jianguan.org.choices import Role
from jianguan.org.models import User

from ..choices import ACTIVE_STATUSES, AbnormalReason, EntryKind, EntryStatus
from ..indicators.annual import deadline_months
from ..models import AbnormalEntry, AnnualReport
from ..rules import due_q, entry_kind_for, filing_window_end
from .common import check_writer, not_future, save, tracked_due

DECISION_RULE = "credit.abnormal_decision_working_days"
ACTION_LABELS = {EntryKind.LIST: "列入", EntryKind.MARK: "标记"}
EXPORT_HEADERS = ("统一社会信用代码", "名称", "主体类型", "拟处理", "事由")


@dataclass
class Proposal:
    business: Business
    kind: str
    reason: str
    report_year: int | None = None
    source_ref: str = ""

    @property
    def action(self) -> str:
        return ACTION_LABELS[self.kind]

    def row(self) -> list[str]:
        return [self.business.uscc, self.business.name, EntityType(self.business.entity_type).label, self.action,
                AbnormalReason(self.reason).label]


@dataclass
class ProposalRun:
    year: int
    on: dt.date
    since: dt.date
    dry_run: bool
    proposals: list[Proposal] = field(default_factory=list)
    already_open: int = 0  # an open entry for the same business, reason (and year)
    already_closed: int = 0  # declined or removed before: a person decided
    entries: list[AbnormalEntry] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Proposals per 拟处理 (列入, 标记)."""
        out = dict.fromkeys(ACTION_LABELS.values(), 0)
        for p in self.proposals:
            out[p.action] += 1
        return out


def _alive_on(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}reg_status": RegStatus.ACTIVE}) | Q(**{f"{prefix}status_date__gt": day})


def _existing(reason: str, business_ids, year: int | None) -> dict[int, bool]:
    """business id -> whether its entry for this reason (and year) is open."""
    qs = AbnormalEntry.objects.filter(reason=reason, business_id__in=business_ids)
    qs = qs.filter(report_year=year) if year is not None else qs
    found: dict[int, bool] = {}
    for business_id, status in qs.values_list("business_id", "status"):
        found[business_id] = found.get(business_id, False) or status in ACTIVE_STATUSES
    return found


def _add(run: ProposalRun, candidates: list[Proposal], reason: str, year: int | None) -> None:
    existing = {}
    ids = [p.business.pk for p in candidates]
    for i in range(0, len(ids), 5000):
        existing.update(_existing(reason, ids[i : i + 5000], year))
    for proposal in candidates:
        state = existing.get(proposal.business.pk)
        if state is None:
            run.proposals.append(proposal)
        elif state:
            run.already_open += 1
        else:
            run.already_closed += 1


def check_window(year: int, on: dt.date) -> None:
    end = filing_window_end(year, deadline_months(year))
    if on <= end:
        raise DomainError("window_open", f"{year} 年度报告的报送期限至 {end} 止，{on} 尚在报送期内，期满后才能提出列入经营异常名录",
                          {"field": "on"})


def find_proposals(*, year: int, on: dt.date, since: dt.date | None = None) -> ProposalRun:
    """What `propose` would propose on `on` (reads only)."""
    today = timezone.localdate()
    if on > today:
        raise DomainError("future_date", f"提出日期 {on} 晚于今天（{today}）", {"field": "on"})
    check_window(year, on)
    since = since or dt.date(on.year, 1, 1)
    if since > on:
        raise DomainError("invalid_since", f"查无下落检查的起始日期 {since} 晚于提出日期 {on}", {"field": "since"})
    run = ProposalRun(year=year, on=on, since=since, dry_run=True)

    filed = AnnualReport.objects.filter(year=year, filed_on__lte=on).values("business_id")
    non_filers = (Business.objects.filter(due_q(year=year, as_of=on, deadline_months=deadline_months(year)) & _alive_on(on))
                  .exclude(pk__in=filed).order_by("entity_type", "uscc"))
    _add(run, [Proposal(b, entry_kind_for(b.entity_type), AbnormalReason.NO_ANNUAL_REPORT, year) for b in non_filers],
         AbnormalReason.NO_ANNUAL_REPORT, year)

    found = (Inspection.objects.filter(result=InspectionResult.NOT_FOUND, date__gte=since, date__lte=on)
             .filter(_alive_on(on, "business__"), market_entity_q("business__")).select_related("business").order_by("business__uscc", "date", "pk"))
    first: dict[int, Inspection] = {}
    for inspection in found:
        first.setdefault(inspection.business_id, inspection)
    _add(run, [Proposal(i.business, entry_kind_for(i.business.entity_type), AbnormalReason.UNREACHABLE,
                        source_ref=f"inspections.inspection:{i.pk}") for i in first.values()],
         AbnormalReason.UNREACHABLE, None)
    return run


def propose(*, year: int, on: dt.date | None = None, since: dt.date | None = None, dry_run: bool = False,
            actor: User | None = None, ip: str | None = None) -> ProposalRun:
    """Propose (or, dry run, only list) the entries of report year `year` on `on` (default today)."""
    if actor is not None and actor.role not in (Role.DEPARTMENT, Role.ADMIN) and not actor.is_superuser:
        raise PermissionDenied("提出列入（标记）经营异常名录由局业务科室或管理员统一进行")
    on = on or timezone.localdate()
    with transaction.atomic():
        run = find_proposals(year=year, on=on, since=since)
        run.dry_run = dry_run
        if dry_run:
            return run
        with acting(actor, ip):
            for p in run.proposals:
                entry = AbnormalEntry.objects.create(
                    business=p.business, kind=p.kind, reason=p.reason, report_year=p.report_year, source_ref=p.source_ref,
                    status=EntryStatus.PROPOSED, proposed_on=on, created_by=actor if getattr(actor, "pk", None) else None,
                )
                entry.decision_due = tracked_due(entry, "decision_due", on, DECISION_RULE)
                entry.save(update_fields=["decision_due"])
                run.entries.append(entry)
    return run


@transaction.atomic
def abnormal_propose(*, actor: User | None, business: Business, reason: str, on: dt.date, source_ref: str = "",
                     ip: str | None = None) -> AbnormalEntry:
    """提出 one business by hand for a reason other than the yearly run's (未按责令期限公示, 弄虚作假, 无法联系):
    listed for an enterprise or cooperative, marked for an individual business, decided like the others."""
    if reason not in AbnormalReason.values or reason == AbnormalReason.NO_ANNUAL_REPORT:
        raise DomainError("invalid_reason", "请选择列入事由（未报送年度报告由年度提出统一处理）", {"field": "reason"})
    if business.entity_type == EntityType.OTHER_ORG:
        raise DomainError("not_market_entity", f"{business.name}为其他组织（非市场主体），不列入经营异常名录", {"field": "business"})
    check_writer(actor, business.subdistrict)
    not_future(on, "on", "提出日期", timezone.localdate())
    if business.reg_status != RegStatus.ACTIVE and business.status_date is not None and business.status_date <= on:
        raise DomainError("business_ended", f"{business.name}已于 {business.status_date} {business.get_reg_status_display()}，不能提出",
                          {"field": "business"})
    if AbnormalEntry.objects.filter(business=business, reason=reason, status__in=ACTIVE_STATUSES).exists():
        raise DomainError("already_open", f"{business.name}已有同一事由的待决定或在列记录", {"field": "reason"})
    entry = AbnormalEntry(business=business, kind=entry_kind_for(business.entity_type), reason=reason, source_ref=source_ref[:100],
                          status=EntryStatus.PROPOSED, proposed_on=on, declined_reason="",
                          created_by=actor if getattr(actor, "pk", None) else None)
    with acting(actor, ip):
        save(entry)
        entry.decision_due = tracked_due(entry, "decision_due", on, DECISION_RULE)
        entry.save(update_fields=["decision_due"])
    return entry
