"""检查表: the current versions, one checklist's versions, and new versions (departments and administrators)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from jianguan.core.errors import DomainError
from jianguan.core.middleware import client_ip

from ..forms import ChecklistTemplateForm
from ..models import Checklist
from ..services.campaigns import checklist_save
from .common import can_plan


def checklist_list(request):
    latest: dict[str, Checklist] = {}
    for checklist in Checklist.objects.order_by("code", "-version").prefetch_related("items"):
        latest.setdefault(checklist.code, checklist)
    return render(request, "inspections/checklists.html", {"checklists": list(latest.values()), "can_plan": can_plan(request.user)})


def checklist_detail(request, code: str):
    versions = list(Checklist.objects.filter(code=code).order_by("-version").prefetch_related("items"))
    if not versions:
        raise Http404("检查表不存在")
    return render(request, "inspections/checklist.html", {"current": versions[0], "versions": versions, "can_plan": can_plan(request.user)})


def checklist_edit(request, code: str | None = None):
    """No code: a new checklist. With a code: its next version, prefilled with the latest one."""
    latest = Checklist.objects.filter(code=code).order_by("-version").first() if code else None
    if code and latest is None:
        raise Http404("检查表不存在")
    status = 200
    if request.method == "POST":
        form = ChecklistTemplateForm(request.POST, revising=latest is not None, initial=ChecklistTemplateForm.initial_for(latest) if latest else None)
        if form.is_valid():
            data = form.cleaned_data
            if latest is None and Checklist.objects.filter(code=data["code"]).exists():
                form.add_error("code", f"检查表编码“{data['code']}”已存在，请在该检查表页面修订新版本")
            else:
                try:
                    checklist = checklist_save(
                        actor=request.user, code=data["code"], name=data["name"], items=data["items"],
                        applies_to=data["applies_to"], ip=client_ip(request),
                    )
                except DomainError as exc:
                    form.add_domain_error(exc)
                else:
                    messages.success(request, f"已保存“{checklist}”；已开始的检查仍使用原版本。")
                    return redirect("inspections:checklist", code=checklist.code)
        status = 400
    else:
        form = ChecklistTemplateForm(revising=latest is not None, initial=ChecklistTemplateForm.initial_for(latest) if latest else None)
    return render(request, "inspections/checklist_form.html", {"form": form, "latest": latest, "can_plan": can_plan(request.user)}, status=status)
