"""我的任务: a station's open work sorted by due date — devices to follow up (检查并办结),
rectifications to re-check, findings waiting for the operator's report."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jianguan.core.errors import DomainError
from jianguan.core.middleware import client_ip

from .. import selectors
from ..choices import FindingStatus
from ..forms import TaskInspectionForm
from ..rules import clock
from ..services.campaigns import task_complete_by_inspection
from ..services.inspections import NewFinding
from .common import CLOCK_CLASS, can_edit, today, with_clocks

LIMIT = 200
KIND_LABEL = {"task": "设备跟进", "recheck": "待复查", "finding": "待整改"}


def _entries(request, on) -> tuple[list[dict], dict]:
    tasks = list(selectors.equipment_task_queue(actor=request.user)[:LIMIT])
    rechecks = with_clocks(selectors.recheck_queue(actor=request.user)[:LIMIT], on)
    open_findings = with_clocks(
        selectors.finding_list(actor=request.user, filters={"status": FindingStatus.OPEN}).order_by("deadline", "id")[:LIMIT], on
    )
    entries = []
    for task in tasks:
        task_clock = clock(task.due_on, on)
        entries.append({"kind": "task", "due": task.due_on, "clock": task_clock, "clock_class": CLOCK_CLASS[task_clock.state], "task": task})
    for finding in rechecks:
        entries.append({"kind": "recheck", "due": finding.recheck_due, "clock": finding.clock, "clock_class": finding.clock_class, "finding": finding})
    for finding in open_findings:
        entries.append({"kind": "finding", "due": finding.deadline, "clock": finding.clock, "clock_class": finding.clock_class, "finding": finding})
    # Undated re-checks (no calendar yet) first: they need attention, not a place at the end.
    entries.sort(key=lambda e: (e["due"] is not None, e["due"] or on, e["kind"]))
    for entry in entries:
        entry["label"] = KIND_LABEL[entry["kind"]]
    counts = {"task": len(tasks), "recheck": len(rechecks), "finding": len(open_findings)}
    return entries, counts


def work_queue(request, *, failed_task: int | None = None, failed_form=None, status: int = 200):
    on = today()
    entries, counts = _entries(request, on)
    editable = can_edit(request.user)
    for entry in entries:
        if entry["kind"] == "task" and entry["task"].pk == failed_task:
            entry["form"] = failed_form  # shown with the service's message, even to a read-only account
    if editable:
        choices = None
        for entry in entries:
            if entry["kind"] == "task" and entry["task"].pk != failed_task:
                entry["form"] = TaskInspectionForm(
                    actor=request.user, prefix=f"t{entry['task'].pk}", inspector_choices=choices,
                    initial={"date": on, "inspectors": [request.user.pk] if request.user.cert_no else []},
                )
                choices = choices or list(entry["form"].fields["inspectors"].choices)
    return render(request, "inspections/queue.html", {
        "entries": entries,
        "counts": counts,
        "limit": LIMIT,
        "can_edit": editable,
        "failed_task": failed_task,
        "today": on,
    }, status=status)


@require_POST
def task_inspect(request, pk: int):
    task = selectors.equipment_task_queue(actor=request.user).filter(pk=pk).first()
    if task is None:
        raise Http404("任务不存在、已办结或不在您的辖区范围内")
    form = TaskInspectionForm(request.POST, actor=request.user, prefix=f"t{task.pk}")
    if form.is_valid():
        data = form.cleaned_data
        findings = []
        if (data["description"] or "").strip():
            if data["deadline"] is None:
                form.add_error("deadline", "登记了问题，请填写整改期限")
            else:
                findings = [NewFinding(description=data["description"], deadline=data["deadline"], equipment=task.equipment)]
        if form.is_valid():
            try:
                inspection = task_complete_by_inspection(
                    actor=request.user, task_pk=task.pk, date=data["date"], inspectors=list(data["inspectors"]),
                    result=data["result"], summary=data["summary"], findings=findings, deadline=data["deadline"],
                    ip=client_ip(request),
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, f"已检查设备 {task.equipment.reg_code} 并办结任务（检查 {inspection.number}）。")
                return redirect(reverse("inspections:queue"))
    return work_queue(request, failed_task=task.pk, failed_form=form, status=400)
