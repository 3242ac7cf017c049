"""Inspection pages: the list, the new-inspection form (phone first) and its business look-up."""

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers

from jianguan.businesses import selectors as business_selectors
from jianguan.campaigns import selectors as campaign_selectors
from jianguan.core.errors import DomainError
from jianguan.core.middleware import client_ip
from jianguan.core.paging import parse_int
from jianguan.org.choices import Role

from .. import selectors
from ..choices import InspectionKind, InspectionStatus
from ..forms import InspectionForm
from ..services.inspections import inspection_create
from .common import INSPECTION_STATUS_BADGE, can_edit, page_number, slice_page, stations_for, today

PAGE_SIZE = 30
FILTER_KEYS = ("kind", "status", "campaign", "date_from", "date_to", "q", "station")


def _filters(request) -> tuple[dict, list[str]]:
    filters = {key: value for key in FILTER_KEYS if (value := request.GET.get(key, "").strip())}
    problems = []
    for key, label in (("date_from", "开始日期"), ("date_to", "结束日期")):
        if key in filters:
            try:
                filters[key] = dt.date.fromisoformat(filters[key]).isoformat()
            except ValueError:
                problems.append(f"{label}“{filters.pop(key)}”无法识别，已忽略（请写成 2026-11-25）")
    if filters.get("kind") and filters["kind"] not in InspectionKind.values:
        problems.append("检查类型无效，已忽略")
        filters.pop("kind")
    if filters.get("status") and filters["status"] not in InspectionStatus.values:
        problems.append("状态无效，已忽略")
        filters.pop("status")
    return filters, problems


def inspection_list(request):
    filters, problems = _filters(request)
    qs = selectors.inspection_list(actor=request.user, filters=filters)
    page_no = page_number(request)
    rows, has_next = slice_page(qs.prefetch_related("inspectors"), page_no, PAGE_SIZE)
    for row in rows:
        row.status_badge = INSPECTION_STATUS_BADGE.get(row.status, "")
    context = {
        "rows": rows,
        "has_next": has_next,
        "page_no": page_no,
        "filters": filters,
        "problems": problems,
        # One station's or one campaign's inspections: a cheap count; bureau-wide lists do not count.
        "total": qs.count() if request.user.role == Role.STATION or {"station", "campaign", "q"} & set(filters) else None,
    }
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "inspections/_inspection_rows.html", context)
    else:
        context.update({
            "kinds": InspectionKind.choices,
            "statuses": InspectionStatus.choices,
            "campaigns": campaign_selectors.campaign_list(actor=request.user),
            "stations": stations_for(request.user),
            "can_edit": can_edit(request.user),
        })
        response = render(request, "inspections/list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _task(request, raw: str):
    if (pk := parse_int(raw)) is None:
        return None
    return selectors.equipment_task_queue(actor=request.user).filter(pk=pk).first()


def _initial(request) -> tuple[dict, object]:
    actor = request.user
    initial = {"kind": InspectionKind.ROUTINE, "date": today(), "inspectors": [actor] if actor.cert_no else []}
    if business := request.GET.get("business", "").strip():
        initial["business"] = business
    if code := request.GET.get("campaign", "").strip():
        campaign = selectors.campaigns_with_checklists(actor=actor).filter(code=code).first()
        if campaign is not None:
            initial["campaign"] = campaign
            initial["kind"] = InspectionKind.SPECIAL
            checklist = selectors.campaign_checklist(campaign)
            if checklist is not None and not checklist.disabled_on:
                initial["checklist"] = checklist
    task = _task(request, request.GET.get("task", "").strip())
    if task is not None:
        initial["business"] = task.equipment.operator.uscc
        initial["equipment"] = [task.equipment]
    return initial, task


def inspection_new(request):
    actor = request.user
    task = None
    status = 200
    if request.method == "POST":
        task = _task(request, request.POST.get("task", "").strip())
        form = InspectionForm(request.POST, actor=actor)
        if form.is_valid():
            data = form.cleaned_data
            try:
                inspection = inspection_create(
                    actor=actor, kind=data["kind"], business=data["business"], date=data["date"],
                    inspectors=list(data["inspectors"]), equipment=list(data["equipment"]), checklist=data["checklist"],
                    campaign=data["campaign"], performed_by=data["performed_by"], source="task" if task else "manual",
                    ip=client_ip(request),
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, f"已创建检查 {inspection.number}，请逐项填写检查表。")
                return redirect("inspections:detail", pk=inspection.pk)
        status = 400
    else:
        initial, task = _initial(request)
        form = InspectionForm(initial=initial, actor=actor)
    return render(request, "inspections/new.html", {
        "form": form,
        "task": task,
        "can_edit": can_edit(actor),
        "business_options": _business_options(actor, ""),
    }, status=status)


def _business_options(actor, text: str) -> list:
    text = text.strip()
    if len(text) < 2:
        return []
    return list(business_selectors.business_list(actor=actor, filters={"q": text}).order_by("name")[:20])


def business_lookup(request):
    """htmx: candidates for the business box (a <datalist>) and, out of band, the business's devices
    when the business changed."""
    text = request.GET.get("business", "")
    form = InspectionForm(initial={"business": text.strip()}, actor=request.user)
    found = form.found_business.uscc if form.found_business else ""
    return render(request, "inspections/_business_lookup.html", {
        "business_options": _business_options(request.user, text),
        "form": form,
        # The same business as the devices shown: leave the ticked boxes alone.
        "refresh_equipment": request.GET.get("equipment_for", "") != found,
    })
