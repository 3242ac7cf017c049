"""Deciding proposals of the abnormal operations list in batches (列入 / 标记 / 不予列入), and the removal of
a listed entry, which the repairs (移出 on application) and the serious list (escalation) call.

A batch gives one numbered Decision per kind — 列入经营异常名录决定书 for the enterprises and cooperatives,
标记经营异常状态决定书 for the individual businesses — each with its Word document naming every business.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from jianguan.core.deadlines import unregister_provisional
from jianguan.core.errors import DomainError
from jianguan.core.numbering import next_document_number
from jianguan.core.services import acting
from jianguan.org.models import User

from .. import documents
from ..choices import ENTRY_TRANSITIONS, AbnormalReason, DecisionKind, EntryKind, EntryStatus
from ..models import AbnormalEntry, Decision
from .common import APP, check_decider, not_before, not_future, require_text, save

KIND_DECISION = {EntryKind.LIST: DecisionKind.ABNORMAL_LIST, EntryKind.MARK: DecisionKind.ABNORMAL_MARK}
MAX_BATCH = 500


def entry_reason_text(entry) -> str:
    """事由 as a decision states it: the reason, with the report year not filed."""
    text = AbnormalReason(entry.reason).label
    if entry.reason == AbnormalReason.NO_ANNUAL_REPORT and entry.report_year:
        text += f"（{entry.report_year}年度）"
    return text


def business_row(business, reason: str) -> dict:
    return {"name": business.name, "uscc": business.uscc or "", "reason": reason}


def check_move(entry, to: str) -> None:
    if to not in ENTRY_TRANSITIONS[EntryStatus(entry.status)]:
        raise DomainError("invalid_transition", f"{entry.business.name}的该条记录当前为“{entry.get_status_display()}”，"
                          f"不能改为“{EntryStatus(to).label}”", {"field": "status", "id": entry.pk})


def clean_ids(ids: Iterable) -> list[int]:
    found = []
    for value in ids or ():
        try:
            found.append(int(value))
        except (TypeError, ValueError):
            raise DomainError("invalid_id", f"记录编号“{value}”无效", {"field": "ids"}) from None
    found = sorted(set(found))
    if not found:
        raise DomainError("nothing_selected", "请至少选择一条记录", {"field": "ids"})
    if len(found) > MAX_BATCH:
        raise DomainError("batch_too_large", f"一次最多决定{MAX_BATCH}条，请分批办理", {"field": "ids"})
    return found


def locked_entries(model, ids: list[int], status: str, what: str) -> list:
    """The chosen records, locked, each in `status` (a record decided meanwhile is refused by name)."""
    rows = list(model.objects.select_for_update(of=("self",)).select_related("business").filter(pk__in=ids).order_by("pk"))
    missing = set(ids) - {r.pk for r in rows}
    if missing:
        raise DomainError("not_found", f"{what}记录 {sorted(missing)} 不存在", {"field": "ids"})
    for row in rows:
        if row.status != status:
            raise DomainError("already_decided", f"{row.business.name}的{what}记录已是“{row.get_status_display()}”，不能再作决定"
                              "（可能已被他人处理，请刷新）", {"field": "ids", "id": row.pk})
    return rows


def new_decision(kind: str, *, decided_on: dt.date, approved_by: str, note: str, actor, rows: list[dict],
                 extra_text: str = "") -> Decision:
    """A numbered Decision with its document (inside the caller's transaction: a refusal consumes no number)."""
    decision = Decision(kind=kind, number=next_document_number(kind, decided_on.year), decided_on=decided_on,
                        approved_by=approved_by, note=note, decided_by=actor if getattr(actor, "pk", None) else None)
    save(decision)
    decision.document = documents.issue_decision(decision, rows, actor=actor, extra_text=extra_text)
    decision.save(update_fields=["document"])
    return decision


def _bump(entry) -> None:
    entry.version += 1
    save(entry)


@transaction.atomic
def abnormal_decide(*, actor: User | None, ids: Iterable, decided_on: dt.date, approved_by: str, note: str = "",
                    ip: str | None = None) -> list[Decision]:
    """列入 (enterprises, cooperatives) / 标记 (individual businesses) the chosen proposals on `decided_on`:
    one numbered decision per kind. A decision after the 10-working-day limit is still taken (the list and the
    to-dos show it late)."""
    check_decider(actor)
    approved_by = require_text(approved_by, "approved_by", "审批人")
    not_future(decided_on, "decided_on", "决定日期", timezone.localdate())
    entries = locked_entries(AbnormalEntry, clean_ids(ids), EntryStatus.PROPOSED, "经营异常名录")
    for entry in entries:
        not_before(decided_on, entry.proposed_on, "decided_on", "决定日期", f"{entry.business.name}的提出日期")
    decisions = []
    with acting(actor, ip):
        for kind in (EntryKind.LIST, EntryKind.MARK):
            batch = [e for e in entries if e.kind == kind]
            if not batch:
                continue
            decision = new_decision(KIND_DECISION[kind], decided_on=decided_on, approved_by=approved_by, note=(note or "").strip(),
                                    actor=actor, rows=[business_row(e.business, entry_reason_text(e)) for e in batch])
            for entry in batch:
                entry.status, entry.listed_on, entry.decision = EntryStatus.LISTED, decided_on, decision
                _bump(entry)
                unregister_provisional(app_label=APP, object_ref=f"abnormalentry:{entry.pk}", field_name="decision_due")
            decisions.append(decision)
    return decisions


@transaction.atomic
def abnormal_decline(*, actor: User | None, ids: Iterable, reason: str, ip: str | None = None) -> list[AbnormalEntry]:
    """不予列入 (the business had filed, the inspection was wrong …): the proposal is closed with the reason."""
    check_decider(actor)
    reason = require_text(reason, "reason", "不予列入理由")
    entries = locked_entries(AbnormalEntry, clean_ids(ids), EntryStatus.PROPOSED, "经营异常名录")
    with acting(actor, ip):
        for entry in entries:
            entry.status, entry.declined_reason = EntryStatus.DECLINED, reason[:300]
            _bump(entry)
            unregister_provisional(app_label=APP, object_ref=f"abnormalentry:{entry.pk}", field_name="decision_due")
    return entries


def abnormal_remove(entry: AbnormalEntry, *, on: dt.date, reason: str, decision: Decision | None) -> AbnormalEntry:
    """移出 one listed entry (the caller holds the lock, checks the conditions and is `acting`)."""
    check_move(entry, EntryStatus.REMOVED)
    not_before(on, entry.listed_on, "decided_on", "移出日期", "列入日期")
    entry.status, entry.removed_on, entry.removal_reason, entry.removal_decision = EntryStatus.REMOVED, on, reason, decision
    _bump(entry)
    unregister_provisional(app_label=APP, object_ref=f"abnormalentry:{entry.pk}", field_name="removal_due")
    return entry
