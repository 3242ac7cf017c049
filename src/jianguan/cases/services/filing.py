"""立案: a case opens from a lead (or on its own, e.g. found on the spot), with its number, its officers
(≥ 2 with a 执法证 valid on the filing day) and the 90-day decision clock."""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from jianguan.businesses.models import Business
from jianguan.core.deadlines import register_provisional, unregister_provisional
from jianguan.core.errors import DomainError
from jianguan.core.numbering import next_document_number
from jianguan.core.rules import rule_value
from jianguan.core.services import acting
from jianguan.org.models import Subdistrict, User

from .. import documents
from ..choices import CaseStatus, LeadSource, LeadStatus, Procedure, StepKind
from ..deadlines import decision_due, decision_period
from ..models import Case, CaseCategory, CaseStep, Lead
from .common import check_version, check_writer, require_text, save
from .leads import APP, respondent_fields


def check_officers(officers: list[User], on: dt.date) -> None:
    minimum = int(rule_value("cases.min_officers", on=on))
    if len(set(officers)) < minimum:
        raise DomainError("too_few_officers", f"案件须由不少于{minimum}名持有效执法证的执法人员承办，当前只有{len(set(officers))}名",
                          {"field": "officers"})
    for user in officers:
        if not user.cert_no:
            raise DomainError("no_certificate", f"“{user}”没有登记执法证，不能承办案件", {"field": "officers"})
        if not user.cert_valid_on(on):
            raise DomainError("certificate_expired", f"“{user}”的执法证在 {on} 已过有效期（{user.cert_valid_until}）",
                              {"field": "officers"})


def set_decision_due(case: Case) -> None:
    """The decision clock from the filing day, the days suspended (kept in `suspended_days` by the
    suspension services; an open suspension counts once it ends) and the extensions; a date in a year
    without a known calendar is provisional and registered for recomputation."""
    due = decision_due(case.filed_on, suspended=case.suspended_days, extended=case.extended,
                       further_days=case.collective_extension_days)
    case.decision_due, case.decision_due_provisional = due.date, due.provisional
    ref = f"case:{case.pk}"
    unregister_provisional(app_label=APP, object_ref=ref, field_name="decision_due")
    if due.provisional and case.pk:
        days = decision_period(case.filed_on, suspended=case.suspended_days, extended=case.extended,
                               further_days=case.collective_extension_days)
        register_provisional(app_label=APP, object_ref=ref, field_name="decision_due", start=case.filed_on,
                             calendar_days=days, due=due.date)


def add_step(case: Case, *, kind: str, on: dt.date, actor: User | None, opinion: str = "", approved_by: str = "",
             old_status: str = "", new_status: str = "") -> CaseStep:
    step = CaseStep(case=case, kind=kind, on=on, actor=actor, opinion=(opinion or "").strip(), approved_by=(approved_by or "").strip(),
                    old_status=old_status, new_status=new_status)
    save(step)
    return step


@transaction.atomic
def case_file(*, actor: User | None, filed_on: dt.date, category: CaseCategory, cause: str, officers: list[User],
              approved_by: str, lead_pk: int | None = None, lead_version: int | None = None,
              business: Business | None = None, respondent_name: str = "", respondent_kind: str = "",
              respondent_uscc: str = "", respondent_id_no: str = "", subdistrict: Subdistrict | None = None,
              source: str = "", violated_articles: str = "", penalising_articles: str = "", goods_value: Decimal | None = None,
              campaigns=(), opinion: str = "", ip: str | None = None) -> Case:
    """立案审批: from a pending lead (its respondent and source carry over) or on its own."""
    lead = None
    if lead_pk is not None:
        lead = Lead.objects.select_for_update().get(pk=lead_pk)
        check_version(lead, lead_version)
        if lead.status != LeadStatus.PENDING:
            raise DomainError("lead_decided", f"该线索已{lead.get_status_display()}，不能再立案")
        if filed_on < lead.received_on:
            raise DomainError("filed_too_early", f"立案日期 {filed_on} 早于线索受理日期 {lead.received_on}", {"field": "filed_on"})
        fields = {f: getattr(lead, f) for f in ("business", "respondent_kind", "respondent_name", "respondent_uscc",
                                                  "respondent_id_no", "subdistrict")}
        source = lead.source
    else:
        fields = respondent_fields(business=business, name=respondent_name, kind=respondent_kind, uscc=respondent_uscc,
                                   id_no=respondent_id_no, subdistrict=subdistrict)
        source = source or LeadSource.OTHER
    if source not in LeadSource.values:
        raise DomainError("invalid_source", f"案件来源“{source}”不存在", {"field": "source"})
    check_writer(actor, fields["subdistrict"])
    check_officers(list(officers), filed_on)
    if category.disabled_on and category.disabled_on <= filed_on:
        raise DomainError("category_disabled", f"案件类别“{category}”已停用", {"field": "category"})
    case = Case(
        lead=lead, source=source, filed_on=filed_on, category=category, cause=require_text(cause, "cause", "案由"),
        violated_articles=violated_articles.strip(), penalising_articles=penalising_articles.strip(),
        procedure=Procedure.GENERAL, goods_value=goods_value, created_by=actor, status=CaseStatus.FILED,
        officer_cert_nos="、".join(u.cert_no for u in officers), **fields,
    )
    approved_by = require_text(approved_by, "approved_by", "立案审批人")
    with acting(actor, ip):
        case.number = next_document_number("case", filed_on.year)
        save(case)
        set_decision_due(case)  # once the case has its pk, so that a provisional date is registered against it
        case.save(update_fields=["decision_due", "decision_due_provisional"])
        case.officers.set(officers)
        if campaigns:
            case.campaigns.set(campaigns)
        step = add_step(case, kind=StepKind.FILED, on=filed_on, actor=actor, approved_by=approved_by, opinion=opinion,
                        new_status=CaseStatus.FILED)
        documents.issue_case_document(case, documents.FILING_APPROVAL, on=filed_on, actor=actor, step=step,
                                      approval={"approved_by": approved_by, "opinion": (opinion or "").strip(),
                                                "on": filed_on.isoformat()})
        if lead is not None:
            lead.status, lead.decided_on, lead.decided_by, lead.version = LeadStatus.FILED, filed_on, actor, lead.version + 1
            unregister_provisional(app_label=APP, object_ref=f"lead:{lead.pk}", field_name="decision_due")
            save(lead)
    return case
