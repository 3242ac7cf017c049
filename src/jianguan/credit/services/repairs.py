"""信用修复: applications to leave the abnormal list (移出), to leave the serious list early, or to end a
penalty publication early, and their decisions.

- Registered by a station in its jurisdiction or by the bureau; decided by the bureau (check_decider).
- Deadlines: 移出经营异常名录 `credit.abnormal_removal_working_days` (5), the others
  `credit.repair_decision_working_days` (15) working days from the application, read on that day.
- Granting checks what the system can see and asks the approver to attest the rest (REPAIR_CONDITIONS):
  a missing annual report must now be filed; serious early removal only after
  `credit.serious_repair_min_months` on the list and with no penalty decided since listing; a publication
  ends early only when the business is on neither list (the cases service checks its own conditions).
- A grant is numbered: 移出经营异常名录决定书 / 移出严重违法失信名单决定书 / 信用修复决定书. A refusal states its reason.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from jianguan.cases.choices import PublicationStatus
from jianguan.cases.models import Case
from jianguan.cases.services.publication import publication_end_early
from jianguan.core.deadlines import unregister_provisional
from jianguan.core.errors import DomainError, NotFound
from jianguan.core.services import acting
from jianguan.org.models import User

from ..choices import AbnormalReason, DecisionKind, EntryStatus, RemovalReason, RepairStatus, RepairTarget
from ..models import AbnormalEntry, AnnualReport, RepairApplication, SeriousEntry
from ..rules import add_months
from .common import (
    APP,
    check_decider,
    check_version,
    check_writer,
    months_rule,
    not_before,
    not_future,
    require_text,
    save,
    tracked_due,
)
from .decisions import abnormal_remove, business_row, entry_reason_text, new_decision

# The conditions the approver attests, per target (and per abnormal reason); what the system can see is checked.
REPAIR_CONDITIONS = {
    "info_disclosed": "已按规定公示有关信息",
    "info_corrected": "已更正公示的虚假信息",
    "reachable": "已可通过登记的住所或者经营场所联系（或已办理住所、经营场所变更登记）",
    "obligations_performed": "已履行行政处罚决定规定的义务",
    "consequences_removed": "已经主动消除危害后果和不良影响",
    "commitment": "已作出信用修复承诺",
}
ABNORMAL_CONDITIONS = {
    AbnormalReason.NO_ANNUAL_REPORT: (),  # the system sees the filing
    AbnormalReason.NOT_DISCLOSED: ("info_disclosed",),
    AbnormalReason.FALSE_INFO: ("info_corrected",),
    AbnormalReason.UNREACHABLE: ("reachable",),
}
SERIOUS_CONDITIONS = ("obligations_performed", "consequences_removed", "commitment")
PUBLICATION_CONDITIONS = ("consequences_removed",)
OPEN = (EntryStatus.PROPOSED, EntryStatus.LISTED)


def required_conditions(application: RepairApplication) -> tuple[str, ...]:
    if application.target == RepairTarget.ABNORMAL:
        return ABNORMAL_CONDITIONS[AbnormalReason(application.abnormal_entry.reason)]
    if application.target == RepairTarget.SERIOUS:
        return SERIOUS_CONDITIONS
    return PUBLICATION_CONDITIONS


def _missing(application: RepairApplication, conditions: Iterable[str]) -> list[str]:
    given = set(conditions or ())
    return [REPAIR_CONDITIONS[key] for key in required_conditions(application) if key not in given]


def _pending_exists(**target) -> bool:
    return RepairApplication.objects.filter(status=RepairStatus.PENDING, **target).exists()


@transaction.atomic
def repair_apply(*, actor: User | None, target: str, record_id: int, applied_on: dt.date, statement: str,
                 ip: str | None = None) -> RepairApplication:
    """登记 an application: `record_id` is the abnormal entry (移出), the serious entry (提前移出) or the case
    (提前停止公示) named by `target`. One pending application per record."""
    if target not in RepairTarget.values:
        raise DomainError("invalid_target", "请选择修复事项", {"field": "target"})
    statement = require_text(statement, "statement", "申请理由（纠正情况）")
    not_future(applied_on, "applied_on", "申请日期", timezone.localdate())
    app = RepairApplication(target=target, applied_on=applied_on, statement=statement,
                            created_by=actor if getattr(actor, "pk", None) else None)
    if target == RepairTarget.ABNORMAL:
        entry = AbnormalEntry.objects.select_for_update(of=("self",)).select_related("business__subdistrict").filter(pk=record_id).first()
        if entry is None:
            raise NotFound("经营异常名录记录不存在", {"field": "record_id"})
        if entry.status != EntryStatus.LISTED:
            raise DomainError("not_listed", f"该记录当前为“{entry.get_status_display()}”，只有在列的记录可以申请移出", {"field": "record_id"})
        not_before(applied_on, entry.listed_on, "applied_on", "申请日期", "列入日期")
        if _pending_exists(abnormal_entry=entry):
            raise DomainError("pending_exists", "该记录已有待决定的移出申请", {"field": "record_id"})
        app.abnormal_entry, business, rule = entry, entry.business, "credit.abnormal_removal_working_days"
    elif target == RepairTarget.SERIOUS:
        entry = SeriousEntry.objects.select_for_update(of=("self",)).select_related("business__subdistrict").filter(pk=record_id).first()
        if entry is None:
            raise NotFound("严重违法失信名单记录不存在", {"field": "record_id"})
        if entry.status != EntryStatus.LISTED:
            raise DomainError("not_listed", f"该记录当前为“{entry.get_status_display()}”，只有在列的记录可以申请提前移出", {"field": "record_id"})
        months = months_rule("credit.serious_repair_min_months", applied_on)
        earliest = add_months(entry.listed_on, months)
        if applied_on < earliest:
            raise DomainError("too_early", f"列入严重违法失信名单满{months}个月后方可申请提前移出（{earliest} 起）", {"field": "applied_on"})
        if _pending_exists(serious_entry=entry):
            raise DomainError("pending_exists", "该记录已有待决定的提前移出申请", {"field": "record_id"})
        app.serious_entry, business, rule = entry, entry.business, "credit.repair_decision_working_days"
    else:
        case = Case.objects.select_related("business__subdistrict").filter(pk=record_id).first()
        if case is None or case.business_id is None:
            raise NotFound("行政处罚案件不存在或没有关联市场主体", {"field": "record_id"})
        if case.publication_status != PublicationStatus.SHOWN:
            raise DomainError("not_shown", "该案件的行政处罚信息不在公示中，无需提前停止公示", {"field": "record_id"})
        if _pending_exists(case=case, target=RepairTarget.PUBLICATION):
            raise DomainError("pending_exists", "该案件已有待决定的提前停止公示申请", {"field": "record_id"})
        app.case, business, rule = case, case.business, "credit.repair_decision_working_days"
    check_writer(actor, business.subdistrict)
    app.business = business
    with acting(actor, ip):
        save(app)
        app.due = tracked_due(app, "due", applied_on, rule)
        app.save(update_fields=["due"])
        if app.abnormal_entry_id:
            entry = app.abnormal_entry
            entry.removal_applied_on, entry.removal_due = applied_on, app.due
            entry.version += 1
            save(entry)
    return app


def _locked(pk: int, version: int | None) -> RepairApplication:
    app = (RepairApplication.objects.select_for_update(of=("self",))
           .select_related("business", "abnormal_entry", "serious_entry", "case").filter(pk=pk).first())
    if app is None:
        raise NotFound("信用修复申请不存在")
    check_version(app, version)
    if app.status != RepairStatus.PENDING:
        raise DomainError("already_decided", f"该申请已于 {app.decided_on} 作出决定（{app.get_status_display()}）", {"field": "status"})
    return app


def _finish(app: RepairApplication, status: str, on: dt.date) -> None:
    app.status, app.decided_on = status, on
    app.version += 1
    save(app)
    unregister_provisional(app_label=APP, object_ref=f"repairapplication:{app.pk}", field_name="due")


def _clear_abnormal_application(app: RepairApplication) -> None:
    entry = AbnormalEntry.objects.select_for_update(of=("self",)).get(pk=app.abnormal_entry_id)
    if entry.status == EntryStatus.LISTED and (entry.removal_applied_on or entry.removal_due):
        entry.removal_applied_on = entry.removal_due = None
        entry.version += 1
        save(entry)
    unregister_provisional(app_label=APP, object_ref=f"abnormalentry:{entry.pk}", field_name="removal_due")


@transaction.atomic
def repair_refuse(*, actor: User | None, pk: int, version: int | None, decided_on: dt.date, reason: str,
                  ip: str | None = None) -> RepairApplication:
    """不予修复, with the reason (the entry or publication stays as it is)."""
    check_decider(actor)
    reason = require_text(reason, "refusal_reason", "不予修复理由")
    app = _locked(pk, version)
    not_before(decided_on, app.applied_on, "decided_on", "决定日期", "申请日期")
    not_future(decided_on, "decided_on", "决定日期", timezone.localdate())
    app.refusal_reason = reason[:300]
    with acting(actor, ip):
        _finish(app, RepairStatus.REFUSED, decided_on)
        if app.abnormal_entry_id:
            _clear_abnormal_application(app)
    return app


def _check_filed(entry: AbnormalEntry, on: dt.date) -> None:
    if entry.reason == AbnormalReason.NO_ANNUAL_REPORT and entry.report_year:
        if not AnnualReport.objects.filter(business_id=entry.business_id, year=entry.report_year, filed_on__lte=on).exists():
            raise DomainError("report_missing", f"{entry.report_year}年度报告尚未补报（截至 {on} 无报送记录），不能移出",
                              {"field": "conditions"})


def _penalty_since(business_id: int, since: dt.date, until: dt.date) -> Case | None:
    return (Case.objects.filter(business_id=business_id, exempt=False, decided_on__gt=since, decided_on__lte=until)
            .exclude(penalty_kinds=[]).order_by("decided_on").first())


def on_any_list(business_id: int) -> bool:
    return (AbnormalEntry.objects.filter(business_id=business_id, status=EntryStatus.LISTED).exists()
            or SeriousEntry.objects.filter(business_id=business_id, status=EntryStatus.LISTED).exists())


@transaction.atomic
def repair_grant(*, actor: User | None, pk: int, version: int | None, decided_on: dt.date, approved_by: str,
                 conditions: Iterable[str] = (), ip: str | None = None) -> RepairApplication:
    """准予修复: the entry leaves its list (or the publication ends) on `decided_on`, with a numbered decision."""
    check_decider(actor)
    approved_by = require_text(approved_by, "approved_by", "审批人")
    app = _locked(pk, version)
    not_before(decided_on, app.applied_on, "decided_on", "决定日期", "申请日期")
    not_future(decided_on, "decided_on", "决定日期", timezone.localdate())
    conditions = [c for c in (conditions or ()) if c in REPAIR_CONDITIONS]
    missing = _missing(app, conditions)
    if missing:
        raise DomainError("conditions_missing", f"请核实并确认：{'；'.join(missing)}", {"field": "conditions"})
    business = app.business
    with acting(actor, ip):
        if app.target == RepairTarget.ABNORMAL:
            entry = AbnormalEntry.objects.select_for_update(of=("self",)).select_related("business").get(pk=app.abnormal_entry_id)
            if entry.status != EntryStatus.LISTED:
                raise DomainError("not_listed", f"该记录当前为“{entry.get_status_display()}”，无需移出", {"field": "status"})
            _check_filed(entry, decided_on)
            decision = new_decision(DecisionKind.ABNORMAL_REMOVE, decided_on=decided_on, approved_by=approved_by, note="", actor=actor,
                                    rows=[business_row(business, f"{entry_reason_text(entry)}的情形已消除")])
            abnormal_remove(entry, on=decided_on, reason=RemovalReason.CURED, decision=decision)
        elif app.target == RepairTarget.SERIOUS:
            entry = SeriousEntry.objects.select_for_update(of=("self",)).get(pk=app.serious_entry_id)
            if entry.status != EntryStatus.LISTED:
                raise DomainError("not_listed", f"该记录当前为“{entry.get_status_display()}”，无需移出", {"field": "status"})
            months = months_rule("credit.serious_repair_min_months", decided_on)
            if decided_on < add_months(entry.listed_on, months):
                raise DomainError("too_early", f"列入满{months}个月后方可提前移出（{add_months(entry.listed_on, months)} 起）",
                                  {"field": "decided_on"})
            penalty = _penalty_since(business.pk, entry.listed_on, decided_on)
            if penalty is not None:
                raise DomainError("penalty_since", f"列入后又受到行政处罚（{penalty.decision_number or penalty.number}，{penalty.decided_on}），"
                                  "不能提前移出", {"field": "conditions"})
            decision = new_decision(DecisionKind.SERIOUS_REMOVE, decided_on=decided_on, approved_by=approved_by, note="", actor=actor,
                                    rows=[business_row(business, f"列入严重违法失信名单满{months}个月，已履行义务并申请信用修复")])
            entry.status, entry.removed_on, entry.removal_reason = EntryStatus.REMOVED, decided_on, RemovalReason.CURED
            entry.removal_decision = decision
            entry.version += 1
            save(entry)
        else:
            if on_any_list(business.pk):
                raise DomainError("listed", f"{business.name}仍在经营异常名录或严重违法失信名单中，不能提前停止公示", {"field": "conditions"})
            case = app.case
            publication_end_early(actor=actor, pk=case.pk, version=None, on=decided_on, reason=app.statement, approved_by=approved_by,
                                  attested=["not_listed", *conditions], ip=ip)
            decision = new_decision(DecisionKind.REPAIR, decided_on=decided_on, approved_by=approved_by, note="", actor=actor,
                                    rows=[business_row(business, f"行政处罚信息（{case.decision_number or case.number}）提前停止公示")])
        app.conditions, app.decision = conditions, decision
        _finish(app, RepairStatus.GRANTED, decided_on)
    return app
