"""Leads (线索): opened by any source through `lead_open`, decided within 15 working days (+15 once):
立案 (by `case_file`), 不予立案 with a statutory reason, or 移送 to the police or another agency."""

import datetime as dt

from django.db import transaction

from jianguan.businesses.models import Business
from jianguan.businesses.rules import UsccError, normalize_uscc
from jianguan.campaigns.models import Campaign
from jianguan.core.calendar import add_working_days
from jianguan.core.deadlines import (
    DeadlineChange,
    on_deadline_recomputed,
    register_provisional,
    unregister_provisional,
)
from jianguan.core.errors import DomainError
from jianguan.core.services import acting
from jianguan.org.models import Subdistrict, User

from .. import documents
from ..choices import LeadDecision, LeadSource, LeadStatus, NoPenaltyReason, RespondentKind, TransferTarget
from ..deadlines import lead_period_working_days
from ..models import Case, CaseCategory, Lead
from .common import check_version, check_writer, not_before, require_text, save

APP = "cases"


def _set_due(lead: Lead) -> None:
    days = lead_period_working_days(lead.received_on, paused_working_days=lead.paused_working_days, extended=lead.extended)
    due = add_working_days(lead.received_on, days)
    lead.decision_due, lead.decision_due_provisional = due.date, due.provisional
    ref = f"lead:{lead.pk}"
    unregister_provisional(app_label=APP, object_ref=ref, field_name="decision_due")
    if due.provisional:
        register_provisional(app_label=APP, object_ref=ref, field_name="decision_due", start=lead.received_on,
                             working_days=days, due=due.date)


def respondent_fields(*, business: Business | None, name: str = "", kind: str = "", uscc: str = "", id_no: str = "",
                      subdistrict: Subdistrict | None = None) -> dict:
    """The 当事人 of a lead or case: a registered business gives its name, code and subdistrict; anyone
    else is named, with a valid USCC for an organisation if given, an ID number for a person."""
    if business is not None:
        return {"business": business, "respondent_kind": RespondentKind.ORGANISATION, "respondent_name": business.name,
                "respondent_uscc": business.uscc, "respondent_id_no": "", "subdistrict": subdistrict or business.subdistrict}
    uscc = (uscc or "").strip().upper()
    if uscc:  # a registered business given by its code alone is that business
        try:
            uscc = normalize_uscc(uscc)
        except UsccError as exc:
            raise DomainError("invalid_uscc", f"统一社会信用代码“{uscc}”校验不通过：{exc}", {"field": "respondent_uscc"}) from None
        registered = Business.objects.filter(uscc=uscc).first()
        if registered is not None:
            return respondent_fields(business=registered, subdistrict=subdistrict)
    name = require_text(name, "respondent_name", "当事人名称")
    kind = kind or (RespondentKind.PERSON if id_no and not uscc else RespondentKind.ORGANISATION)
    if kind not in RespondentKind.values:
        raise DomainError("invalid_respondent_kind", f"当事人类型“{kind}”不存在", {"field": "respondent_kind"})
    return {"business": None, "respondent_kind": kind, "respondent_name": name, "respondent_uscc": uscc,
            "respondent_id_no": (id_no or "").strip().upper(), "subdistrict": subdistrict}


@transaction.atomic
def lead_open(*, actor: User | None, source: str, received_on: dt.date, summary: str, business: Business | None = None,
              respondent_name: str = "", respondent_kind: str = "", respondent_uscc: str = "", respondent_id_no: str = "",
              subdistrict: Subdistrict | None = None, category: CaseCategory | None = None, source_ref: str = "",
              source_label: str = "", campaign: Campaign | None = None, ip: str | None = None) -> Lead:
    """The one way a lead enters the inbox, whatever its source; the source record is named by a generic
    reference ("app_label.model:pk") so that the apps which open leads stay above cases."""
    if source not in LeadSource.values:
        raise DomainError("invalid_source", f"线索来源“{source}”不存在", {"field": "source"})
    fields = respondent_fields(business=business, name=respondent_name, kind=respondent_kind, uscc=respondent_uscc,
                               id_no=respondent_id_no, subdistrict=subdistrict)
    check_writer(actor, fields["subdistrict"])
    lead = Lead(source=source, received_on=received_on, summary=require_text(summary, "summary", "线索内容"),
                category=category, source_ref=source_ref, source_label=source_label[:200], campaign=campaign,
                created_by=actor, **fields)
    with acting(actor, ip):
        save(lead)
        _set_due(lead)
        lead.save(update_fields=["decision_due", "decision_due_provisional"])
    return lead


def _locked(pk: int, version: int | None, actor: User | None) -> Lead:
    lead = Lead.objects.select_for_update(of=("self",)).select_related("subdistrict").get(pk=pk)
    check_writer(actor, lead.subdistrict)
    check_version(lead, version)
    if lead.status != LeadStatus.PENDING:
        raise DomainError("lead_decided", f"该线索已{lead.get_status_display()}，不能再处理")
    return lead


@transaction.atomic
def lead_extend(*, actor: User | None, pk: int, version: int | None, approved_by: str, on: dt.date, ip: str | None = None) -> Lead:
    """+15 working days, once, approved before the deadline runs out."""
    lead = _locked(pk, version, actor)
    if lead.extended:
        raise DomainError("already_extended", "立案期限只能延长一次")
    if lead.decision_due and on > lead.decision_due:
        raise DomainError("extension_late", f"延期须在期限 {lead.decision_due} 届满前批准", {"field": "on"})
    lead.extended, lead.extension_approved_on = True, on
    lead.extension_approved_by = require_text(approved_by, "approved_by", "延期批准人")
    _set_due(lead)
    lead.version += 1
    with acting(actor, ip):
        save(lead)
    return lead


@transaction.atomic
def lead_pause(*, actor: User | None, pk: int, version: int | None, working_days: int, ip: str | None = None) -> Lead:
    """检测、检验、检疫、鉴定: their working days are not counted in the filing period."""
    lead = _locked(pk, version, actor)
    if not 0 < int(working_days) <= 365:
        raise DomainError("invalid_days", "不计入的工作日须在 1～365 之间", {"field": "working_days"})
    lead.paused_working_days += int(working_days)
    _set_due(lead)
    lead.version += 1
    with acting(actor, ip):
        save(lead)
    return lead


@transaction.atomic
def lead_decide(*, actor: User | None, pk: int, version: int | None, decision: str, on: dt.date, note: str = "",
                reason: str = "", transfer_target: str = "", transfer_body: str = "", approved_by: str = "",
                ip: str | None = None) -> Lead:
    """不予立案 (with its statutory reason; the approver signs the 不予立案审批表) or 移送 (with the receiving
    body). 立案 is `case_file`."""
    lead = _locked(pk, version, actor)
    not_before(on, lead.received_on, "on", "决定日期", "受理日期")
    if decision == LeadDecision.NOT_FILE:
        if reason not in NoPenaltyReason.values:
            raise DomainError("reason_required", "不予立案须选择理由", {"field": "reason"})
        lead.status, lead.not_filed_reason = LeadStatus.NOT_FILED, reason
    elif decision == LeadDecision.TRANSFER:
        if transfer_target not in TransferTarget.values:
            raise DomainError("transfer_target_required", "移送须选择移送对象（公安机关或其他行政机关）", {"field": "transfer_target"})
        lead.status, lead.transfer_target = LeadStatus.TRANSFERRED, transfer_target
        lead.transfer_body = require_text(transfer_body, "transfer_body", "接收机关")
    elif decision == LeadDecision.FILE:
        raise DomainError("use_case_file", "立案请填写立案审批表（案由、类别、承办人员）", {"field": "decision"})
    else:
        raise DomainError("invalid_decision", "请选择不予立案或移送", {"field": "decision"})
    lead.decided_on, lead.decided_by = on, actor
    lead.decision_note = (note or "").strip()
    lead.version += 1
    unregister_provisional(app_label=APP, object_ref=f"lead:{lead.pk}", field_name="decision_due")
    with acting(actor, ip):
        save(lead)
        if decision == LeadDecision.NOT_FILE:
            documents.issue_not_filing_approval(lead, on=on, actor=actor, approved_by=(approved_by or "").strip())
    return lead


@on_deadline_recomputed(APP)
def decision_clocks_recomputed(changes: list[DeadlineChange]) -> None:
    """A year's calendar was entered: the filing and decision deadlines computed on weekdays move to the
    official date (and stop being provisional once their year is known)."""
    models = {"lead": Lead, "case": Case}
    for change in changes:
        kind, _, pk = change.object_ref.partition(":")
        if change.field_name == "decision_due" and kind in models:
            models[kind].objects.filter(pk=int(pk)).update(decision_due=change.new_due, decision_due_provisional=not change.resolved)
