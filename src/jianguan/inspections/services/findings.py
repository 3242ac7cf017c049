"""The rectification loop: notice → the operator's report → re-check → closed, or escalation."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from jianguan.cases.choices import LeadSource
from jianguan.cases.models import Lead
from jianguan.cases.services import lead_open
from jianguan.core import documents
from jianguan.core.deadlines import tracked_deadline, unregister_provisional
from jianguan.core.documents.models import IssuedDocument
from jianguan.core.errors import DomainError
from jianguan.core.numbering import next_document_number
from jianguan.core.rules import rule_value
from jianguan.core.services import acting
from jianguan.equipment.choices import EquipmentStatus
from jianguan.equipment.services import equipment_seal, equipment_transition
from jianguan.org.models import User

from ..choices import (
    DocumentKind,
    Escalation,
    FindingStatus,
    InspectionKind,
    InspectionResult,
    InspectionStatus,
)
from ..documents import document_context
from ..models import Document, Finding, Inspection, Recheck, RectificationReport, Sealing
from ..rules import can_transition_finding
from .common import check_version, check_writer, save
from .inspections import attachment_add, inspection_create

APP = "inspections"


def _locked(pk: int) -> Finding:
    return Finding.objects.select_for_update(of=("self",)).select_related("subdistrict", "business__subdistrict", "equipment", "inspection").get(pk=pk)


def _move(finding: Finding, status: str) -> None:
    if not can_transition_finding(finding.status, status):
        if status == FindingStatus.CLOSED:
            raise DomainError("recheck_required", "问题须经复查确认整改到位后方可关闭，请先登记整改报告并复查")
        raise DomainError(
            "invalid_transition", f"问题状态不能由“{finding.get_status_display()}”变为“{FindingStatus(status).label}”"
        )
    finding.status = status
    finding.version += 1


@transaction.atomic
def document_issue(
    *, actor: User | None, inspection: Inspection, kind: str, findings: list[Finding], issued_on: dt.date,
    deadline: dt.date | None = None, ip: str | None = None,
) -> Document:
    """Issue a 责令整改通知书 or a 特种设备安全监察指令书 for findings of one inspection; the number is
    taken in this transaction, so a rejected document consumes none."""
    check_writer(actor, inspection.subdistrict)
    if kind not in DocumentKind.values:
        raise DomainError("invalid_document_kind", f"文书种类“{kind}”不存在", {"field": "kind"})
    if not findings:
        raise DomainError("findings_required", "请选择文书涉及的问题", {"field": "findings"})
    for finding in findings:
        if finding.inspection_id != inspection.pk:
            raise DomainError("finding_not_of_inspection", f"问题“{finding.description[:20]}”不是本次检查发现的", {"field": "findings"})
    if kind == DocumentKind.SUPERVISION_ORDER and any(f.equipment_id is None for f in findings):
        raise DomainError("equipment_required", "特种设备安全监察指令书只能针对涉及特种设备的问题", {"field": "findings"})
    if issued_on < inspection.date:
        raise DomainError("issued_before_inspection", f"下达日期 {issued_on} 早于检查日期 {inspection.date}", {"field": "issued_on"})
    deadline = deadline or max(f.deadline for f in findings)
    if deadline < issued_on:
        raise DomainError("deadline_before_issue", f"整改期限 {deadline} 早于下达日期 {issued_on}", {"field": "deadline"})
    document = Document(
        kind=kind, number=next_document_number(kind, issued_on.year), inspection=inspection, business=inspection.business,
        subdistrict=inspection.subdistrict, issued_on=issued_on, deadline=deadline, issued_by=actor,
    )
    with acting(actor, ip):
        save(document)
        document.findings.set(findings)
        _render(document, actor)
    return document


def _render(document: Document, actor: User | None) -> None:
    """The Word file, rendered from the records as they are now and kept with the document."""
    document.rendered = documents.issue(
        kind=document.kind, context=document_context(document), owner=document, actor=actor
    )
    document.save(update_fields=["rendered"])


@transaction.atomic
def document_file(*, actor: User | None, pk: int, ip: str | None = None) -> IssuedDocument:
    """The document's kept file; a document issued before files were kept gets one now (from the
    records as they are today, which the file's 生成时间 shows)."""
    document = Document.objects.select_for_update(of=("self",)).select_related("rendered").get(pk=pk)
    if document.rendered is None:
        with acting(actor, ip):
            _render(document, actor)
    return document.rendered


@transaction.atomic
def finding_update(
    *, actor: User | None, pk: int, version: int | None, ip: str | None = None, **fields
) -> Finding:
    """Correct an open finding's description, severity, legal basis or deadline."""
    finding = _locked(pk)
    check_writer(actor, finding.subdistrict)
    check_version(finding, version)
    if finding.status != FindingStatus.OPEN:
        raise DomainError("finding_not_open", f"问题状态为“{finding.get_status_display()}”，不能修改")
    allowed = {"description", "severity", "legal_basis", "deadline"}
    if set(fields) - allowed:
        raise DomainError("not_editable", f"不能修改：{'、'.join(set(fields) - allowed)}")
    for name, value in fields.items():
        setattr(finding, name, value)
    if finding.deadline < finding.found_on:
        raise DomainError("deadline_before_inspection", f"整改期限 {finding.deadline} 早于检查日期 {finding.found_on}", {"field": "deadline"})
    finding.version += 1
    with acting(actor, ip):
        save(finding)
    return finding


@transaction.atomic
def finding_report(
    *, actor: User | None, pk: int, version: int | None, submitted_on: dt.date, text: str, submitter_name: str = "",
    files=(), ip: str | None = None,
) -> RectificationReport:
    """The operator's rectification report; the re-check falls due N working days after it."""
    finding = _locked(pk)
    check_writer(actor, finding.subdistrict)
    check_version(finding, version)
    if not (text or "").strip():
        raise DomainError("text_required", "请填写整改情况", {"field": "text"})
    if submitted_on < finding.found_on:
        raise DomainError("report_before_finding", f"整改报告日期 {submitted_on} 早于发现日期 {finding.found_on}", {"field": "submitted_on"})
    _move(finding, FindingStatus.REPORTED)
    days = int(rule_value("inspections.recheck_working_days", on=submitted_on))
    due = tracked_deadline(app_label=APP, object_ref=f"finding:{finding.pk}", field_name="recheck_due", start=submitted_on, working_days=days)
    finding.reported_on, finding.recheck_due, finding.recheck_due_provisional = submitted_on, due.date, due.provisional
    with acting(actor, ip):
        save(finding)
        report = RectificationReport(finding=finding, submitted_on=submitted_on, text=text.strip(), submitted_by=actor, submitter_name=submitter_name.strip())
        save(report)
        for upload in files:
            attachment_add(actor=actor, upload=upload, report=report, ip=ip)
    return report


@transaction.atomic
def finding_recheck(
    *, actor: User, pk: int, version: int | None, date: dt.date, passed: bool, inspectors: list[User], note: str = "",
    new_deadline: dt.date | None = None, ip: str | None = None,
) -> Recheck:
    """A re-check is an inspection (回头看) of its own; passed closes the finding, failed reopens it
    with a new deadline. Whoever reported the rectification cannot also confirm it."""
    finding = _locked(pk)
    check_writer(actor, finding.subdistrict)
    check_version(finding, version)
    if finding.status != FindingStatus.REPORTED:
        raise DomainError("not_reported", f"问题状态为“{finding.get_status_display()}”，须先登记整改报告才能复查")
    report = finding.reports.order_by("-submitted_on", "-pk").first()
    checkers = {u.pk for u in inspectors} | {actor.pk}
    if report.submitted_by_id and report.submitted_by_id in checkers:
        raise DomainError(
            "self_recheck", f"整改报告由“{report.submitted_by}”登记，复查须由其他执法人员进行", {"field": "inspectors"}
        )
    if date < finding.reported_on:
        raise DomainError("recheck_before_report", f"复查日期 {date} 早于整改报告日期 {finding.reported_on}", {"field": "date"})
    if not passed:
        if new_deadline is None:
            raise DomainError("deadline_required", "复查未通过，请填写新的整改期限", {"field": "new_deadline"})
        if new_deadline < date:
            raise DomainError("deadline_before_recheck", f"新的整改期限 {new_deadline} 早于复查日期 {date}", {"field": "new_deadline"})
    inspection = inspection_create(
        actor=actor, kind=InspectionKind.FOLLOW_UP, business=finding.business, date=date, inspectors=inspectors,
        equipment=[finding.equipment] if finding.equipment else [], campaign=_campaign_for(finding, date),
        summary=f"复查：{finding.description}", status=InspectionStatus.IN_PROGRESS, source="recheck", ip=ip,
    )
    # The re-check's result is about the finding it re-checks, so it raises no findings of its own.
    inspection.status, inspection.completed_at = InspectionStatus.COMPLETED, timezone.now()
    inspection.result = InspectionResult.NO_PROBLEM if passed else InspectionResult.ORDERED
    inspection.summary = f"复查“{finding.description[:40]}”：{'整改到位' if passed else '整改不到位'}。{(note or '').strip()}"
    if passed:
        _move(finding, FindingStatus.CLOSED)
        finding.closed_on = date
    else:
        _move(finding, FindingStatus.OPEN)
        finding.deadline = new_deadline
    finding.recheck_due_provisional = False
    unregister_provisional(app_label=APP, object_ref=f"finding:{finding.pk}")
    with acting(actor, ip):
        save(inspection)
        save(finding)
        recheck = Recheck(finding=finding, inspection=inspection, date=date, passed=passed, note=(note or "").strip(), by=actor, new_deadline=new_deadline)
        save(recheck)
    return recheck


def _campaign_for(finding: Finding, on: dt.date):
    campaign = finding.inspection.campaign
    return campaign if campaign and campaign.start <= on <= campaign.end else None


@transaction.atomic
def finding_escalate(
    *, actor: User, pk: int, version: int | None, escalation: str, on: dt.date, reason: str, ip: str | None = None,
) -> Finding:
    """Escalate: a case lead, sealing the device (查封) or stopping its use."""
    finding = _locked(pk)
    check_writer(actor, finding.subdistrict)
    check_version(finding, version)
    if escalation not in Escalation.values:
        raise DomainError("invalid_escalation", f"处置方式“{escalation}”不存在", {"field": "escalation"})
    if not (reason or "").strip():
        raise DomainError("reason_required", "请填写升级处置的理由", {"field": "reason"})
    if escalation in (Escalation.SEAL, Escalation.STOP_USE) and finding.equipment is None:
        raise DomainError("equipment_required", "该问题未涉及特种设备，不能查封或责令停止使用设备", {"field": "escalation"})
    if on < finding.found_on:
        raise DomainError("escalated_before_finding", f"处置日期 {on} 早于发现日期 {finding.found_on}", {"field": "on"})
    _move(finding, FindingStatus.ESCALATED)
    finding.escalation, finding.escalated_on = escalation, on
    unregister_provisional(app_label=APP, object_ref=f"finding:{finding.pk}")
    with acting(actor, ip):
        save(finding)
        if escalation == Escalation.CASE_LEAD:
            lead_open(
                actor=actor, source=LeadSource.INSPECTION, received_on=on, business=finding.business,
                subdistrict=finding.subdistrict, summary=f"{finding.description}\n移交理由：{reason.strip()}",
                source_ref=f"inspections.finding:{finding.pk}", source_label=f"检查 {finding.inspection.number} 发现的问题",
                campaign=finding.inspection.campaign, ip=ip,
            )
        elif escalation == Escalation.SEAL:
            sealing_create(actor=actor, equipment=finding.equipment, finding=finding, on=on, reason=reason, ip=ip)
        else:
            device = finding.equipment
            if device.status == EquipmentStatus.IN_USE:
                equipment_transition(actor=actor, pk=device.pk, version=device.version, status=EquipmentStatus.IDLE, on=on, ip=ip)
    return finding


@transaction.atomic
def case_lead_open(*, actor: User, inspection: Inspection, description: str, on: dt.date, ip: str | None = None) -> Lead:
    """A lead straight from an inspection (result 立案线索), without a finding."""
    check_writer(actor, inspection.subdistrict)
    if not (description or "").strip():
        raise DomainError("description_required", "请填写线索内容", {"field": "description"})
    return lead_open(
        actor=actor, source=LeadSource.INSPECTION, received_on=on, business=inspection.business,
        subdistrict=inspection.subdistrict, summary=description.strip(), source_ref=f"inspections.inspection:{inspection.pk}",
        source_label=f"检查 {inspection.number}", campaign=inspection.campaign, ip=ip,
    )


@transaction.atomic
def sealing_create(*, actor: User, equipment, on: dt.date, reason: str, finding: Finding | None = None, ip: str | None = None) -> Sealing:
    if Sealing.objects.filter(equipment=equipment, lifted_on__isnull=True).exists():
        raise DomainError("already_sealed", f"设备 {equipment.reg_code} 已被查封，尚未解封", {"field": "equipment"})
    sealing = Sealing(equipment=equipment, finding=finding, sealed_on=on, reason=reason.strip(), sealed_by=actor)
    with acting(actor, ip):
        save(sealing)
        equipment_seal(actor=actor, pk=equipment.pk, sealed=True, ip=ip)
    return sealing


@transaction.atomic
def sealing_lift(*, actor: User, pk: int, on: dt.date, reason: str, ip: str | None = None) -> Sealing:
    """The unsealing record: the only way a sealed device's mark is lifted."""
    sealing = Sealing.objects.select_for_update(of=("self",)).select_related("equipment__subdistrict").get(pk=pk)
    check_writer(actor, sealing.equipment.subdistrict)
    if sealing.lifted_on is not None:
        raise DomainError("already_lifted", f"该查封已于 {sealing.lifted_on} 解除")
    if not (reason or "").strip():
        raise DomainError("reason_required", "请填写解除查封的理由", {"field": "lift_reason"})
    if on < sealing.sealed_on:
        raise DomainError("lift_before_seal", f"解封日期 {on} 早于查封日期 {sealing.sealed_on}", {"field": "lifted_on"})
    sealing.lifted_on, sealing.lift_reason, sealing.lifted_by = on, reason.strip(), actor
    with acting(actor, ip):
        save(sealing)
        equipment_seal(actor=actor, pk=sealing.equipment_id, sealed=False, ip=ip)
    return sealing


@transaction.atomic
def finding_close(*, actor: User, pk: int, version: int | None, on: dt.date, ip: str | None = None) -> Finding:
    """Closing by hand: allowed only when the latest re-check found the rectification done (the
    re-check service closes the finding itself; this exists for a lost click and for the API)."""
    finding = _locked(pk)
    check_writer(actor, finding.subdistrict)
    check_version(finding, version)
    last = finding.rechecks.order_by("-date", "-pk").first()
    if finding.status == FindingStatus.CLOSED:
        raise DomainError("already_closed", f"该问题已于 {finding.closed_on} 整改完成")
    if last is None or not last.passed or finding.status != FindingStatus.REPORTED:
        raise DomainError("recheck_required", "问题须经复查确认整改到位后方可关闭，请先登记整改报告并复查")
    _move(finding, FindingStatus.CLOSED)
    finding.closed_on = on
    with acting(actor, ip):
        save(finding)
    return finding
