"""The inspection page: facts, the checklist to fill (one item per row), attachments, completing,
and after completion the findings, documents, amendments, archiving and a timeline."""

import datetime as dt

from auditlog.models import LogEntry
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianguan.core.errors import DomainError
from jianguan.core.middleware import client_ip
from jianguan.equipment import selectors as equipment_selectors
from jianguan.equipment.services import task_complete

from .. import selectors
from ..choices import InspectionResult, InspectionStatus, ItemOutcome
from ..forms import (
    AmendForm,
    AttachmentForm,
    ChecklistForm,
    CompleteForm,
    DocumentForm,
    FreeFindingFormSet,
    VersionForm,
)
from ..models import Attachment
from ..services import inspections as services
from ..services.findings import document_issue
from ..services.inspections import AMENDABLE, NewFinding
from .common import INSPECTION_STATUS_BADGE, add_attachments, can_edit, inspection_or_404, today, with_clocks

OUTCOME_BADGE = {ItemOutcome.CONFORM: "active", ItemOutcome.NONCONFORM: "danger", ItemOutcome.NOT_APPLICABLE: "deregistered",
                 ItemOutcome.REASONABLE_GAP: "deregistered"}


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _display(name: str, value) -> str:
    if name == "result":
        return InspectionResult(value).label if value in InspectionResult.values else (value or "（空）")
    return value or "（空）"


def _completed_by(inspection):
    """Who completed it: the audit row that set completed_at (the model keeps no such column)."""
    for entry in LogEntry.objects.get_for_object(inspection).select_related("actor").order_by("-timestamp", "-pk")[:50]:
        if "completed_at" in (entry.changes_dict or {}):
            return entry.actor
    return None


def inspection_timeline(inspection, amendments, documents, attachments) -> list[dict]:
    """录入, 完成, 更正 (with before → after), 文书 and 附件, newest first."""
    events = [{
        "at": inspection.created_at, "sort": inspection.created_at, "audit": True, "milestone": True,
        "actor": inspection.created_by or "系统", "title": f"录入检查（{inspection.get_kind_display()}，检查日期 {inspection.date:%Y-%m-%d}）",
    }]
    if inspection.completed_at:
        events.append({
            "at": inspection.completed_at, "sort": inspection.completed_at, "audit": True, "milestone": True,
            "actor": _completed_by(inspection) or "—", "title": f"完成检查：{inspection.get_result_display() or '—'}",
        })
    for amendment in amendments:
        events.append({
            "at": amendment.at, "sort": amendment.at, "audit": True, "actor": amendment.by, "title": f"更正记录：{amendment.reason}",
            "changes": [
                {"label": AMENDABLE.get(name, name), "before": _display(name, change.get("before")), "after": _display(name, change.get("after"))}
                for name, change in (amendment.changes or {}).items()
            ],
        })
    for document in documents:
        events.append({
            "at": document.issued_on, "sort": _at(document.issued_on), "milestone": True,
            "title": f"下达{document.get_kind_display()} {document.number}（整改期限 {document.deadline:%Y-%m-%d}）",
        })
    for attachment in attachments:
        events.append({
            "at": attachment.uploaded_at, "sort": attachment.uploaded_at, "audit": True, "actor": attachment.uploaded_by or "系统",
            "title": f"上传附件：{attachment.name}",
        })
    events.sort(key=lambda e: e["sort"], reverse=True)
    return events


def _equipment_qs(request, inspection):
    return equipment_selectors.equipment_list(actor=request.user, filters={"operator": inspection.business.uscc}).order_by("reg_code")


def _open_tasks(request, inspection, devices) -> list:
    if not devices:
        return []
    return list(selectors.equipment_task_queue(actor=request.user).filter(equipment__in=devices))


def detail_context(request, inspection, **forms) -> dict:
    on = today()
    editable = can_edit(request.user)
    items = list(inspection.checklist.items.all()) if inspection.checklist_id else []
    results = {r.item_id: r for r in inspection.item_results.all()}
    findings = with_clocks(inspection.findings.select_related("equipment", "item").order_by("pk"), on)
    documents = list(inspection.documents.select_related("issued_by").prefetch_related("findings"))
    attachments = list(inspection.attachments.select_related("uploaded_by"))
    amendments = list(inspection.amendments.select_related("by"))
    devices = list(inspection.equipment.select_related("type"))
    done = inspection.is_done
    version = {"version": inspection.version}
    context = {
        "inspection": inspection,
        "status_badge": INSPECTION_STATUS_BADGE.get(inspection.status, ""),
        "inspectors": list(inspection.inspectors.select_related("org_unit")),
        "devices": devices,
        "items": [(item, results.get(item.pk)) for item in items],
        "answered": len(results),
        "nonconform": sum(1 for r in results.values() if r.outcome == ItemOutcome.NONCONFORM),
        "outcome_badge": OUTCOME_BADGE,
        "findings": findings,
        "documents": documents,
        "attachments": attachments,
        "amendments": amendments,
        "timeline": inspection_timeline(inspection, amendments, documents, attachments),
        "rechecks": list(inspection.rechecks.select_related("finding")),
        "can_edit": editable,
        "done": done,
        "today": on,
        "open_form": forms.pop("open_form", ""),
        "stale": forms.pop("stale", False),
    }
    if not editable:
        context.update(forms)  # a refused form (read-only account) is shown with the service's message
        return context
    if inspection.status != InspectionStatus.ARCHIVED:
        context["attachment_form"] = forms.get("attachment_form") or AttachmentForm()
    if not done:
        if items:
            context["checklist_form"] = forms.get("checklist_form") or ChecklistForm(items=items, results=results, initial=version)
        context["complete_form"] = forms.get("complete_form") or CompleteForm(initial={
            **version, "summary": inspection.summary,
            "result": InspectionResult.ORDERED if context["nonconform"] else "",
        })
        context["finding_formset"] = forms.get("finding_formset") or FreeFindingFormSet(
            prefix="f", form_kwargs={"equipment_qs": _equipment_qs(request, inspection)}
        )
        return context
    if findings:
        context["document_form"] = forms.get("document_form") or DocumentForm(
            inspection=inspection, initial={"issued_on": max(on, inspection.date), "findings": [f.pk for f in findings]}
        )
    context["amend_form"] = forms.get("amend_form") or AmendForm(initial={
        **version, "result": inspection.result, "summary": inspection.summary, "performed_by": inspection.performed_by,
    })
    if inspection.status == InspectionStatus.COMPLETED:
        context["archive_form"] = forms.get("archive_form") or VersionForm(initial=version)
    context["open_tasks"] = _open_tasks(request, inspection, devices)
    return context


def inspection_detail(request, pk: int):
    inspection = inspection_or_404(request, pk)
    return render(request, "inspections/detail.html", detail_context(request, inspection))


def _refresh_version(form, current: int, prefix: str = "") -> None:
    """After a ConcurrentEdit the user's input stays; the hidden version moves on, so that sending
    the form again (having read the message) is a deliberate decision."""
    form.data = form.data.copy()
    form.data[f"{prefix}version"] = str(current)


def _failed(request, inspection, form_name: str, form, exc: DomainError | None = None, **more):
    stale = exc is not None and exc.code == "concurrent_edit"
    if stale:
        inspection = inspection_or_404(request, inspection.pk)
        _refresh_version(form, inspection.version)
    context = detail_context(request, inspection, **{form_name: form}, open_form=form_name, stale=stale, **more)
    return render(request, "inspections/detail.html", context, status=409 if stale else 400)


def _back(inspection, anchor: str = ""):
    return redirect(reverse("inspections:detail", args=[inspection.pk]) + (f"#{anchor}" if anchor else ""))


@require_POST
def record_items(request, pk: int):
    inspection = inspection_or_404(request, pk)
    items = list(inspection.checklist.items.all()) if inspection.checklist_id else []
    results = {r.item_id: r for r in inspection.item_results.all()}
    form = ChecklistForm(request.POST, items=items, results=results)
    if not form.is_valid():
        return _failed(request, inspection, "checklist_form", form)
    try:
        inspection = services.inspection_record_items(
            actor=request.user, pk=inspection.pk, version=form.cleaned_data["version"], results=form.results(), ip=client_ip(request)
        )
    except DomainError as exc:
        form.add_domain_error(exc)
        return _failed(request, inspection, "checklist_form", form, exc)
    messages.success(request, f"已保存 {len(form.results())} 项检查结果。")
    return _back(inspection, "complete" if inspection.item_results.count() == len(items) else "checklist")


@require_POST
def upload(request, pk: int):
    inspection = inspection_or_404(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _failed(request, inspection, "attachment_form", form)
    try:
        stored = add_attachments(actor=request.user, files=form.cleaned_data["attachments"], ip=client_ip(request), inspection=inspection)
    except DomainError as exc:
        form.add_domain_error(exc)
        return _failed(request, inspection, "attachment_form", form, exc)
    messages.success(request, f"已上传 {len(stored)} 个附件。")
    return _back(inspection, "attachments")


@require_POST
def complete(request, pk: int):
    inspection = inspection_or_404(request, pk)
    form = CompleteForm(request.POST)
    formset = FreeFindingFormSet(request.POST, prefix="f", form_kwargs={"equipment_qs": _equipment_qs(request, inspection)})
    if not (form.is_valid() & formset.is_valid()):
        return _failed(request, inspection, "complete_form", form, finding_formset=formset)
    data = form.cleaned_data
    free = [
        NewFinding(
            description=f["description"], deadline=f["deadline"], severity=f["severity"], legal_basis=f["legal_basis"],
            equipment=f["equipment"],
        )
        for f in (sub.cleaned_data for sub in formset.forms if sub.has_changed() and sub.cleaned_data)
    ]
    try:
        inspection = services.inspection_complete(
            actor=request.user, pk=inspection.pk, version=data["version"], result=data["result"], summary=data["summary"],
            findings=free, deadline=data["deadline"], ip=client_ip(request),
        )
    except DomainError as exc:
        form.add_domain_error(exc)
        return _failed(request, inspection, "complete_form", form, exc, finding_formset=formset)
    count = inspection.findings.count()
    messages.success(request, f"检查 {inspection.number} 已完成" + (f"，登记问题 {count} 条。" if count else "。"))
    return _back(inspection, "findings" if count else "")


@require_POST
def document_create(request, pk: int):
    inspection = inspection_or_404(request, pk)
    form = DocumentForm(request.POST, inspection=inspection)
    if not form.is_valid():
        return _failed(request, inspection, "document_form", form)
    data = form.cleaned_data
    try:
        document = document_issue(
            actor=request.user, inspection=inspection, kind=data["kind"], findings=list(data["findings"]),
            issued_on=data["issued_on"], deadline=data["deadline"], ip=client_ip(request),
        )
    except DomainError as exc:
        form.add_domain_error(exc)
        return _failed(request, inspection, "document_form", form, exc)
    messages.success(request, f"已下达{document.get_kind_display()}，文号 {document.number}。")
    return _back(inspection, "documents")


@require_POST
def amend(request, pk: int):
    inspection = inspection_or_404(request, pk)
    form = AmendForm(request.POST)
    if not form.is_valid():
        return _failed(request, inspection, "amend_form", form)
    data = form.cleaned_data
    try:
        services.inspection_amend(
            actor=request.user, pk=inspection.pk, version=data["version"], reason=data["reason"],
            changes={name: data[name] for name in AMENDABLE}, ip=client_ip(request),
        )
    except DomainError as exc:
        form.add_domain_error(exc)
        return _failed(request, inspection, "amend_form", form, exc)
    messages.success(request, "已保存更正记录。")
    return _back(inspection, "amendments")


@require_POST
def archive(request, pk: int):
    inspection = inspection_or_404(request, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _failed(request, inspection, "archive_form", form)
    try:
        inspection = services.inspection_transition(
            actor=request.user, pk=inspection.pk, version=form.cleaned_data["version"], status=InspectionStatus.ARCHIVED,
            ip=client_ip(request),
        )
    except DomainError as exc:
        form.add_domain_error(exc)
        return _failed(request, inspection, "archive_form", form, exc)
    messages.success(request, f"检查 {inspection.number} 已归档。")
    return _back(inspection)


@require_POST
def close_task(request, pk: int, task_pk: int):
    """A completed inspection of a device closes the device's open follow-up task."""
    inspection = inspection_or_404(request, pk)
    if not inspection.is_done:
        messages.error(request, "检查完成后才能用它办结跟进任务。")
        return _back(inspection)
    task = selectors.equipment_task_queue(actor=request.user).filter(pk=task_pk, equipment__in=inspection.equipment.all()).first()
    if task is None:
        raise Http404("任务不存在、已办结或与本次检查无关")
    try:
        task_complete(actor=request.user, pk=task.pk, note=f"已检查（{inspection.number}）：{inspection.summary or inspection.get_result_display()}")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已办结设备 {task.equipment.reg_code} 的跟进任务。")
    return _back(inspection)


def attachment_file(request, pk: int):
    """An attachment, only to whoever may see the inspection it belongs to."""
    attachment = Attachment.objects.select_related("report__finding").filter(pk=pk).first()
    if attachment is None:
        raise Http404("附件不存在")
    owner_id = attachment.inspection_id or attachment.report.finding.inspection_id
    if not selectors.inspection_list(actor=request.user).filter(pk=owner_id).exists():
        raise Http404("附件不存在或不在您的辖区范围内")
    return FileResponse(attachment.file.open("rb"), content_type=attachment.content_type, filename=attachment.name)
