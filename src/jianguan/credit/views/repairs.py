"""信用修复 pages: the applications (pending first, by due date), registering one, deciding one."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from jianguan.core.errors import DomainError
from jianguan.core.middleware import client_ip
from jianguan.core.paging import page_number, slice_page

from ..choices import RepairTarget
from ..selectors import lists as selectors
from ..services import repairs as services
from .lists import PAGE_SIZE, _common, _date, _filters


def repair_list(request):
    filters = _filters(request)
    rows, has_next = slice_page(selectors.repair_list(actor=request.user, filters=filters), page_number(request), PAGE_SIZE)
    for row in rows:  # only what the approver must attest for this application (a missing report is checked, not ticked)
        row.attest = [(key, services.REPAIR_CONDITIONS[key]) for key in services.required_conditions(row)]
    return render(request, "credit/repairs.html", {**_common(request, filters), "rows": rows, "has_next": has_next,
                                                   "page_no": page_number(request), "targets": RepairTarget.choices,
                                                   "conditions": services.REPAIR_CONDITIONS, "tab": "repairs"})


@require_POST
def repair_new(request):
    try:
        app = services.repair_apply(actor=request.user, target=request.POST.get("target", ""),
                                    record_id=int(request.POST.get("record_id") or 0),
                                    applied_on=_date(request.POST.get("applied_on"), "applied_on", "申请日期"),
                                    statement=request.POST.get("statement", ""), ip=client_ip(request))
        messages.success(request, f"已登记{app.get_target_display()}申请，应于 {app.due} 前作出决定。")
    except (DomainError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", "记录编号无效"))
    return redirect(request.POST.get("next") if (request.POST.get("next") or "").startswith("/credit/") else reverse("credit:repairs"))


@require_POST
def repair_decide(request, pk: int):
    ip, version = client_ip(request), request.POST.get("version")
    version = int(version) if (version or "").isdigit() else None
    try:
        decided_on = _date(request.POST.get("decided_on"), "decided_on", "决定日期")
        if request.POST.get("action") == "refuse":
            services.repair_refuse(actor=request.user, pk=pk, version=version, decided_on=decided_on,
                                   reason=request.POST.get("refusal_reason", ""), ip=ip)
            messages.success(request, "已作出不予修复决定。")
        else:
            app = services.repair_grant(actor=request.user, pk=pk, version=version, decided_on=decided_on,
                                        approved_by=request.POST.get("approved_by", ""), conditions=request.POST.getlist("conditions"),
                                        ip=ip)
            messages.success(request, f"已准予修复（{app.decision.number}）。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("credit:repairs"))


urlpatterns = [
    path("repairs/", repair_list, name="repairs"),
    path("repairs/new/", repair_new, name="repair_new"),
    path("repairs/<int:pk>/decide/", repair_decide, name="repair_decide"),
]
