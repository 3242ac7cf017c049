"""Inspections: create, fill the checklist, complete (raising findings), amend, archive, attachments."""

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from jianguan.businesses.models import Business
from jianguan.campaigns.models import Campaign
from jianguan.core.errors import DomainError
from jianguan.core.numbering import next_document_number
from jianguan.core.rules import rule_value
from jianguan.core.services import acting
from jianguan.equipment.models import Equipment
from jianguan.org.models import User

from ..choices import InspectionKind, InspectionResult, InspectionStatus, ItemOutcome, Severity
from ..models import (
    Amendment,
    Attachment,
    Checklist,
    Finding,
    Inspection,
    ItemResult,
    RectificationReport,
)
from ..rules import (
    ALLOWED_LABEL,
    can_transition_inspection,
    is_external,
    sniff_content_type,
)
from ..selectors import campaign_checklist
from .common import check_version, check_writer, save, set_in_order

NUMBER_KIND = "inspection"


def check_inspectors(kind: str, on: dt.date, inspectors: list[User], performed_by: str = "") -> None:
    """The bureau's own inspections need at least N (a versioned rule) inspectors with a 执法证 valid
    on the inspection date; the business's, the grid's and third parties' need someone named."""
    if is_external(kind):
        if not inspectors and not performed_by.strip():
            raise DomainError("performer_required", f"{InspectionKind(kind).label}须填写实施人（企业、网格员或第三方机构）", {"field": "performed_by"})
        return
    minimum = int(rule_value("inspections.min_inspectors", on=on))
    if len({u.pk for u in inspectors}) < minimum:
        raise DomainError(
            "too_few_inspectors",
            f"{InspectionKind(kind).label}须由不少于{minimum}名持有效执法证的执法人员实施，当前只有{len(inspectors)}名",
            {"field": "inspectors", "minimum": minimum},
        )
    for user in inspectors:
        if not user.cert_no:
            raise DomainError("no_certificate", f"检查人员“{user}”没有登记执法证，不能实施检查", {"field": "inspectors"})
        if not user.cert_valid_on(on):
            raise DomainError(
                "certificate_expired",
                f"检查人员“{user}”的执法证（{user.cert_no}）有效期至 {user.cert_valid_until}，检查日期 {on} 时已失效",
                {"field": "inspectors"},
            )


def _check_equipment(business: Business, equipment: list[Equipment]) -> None:
    for device in equipment:
        if device.operator_id != business.pk:
            raise DomainError("equipment_not_of_business", f"设备 {device.reg_code} 的使用单位不是“{business.name}”", {"field": "equipment"})


def _check_campaign_scope(campaign: Campaign, business: Business, equipment: list[Equipment]) -> None:
    problem = campaign.scope_problem(business, [d.type_id for d in equipment])
    if problem:
        raise DomainError("outside_campaign_scope", f"“{business.name}”不能计入专项行动“{campaign.name}”：{problem}", {"field": "campaign"})


@transaction.atomic
def inspection_create(
    *, actor: User | None, kind: str, business: Business, date: dt.date, inspectors: list[User] = (),
    equipment: list[Equipment] = (), checklist: Checklist | None = None, campaign: Campaign | None = None,
    performed_by: str = "", summary: str = "", status: str = InspectionStatus.SCHEDULED, source: str = "manual",
    ip: str | None = None,
) -> Inspection:
    if kind not in InspectionKind.values:
        raise DomainError("invalid_kind", f"检查类型“{kind}”不存在", {"field": "kind"})
    check_writer(actor, business.subdistrict)
    inspectors, equipment = list(inspectors), list(equipment)
    check_inspectors(kind, date, inspectors, performed_by)
    _check_equipment(business, equipment)
    if campaign is not None and not (campaign.start <= date <= campaign.end):
        raise DomainError(
            "outside_campaign", f"检查日期 {date} 不在专项行动“{campaign.name}”期间（{campaign.start} 至 {campaign.end}）内", {"field": "date"}
        )
    if campaign is not None:
        _check_campaign_scope(campaign, business, equipment)
    checklist = checklist or campaign_checklist(campaign)
    if checklist is not None and checklist.disabled_on and checklist.disabled_on <= date:
        raise DomainError("checklist_disabled", f"检查表“{checklist}”已停用", {"field": "checklist"})
    inspection = Inspection(
        number=next_document_number(NUMBER_KIND, date.year), kind=kind, business=business, subdistrict=business.subdistrict,
        date=date, status=status, inspector_count=len({u.pk for u in inspectors}), performed_by=performed_by.strip(),
        checklist=checklist, campaign=campaign, summary=summary, source=source, created_by=actor,
    )
    with acting(actor, ip):
        save(inspection)
        set_in_order(inspection.inspectors, inspectors)
        inspection.equipment.set(equipment)
    return inspection


def _locked(pk: int) -> Inspection:
    return Inspection.objects.select_for_update(of=("self",)).select_related("subdistrict", "checklist", "business").get(pk=pk)


def _check_open(inspection: Inspection) -> None:
    if inspection.is_done:
        raise DomainError(
            "inspection_completed", f"检查 {inspection.number} 已完成，不能直接修改；如需更正，请填写更正记录并说明理由",
        )


@transaction.atomic
def inspection_record_items(*, actor: User | None, pk: int, version: int | None, results: dict[int, tuple[str, str]], ip: str | None = None) -> Inspection:
    """Save checklist answers {item id: (outcome, note)}; a scheduled inspection starts on its first answer."""
    inspection = _locked(pk)
    check_writer(actor, inspection.subdistrict)
    check_version(inspection, version)
    _check_open(inspection)
    if inspection.checklist is None:
        raise DomainError("no_checklist", "该检查未使用检查表")
    items = {item.pk: item for item in inspection.checklist.items.all()}
    with acting(actor, ip):
        for item_id, (outcome, note) in results.items():
            item = items.get(int(item_id))
            if item is None:
                raise DomainError("unknown_item", f"检查要点 {item_id} 不属于检查表“{inspection.checklist}”")
            if outcome not in ItemOutcome.values:
                raise DomainError("invalid_outcome", f"第{item.order}项“{item.point}”的结果“{outcome}”无效", {"item": item.pk})
            if outcome == ItemOutcome.NONCONFORM and not (note or "").strip():
                raise DomainError("note_required", f"第{item.order}项“{item.point}”为不符合，须说明问题", {"item": item.pk})
            ItemResult.objects.update_or_create(inspection=inspection, item=item, defaults={"outcome": outcome, "note": (note or "").strip()})
        if inspection.status == InspectionStatus.SCHEDULED:
            inspection.status = InspectionStatus.IN_PROGRESS
        inspection.version += 1
        inspection.save(update_fields=["status", "version"])
    return inspection


@dataclass
class NewFinding:
    description: str
    deadline: dt.date
    severity: str = Severity.GENERAL
    legal_basis: str = ""
    equipment: Equipment | None = None
    item_id: int | None = None


def finding_add(*, actor: User | None, inspection: Inspection, new: NewFinding) -> Finding:
    """Part of an inspection's transaction: a finding is raised by the inspection that found it."""
    if new.deadline < inspection.date:
        raise DomainError(
            "deadline_before_inspection", f"整改期限 {new.deadline} 早于检查日期 {inspection.date}", {"field": "deadline"}
        )
    if not new.description.strip():
        raise DomainError("description_required", "请填写问题描述", {"field": "description"})
    if new.equipment is not None and new.equipment.operator_id != inspection.business_id:
        raise DomainError("equipment_not_of_business", f"设备 {new.equipment.reg_code} 不属于被检查单位", {"field": "equipment"})
    finding = Finding(
        inspection=inspection, business=inspection.business, subdistrict=inspection.subdistrict, equipment=new.equipment,
        item_id=new.item_id, severity=new.severity, description=new.description.strip(), legal_basis=new.legal_basis,
        found_on=inspection.date, deadline=new.deadline,
    )
    save(finding)
    return finding


@transaction.atomic
def inspection_complete(
    *, actor: User | None, pk: int, version: int | None, result: str, summary: str = "",
    findings: list[NewFinding] = (), deadline: dt.date | None = None, ip: str | None = None,
) -> Inspection:
    """Complete an inspection. Each 不符合 checklist item without a finding of its own raises one
    (重大 when the item says so) with `deadline`; free findings come in `findings`."""
    inspection = _locked(pk)
    check_writer(actor, inspection.subdistrict)
    check_version(inspection, version)
    if not can_transition_inspection(inspection.status, InspectionStatus.COMPLETED):
        raise DomainError("invalid_transition", f"检查状态为“{inspection.get_status_display()}”，不能完成")
    if result not in InspectionResult.values:
        raise DomainError("result_required", "请选择检查结果", {"field": "result"})
    new = list(findings)
    covered = {f.item_id for f in new if f.item_id} | set(inspection.findings.exclude(item=None).values_list("item_id", flat=True))
    for res in inspection.item_results.select_related("item").filter(outcome=ItemOutcome.NONCONFORM):
        if res.item_id in covered:
            continue
        if deadline is None:
            raise DomainError("deadline_required", "检查表有不符合项，请填写整改期限", {"field": "deadline"})
        new.append(NewFinding(
            description=f"{res.item.point}：{res.note}", deadline=deadline, legal_basis=res.item.legal_basis,
            severity=Severity.MAJOR if res.item.serious else Severity.GENERAL, item_id=res.item_id,
        ))
    has_findings = bool(new) or inspection.findings.exists()
    if has_findings and result in (InspectionResult.NO_PROBLEM, InspectionResult.NOT_FOUND):
        raise DomainError("result_conflict", f"本次检查发现了问题，检查结果不能为“{InspectionResult(result).label}”", {"field": "result"})
    if not has_findings and result in (InspectionResult.PROBLEMS, InspectionResult.ORDERED):
        raise DomainError("result_conflict", f"检查结果为“{InspectionResult(result).label}”，请至少登记一条问题", {"field": "result"})
    with acting(actor, ip):
        for item in new:
            finding_add(actor=actor, inspection=inspection, new=item)
        inspection.status, inspection.result = InspectionStatus.COMPLETED, result
        inspection.summary = summary or inspection.summary
        inspection.completed_at = timezone.now()
        inspection.version += 1
        save(inspection)
    return inspection


@transaction.atomic
def inspection_update(*, actor: User | None, pk: int, version: int | None, ip: str | None = None, **fields) -> Inspection:
    """Edit an inspection not yet completed: date, summary, inspectors, equipment, campaign."""
    inspection = _locked(pk)
    check_writer(actor, inspection.subdistrict)
    check_version(inspection, version)
    _check_open(inspection)
    inspectors = fields.pop("inspectors", None)
    equipment = fields.pop("equipment", None)
    for name in ("date", "summary", "performed_by", "campaign"):
        if name in fields:
            setattr(inspection, name, fields.pop(name))
    if fields:
        raise DomainError("not_editable", f"不能修改：{'、'.join(fields)}")
    if inspectors is not None:
        check_inspectors(inspection.kind, inspection.date, list(inspectors), inspection.performed_by)
        inspection.inspector_count = len({u.pk for u in inspectors})
    else:
        check_inspectors(inspection.kind, inspection.date, list(inspection.inspectors.all()), inspection.performed_by)
    if equipment is not None:
        _check_equipment(inspection.business, list(equipment))
    inspection.version += 1
    with acting(actor, ip):
        save(inspection)
        if inspectors is not None:
            set_in_order(inspection.inspectors, inspectors)
        if equipment is not None:
            inspection.equipment.set(equipment)
    return inspection


AMENDABLE = {"summary": "检查情况", "result": "检查结果", "performed_by": "实施人"}


@transaction.atomic
def inspection_amend(*, actor: User, pk: int, version: int | None, reason: str, changes: dict, ip: str | None = None) -> Amendment:
    """A completed inspection changes only through an amendment record that keeps before, after and why."""
    inspection = _locked(pk)
    check_writer(actor, inspection.subdistrict)
    check_version(inspection, version)
    if not inspection.is_done:
        raise DomainError("not_completed", "检查尚未完成，可直接修改，无需更正记录")
    if not (reason or "").strip():
        raise DomainError("reason_required", "更正已完成的检查须说明理由", {"field": "reason"})
    unknown = set(changes) - set(AMENDABLE)
    if unknown or not changes:
        raise DomainError("not_amendable", f"可更正的内容为：{'、'.join(AMENDABLE.values())}", {"field": "changes"})
    if "result" in changes and changes["result"] not in InspectionResult.values:
        raise DomainError("result_required", "检查结果无效", {"field": "result"})
    diff = {name: {"before": getattr(inspection, name), "after": value} for name, value in changes.items() if getattr(inspection, name) != value}
    if not diff:
        raise DomainError("nothing_changed", "更正内容与原记录相同")
    with acting(actor, ip):
        for name, change in diff.items():
            setattr(inspection, name, change["after"])
        inspection.version += 1
        save(inspection)
        amendment = Amendment.objects.create(inspection=inspection, reason=reason.strip(), changes=diff, by=actor)
    return amendment


@transaction.atomic
def inspection_transition(*, actor: User | None, pk: int, version: int | None, status: str, ip: str | None = None) -> Inspection:
    """Start or archive; completing goes through inspection_complete."""
    inspection = _locked(pk)
    check_writer(actor, inspection.subdistrict)
    check_version(inspection, version)
    if status == InspectionStatus.COMPLETED:
        raise DomainError("use_complete", "完成检查须填写检查结果")
    if not can_transition_inspection(inspection.status, status):
        raise DomainError(
            "invalid_transition", f"检查状态不能由“{inspection.get_status_display()}”变为“{InspectionStatus(status).label}”"
        )
    inspection.status = status
    inspection.version += 1
    with acting(actor, ip):
        save(inspection)
    return inspection


@transaction.atomic
def attachment_add(
    *, actor: User | None, upload, inspection: Inspection | None = None, report: RectificationReport | None = None, ip: str | None = None,
) -> Attachment:
    """Store a photo or PDF through Django's storage; type checked on the content, size by a versioned rule."""
    owner = inspection or report.finding.inspection
    check_writer(actor, owner.subdistrict)
    limit_kb = int(rule_value("inspections.attachment_max_kb", on=timezone.localdate()))
    name = getattr(upload, "name", "附件")
    if upload.size > limit_kb * 1024:
        raise DomainError(
            "attachment_too_large", f"附件“{name}”大小为 {upload.size / 1024 / 1024:.1f} MB，超过上限 {limit_kb / 1024:.0f} MB",
            {"field": "attachments"},
        )
    data = upload.read()
    content_type = sniff_content_type(data[:16])
    if content_type is None:
        raise DomainError("attachment_type", f"附件“{name}”不是{ALLOWED_LABEL}，未上传", {"field": "attachments"})
    attachment = Attachment(
        inspection=inspection, report=report, name=name[:200], content_type=content_type, size=len(data),
        sha256=hashlib.sha256(data).hexdigest(), uploaded_by=actor,
    )
    with acting(actor, ip):
        attachment.file.save(name, ContentFile(data), save=False)
        try:
            save(attachment)
        except Exception:
            attachment.file.delete(save=False)  # nothing half-written: no orphan file for a rejected row
            raise
    return attachment
