"""严重违法失信名单 (SAMR Order 44): candidates, proposals, decisions, declines and expiry.

Candidates on a date D:
- abnormal entries LISTED on or before D − `credit.abnormal_escalation_months` (rule read on D) and still listed
  (source ABNORMAL, category 违反登记管理、信息公示规定);
- decided penalty cases (not 不予处罚) whose decision carries a serious_category, decided on or before D, with a
  business (source PENALTY, the case's category).
A source that already has a serious entry in any state (a declined one too) is not proposed again: a person
decided it once. Listing lasts `credit.serious_list_months` (read on the listing day); an escalated abnormal
entry leaves the abnormal list (REMOVED, 列入严重违法失信名单) on the same day.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from jianguan.cases.choices import SeriousCategory
from jianguan.cases.models import Case
from jianguan.core.errors import DomainError
from jianguan.core.services import acting
from jianguan.org.models import User

from ..choices import DecisionKind, EntryStatus, RemovalReason, SeriousSource
from ..models import AbnormalEntry, Decision, SeriousEntry
from ..rules import add_months
from .common import check_decider, months_rule, not_before, not_future, require_text, save
from .decisions import (
    abnormal_remove,
    business_row,
    clean_ids,
    entry_reason_text,
    locked_entries,
    new_decision,
)


def escalation_cutoff(on: dt.date) -> dt.date:
    """Listed on or before this day → a candidate on `on`."""
    return add_months(on, -months_rule("credit.abnormal_escalation_months", on))


def abnormal_candidates(on: dt.date) -> QuerySet[AbnormalEntry]:
    entered = SeriousEntry.objects.filter(abnormal_entry=OuterRef("pk"))
    return (AbnormalEntry.objects.filter(status=EntryStatus.LISTED, listed_on__lte=escalation_cutoff(on))
            .exclude(Exists(entered)).select_related("business__subdistrict__station").order_by("listed_on", "pk"))


def case_candidates(on: dt.date) -> QuerySet[Case]:
    entered = SeriousEntry.objects.filter(case=OuterRef("pk"))
    return (Case.objects.filter(decided_on__lte=on, exempt=False, business__isnull=False).exclude(serious_category="")
            .exclude(penalty_kinds=[]).exclude(Exists(entered)).select_related("business__subdistrict__station")
            .order_by("decided_on", "pk"))


def serious_candidates(on: dt.date) -> dict:
    return {"abnormal": list(abnormal_candidates(on)), "cases": list(case_candidates(on))}


def _reason(entry: SeriousEntry) -> str:
    if entry.source == SeriousSource.ABNORMAL and entry.abnormal_entry_id:
        abnormal = entry.abnormal_entry
        return f"因{entry_reason_text(abnormal)}于{abnormal.listed_on}列入经营异常名录，届满3年仍未履行相关义务"
    if entry.case_id:
        case = entry.case
        return f"{SeriousCategory(entry.category).label}：{case.cause}（{case.decision_number or case.number}）"
    return SeriousCategory(entry.category).label


@transaction.atomic
def serious_propose(*, actor: User | None, on: dt.date | None = None, dry_run: bool = False,
                    ip: str | None = None) -> list[SeriousEntry]:
    """提出 every candidate on `on` (default today) for the serious list; returns the proposals (not saved on
    a dry run)."""
    check_decider(actor)
    on = on or timezone.localdate()
    created = []
    for abnormal in abnormal_candidates(on):
        created.append(SeriousEntry(business=abnormal.business, source=SeriousSource.ABNORMAL, category=SeriousCategory.REGISTRATION,
                                    abnormal_entry=abnormal, proposed_on=on))
    for case in case_candidates(on):
        created.append(SeriousEntry(business=case.business, source=SeriousSource.PENALTY, category=case.serious_category, case=case,
                                    proposed_on=on))
    if dry_run:
        return created
    with acting(actor, ip):
        for entry in created:
            entry.created_by = actor if getattr(actor, "pk", None) else None
            save(entry)
    return created


@transaction.atomic
def serious_decide(*, actor: User | None, ids: Iterable, decided_on: dt.date, approved_by: str, note: str = "",
                   ip: str | None = None) -> Decision:
    """列入 the chosen proposals with one numbered decision; each is shown until listed_on + the rule's months."""
    check_decider(actor)
    approved_by = require_text(approved_by, "approved_by", "审批人")
    not_future(decided_on, "decided_on", "决定日期", timezone.localdate())
    entries = locked_entries(SeriousEntry, clean_ids(ids), EntryStatus.PROPOSED, "严重违法失信名单")
    months = months_rule("credit.serious_list_months", decided_on)
    for entry in entries:
        not_before(decided_on, entry.proposed_on, "decided_on", "决定日期", f"{entry.business.name}的提出日期")
    with acting(actor, ip):
        decision = new_decision(DecisionKind.SERIOUS_LIST, decided_on=decided_on, approved_by=approved_by, note=(note or "").strip(),
                                actor=actor, rows=[business_row(e.business, _reason(e)) for e in entries],
                                extra_text=f"列入期限为{months}个月，自列入之日起计算，期满移出。")
        for entry in entries:
            entry.status, entry.listed_on, entry.decision = EntryStatus.LISTED, decided_on, decision
            entry.list_until = add_months(decided_on, months)
            entry.version += 1
            save(entry)
            if entry.abnormal_entry_id:
                abnormal = AbnormalEntry.objects.select_for_update(of=("self",)).select_related("business").get(pk=entry.abnormal_entry_id)
                if abnormal.status == EntryStatus.LISTED:
                    abnormal_remove(abnormal, on=decided_on, reason=RemovalReason.ESCALATED, decision=decision)
    return decision


@transaction.atomic
def serious_decline(*, actor: User | None, ids: Iterable, reason: str, ip: str | None = None) -> list[SeriousEntry]:
    check_decider(actor)
    reason = require_text(reason, "reason", "不予列入理由")
    entries = locked_entries(SeriousEntry, clean_ids(ids), EntryStatus.PROPOSED, "严重违法失信名单")
    with acting(actor, ip):
        for entry in entries:
            entry.status, entry.declined_reason = EntryStatus.DECLINED, reason[:300]
            entry.version += 1
            save(entry)
    return entries


@transaction.atomic
def serious_expire(*, on: dt.date | None = None, dry_run: bool = False) -> list[SeriousEntry]:
    """期满移出: every listed entry whose period ended before `on` is removed the day after its last day."""
    on = on or timezone.localdate()
    entries = list(SeriousEntry.objects.select_for_update(of=("self",)).select_related("business")
                   .filter(status=EntryStatus.LISTED, list_until__lt=on).order_by("pk"))
    if dry_run:
        return entries
    with acting(None):
        for entry in entries:
            entry.status, entry.removal_reason = EntryStatus.REMOVED, RemovalReason.EXPIRED
            entry.removed_on = entry.list_until + dt.timedelta(days=1)
            entry.version += 1
            save(entry)
    return entries


def check_serious_listed(entry: SeriousEntry) -> None:
    if entry.status != EntryStatus.LISTED:
        raise DomainError("not_listed", f"该严重违法失信名单记录当前为“{entry.get_status_display()}”，不在列", {"field": "serious_entry"})
