"""Business registry pages: list with htmx search, detail with timeline, create and edit forms."""

import datetime as dt

from auditlog.models import LogEntry
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from jianguan.core.errors import DomainError, NotFound
from jianguan.core.middleware import client_ip
from jianguan.core.paging import keyset_page
from jianguan.core.panels import business_page_panels
from jianguan.org.choices import Role
from jianguan.org.models import Subdistrict
from jianguan.org.selectors import subdistricts_in_scope

from . import selectors, services
from .choices import UNCLASSIFIED_LABEL, CreditRiskClass, EntityType, RegStatus
from .forms import BusinessForm
from .models import Business

PAGE_SIZE = 50
FILTER_KEYS = ("q", "entity_type", "reg_status", "credit_risk_class", "station", "subdistrict")
HISTORY_LIMIT = 200


def can_edit(user) -> bool:
    """Leadership accounts are read-only (services refuse them too); everyone else edits in scope."""
    return user.is_authenticated and user.role != Role.LEADERSHIP


def _get_or_404(request, pk: int) -> Business:
    try:
        return selectors.business_get(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


# ---------------------------------------------------------------- list


def _filter_options(actor) -> dict:
    subdistricts = list(subdistricts_in_scope(actor=actor).order_by("station__code", "code"))
    stations, groups = {}, {}
    for sub in subdistricts:
        stations.setdefault(sub.station.code, sub.station)
        groups.setdefault(sub.station.name, []).append(sub)
    return {
        "entity_types": EntityType.choices,
        "reg_statuses": RegStatus.choices,
        "credit_classes": [*CreditRiskClass.choices, ("-", UNCLASSIFIED_LABEL)],
        "stations": list(stations.values()),
        "subdistrict_groups": list(groups.items()),
    }


def _page(qs, after: str, before: str) -> dict:
    return keyset_page(qs, "uscc", after, before, PAGE_SIZE)


def business_list(request):
    filters = {key: value for key in FILTER_KEYS if (value := request.GET.get(key, "").strip())}
    qs = selectors.business_list(actor=request.user, filters=filters)
    context = {
        "page": _page(qs, request.GET.get("after", "").strip(), request.GET.get("before", "").strip()),
        "filters": filters,
        "can_edit": can_edit(request.user),
    }
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "businesses/_rows.html", context)
    else:
        context.update(_filter_options(request.user))
        response = render(request, "businesses/list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# ---------------------------------------------------------------- detail and timeline


def _display(field, raw, subdistricts: dict) -> str:
    if raw in (None, "None", ""):
        return "（空）"
    if field is None:
        return str(raw)
    if field.choices:
        return str(dict(field.choices).get(raw, raw))
    if field.name == "subdistrict":
        sub = subdistricts.get(str(raw))
        return sub.name if sub else f"街道#{raw}"
    return str(raw)


AUDIT_TITLES = {
    Business: {LogEntry.Action.CREATE: "登记入库", LogEntry.Action.UPDATE: "修改信息", LogEntry.Action.DELETE: "删除记录"},
}


def _audit_events(business: Business) -> list[dict]:
    """The auditlog rows of the business: who, when, which fields before → after (a licence's own history is on
    the licence's page)."""
    entries = list(
        LogEntry.objects.get_for_object(business).select_related("actor").order_by("-timestamp", "-pk")[:HISTORY_LIMIT]
    )
    sub_ids = {
        str(v)
        for e in entries
        for v in (e.changes_dict or {}).get("subdistrict", [])
        if v not in (None, "None", "")
    }
    subdistricts = {str(s.pk): s for s in Subdistrict.objects.filter(pk__in=[i for i in sub_ids if i.isdigit()])}
    events = []
    for entry in entries:
        model = Business
        fields = {f.name: f for f in model._meta.get_fields() if hasattr(f, "verbose_name")}
        changes = []
        if entry.action == LogEntry.Action.UPDATE:
            for name, values in (entry.changes_dict or {}).items():
                field = fields.get(name)
                before, after = (list(values) + [None, None])[:2]
                changes.append(
                    {
                        "label": str(field.verbose_name) if field else name,
                        "before": _display(field, before, subdistricts),
                        "after": _display(field, after, subdistricts),
                    }
                )
        title = AUDIT_TITLES[model].get(entry.action, "访问记录")
        events.append(
            {
                "at": entry.timestamp,
                "sort": entry.timestamp,
                "title": title,
                "actor": entry.actor or "系统",
                "ip": entry.remote_addr,
                "changes": changes,
                "audit": True,
            }
        )
    return events


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def business_timeline(business: Business) -> list[dict]:
    """成立, the current status change, and the audit history, newest first."""
    events = [
        {"at": business.established_on, "sort": _day_start(business.established_on), "title": "成立", "milestone": True}
    ]
    if business.reg_status != RegStatus.ACTIVE and business.status_date:
        events.append(
            {
                "at": business.status_date,
                "sort": _day_start(business.status_date),
                "title": f"登记状态变更为“{business.get_reg_status_display()}”",
                "milestone": True,
            }
        )
    events.extend(_audit_events(business))
    events.sort(key=lambda e: e["sort"], reverse=True)
    return events


def business_detail(request, pk: int):
    """一户一档: the record, then a panel from each app that keeps something about the business
    (registered in that app's panels.py, scoped to the actor — the licences among them), then the timeline."""
    business = _get_or_404(request, pk)
    on = timezone.localdate()
    context = {
        "business": business,
        "panels": business_page_panels(actor=request.user, business=business, on=on),
        "timeline": business_timeline(business),
        "can_edit": can_edit(request.user),
        "today": on,
    }
    return render(request, "businesses/detail.html", context)


# ---------------------------------------------------------------- create and edit


def _require_editor(request) -> None:
    if not can_edit(request.user):
        raise PermissionDenied("局领导账号只读，不能登记或修改市场主体")


def business_create(request):
    _require_editor(request)
    form = BusinessForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            business = services.business_create(actor=request.user, ip=client_ip(request), **form.service_kwargs())
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已登记市场主体“{business.name}”。")
            return redirect("businesses:detail", pk=business.pk)
    return render(request, "businesses/form.html", {"form": form, "business": None})


def business_edit(request, pk: int):
    _require_editor(request)
    business = _get_or_404(request, pk)
    initial = {
        "name": business.name,
        "entity_type": business.entity_type,
        "legal_rep": business.legal_rep,
        "address": business.address,
        "subdistrict": business.subdistrict_id,
        "industry_code": business.industry_code,
        "established_on": business.established_on,
        "reg_status": business.reg_status,
        "status_date": business.status_date,
        "credit_risk_class": business.credit_risk_class,
        "credit_risk_class_on": business.credit_risk_class_on,
        "version": business.version,
    }
    form = BusinessForm(request.POST or None, initial=initial, actor=request.user, editing=True)
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            business = services.business_update(
                actor=request.user, ip=client_ip(request), pk=business.pk, **form.service_kwargs()
            )
        except DomainError as exc:
            stale = exc.code == "concurrent_edit"
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已保存“{business.name}”的修改。")
            return redirect("businesses:detail", pk=business.pk)
    return render(request, "businesses/form.html", {"form": form, "business": business, "stale": stale})
