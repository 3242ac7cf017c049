"""许可证台账 pages: the register (filters, search, paged, its import and export), a licence's page with its
audited history, the create and edit forms (optimistic locking by version) and the 注销/吊销 action. Stations
see and write within their jurisdiction; leadership reads; every write goes through licences.services."""

import os
import tempfile
from pathlib import Path

from auditlog.models import LogEntry
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianguan.businesses.models import Business
from jianguan.core.errors import DomainError, NotFound
from jianguan.core.importing import run_export
from jianguan.core.middleware import client_ip
from jianguan.core.paging import page_number, slice_page
from jianguan.org.choices import Role
from jianguan.org.selectors import scope_label, subdistricts_in_scope

from . import selectors, services
from .choices import Domain, LicenceStatus
from .forms import EndForm, LicenceForm
from .models import Licence, LicenceKind, Sector
from .resources import LICENCE_LEDGER
from .rules import state_on

PAGE_SIZE = 50
HISTORY_LIMIT = 200
STATE_TONE = {LicenceStatus.VALID: "active", LicenceStatus.EXPIRED: "danger", LicenceStatus.CANCELLED: "revoked",
              LicenceStatus.REVOKED: "revoked", "pending": ""}
STATE_LABEL = {**dict(LicenceStatus.choices), "pending": "未生效"}


def can_edit(user) -> bool:
    """Leadership accounts are read-only (the services refuse them too); everyone else writes in scope."""
    return user.is_authenticated and user.role != Role.LEADERSHIP


def _status_of(exc: DomainError) -> int:
    return exc.status if exc.status in (400, 403, 404, 409) else 400


def _licence_or_404(request, pk: int) -> Licence:
    try:
        return selectors.licence_get(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _decorate(licence: Licence, on) -> Licence:
    state = state_on(issued_on=licence.issued_on, valid_until=licence.valid_until, status=licence.status,
                     status_date=licence.status_date, on=on)
    licence.state, licence.state_label, licence.state_tone = state, STATE_LABEL[state], STATE_TONE[state]
    return licence


# ---------------------------------------------------------------- the register


def _filters(request, subdistricts) -> tuple[dict, list[str]]:
    """The list's filters from the query string; a value that means nothing is said and left out."""
    get = lambda key: request.GET.get(key, "").strip()  # noqa: E731
    filters, problems = {}, []
    allowed = {
        "kind": ("许可种类", set(LicenceKind.objects.values_list("code", flat=True))),
        "sector": ("主体业态", set(Sector.objects.values_list("code", flat=True))),
        "domain": ("领域", set(Domain.values)),
        "status": ("状态", set(LicenceStatus.values)),
        "expiry": ("到期", set(selectors.EXPIRY_FILTERS)),
        "station": ("监管所", {s.station.code for s in subdistricts}),
        "subdistrict": ("街道", {s.code for s in subdistricts}),
    }
    for key, (label, values) in allowed.items():
        if value := get(key):
            if value in values:
                filters[key] = value
            else:
                problems.append(f"{label}“{value[:20]}”无效，已忽略")
    if holder := get("holder"):
        filters["holder"] = holder[:18]
    if q := get("q"):
        filters["q"] = q[:100]
    return filters, problems


def licence_list(request):
    on = timezone.localdate()
    subdistricts = list(subdistricts_in_scope(actor=request.user).order_by("station__code", "code"))
    filters, problems = _filters(request, subdistricts)
    qs = selectors.licence_list(actor=request.user, filters=filters, on=on)
    page_no = page_number(request)
    rows, has_next = slice_page(qs, page_no, PAGE_SIZE)
    stations = {s.station.code: s.station for s in subdistricts}
    days = selectors.warning_days(on)
    return render(request, "licences/list.html", {
        "rows": [_decorate(lic, on) for lic in rows], "has_next": has_next, "page_no": page_no,
        "filters": filters, "problems": problems, "today": on, "days": days,
        "kinds": LicenceKind.objects.order_by("order", "code"), "sectors": Sector.objects.order_by("order", "code"),
        "domains": Domain.choices, "statuses": LicenceStatus.choices,
        "expiries": [(k, f"{v}（{days}天）") for k, v in selectors.EXPIRY_FILTERS.items()],
        "stations": list(stations.values()) if request.user.role != Role.STATION else [],
        "subdistricts": subdistricts, "scope_label": scope_label(request.user), "can_edit": can_edit(request.user),
        "can_import": can_edit(request.user) or request.user.is_superuser,
    })


def licence_export(request):
    """The register as its import reads it (same headers, every licence in the user's jurisdiction)."""
    fd, name = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    path_ = Path(name)
    try:
        run_export(LICENCE_LEDGER, path_, actor=request.user)
        handle = path_.open("rb")
    finally:
        path_.unlink(missing_ok=True)  # the open handle keeps the data until the response is sent
    return FileResponse(handle, as_attachment=True, filename=f"许可证台账_{timezone.localdate():%Y%m%d}.xlsx")


# ---------------------------------------------------------------- a licence


def _display(field, raw, refs: dict) -> str:
    if raw in (None, "None", ""):
        return "（空）"
    if field is None:
        return str(raw)
    if field.choices:
        return str(dict(field.choices).get(raw, raw))
    if field.is_relation and field.name in refs:
        return refs[field.name].get(str(raw), f"#{raw}")
    return str(raw)


def licence_history(licence: Licence) -> list[dict]:
    """Who created and changed the licence, when, from where, each field before → after, newest first."""
    entries = list(LogEntry.objects.get_for_object(licence).select_related("actor").order_by("-timestamp", "-pk")[:HISTORY_LIMIT])
    fields = {f.name: f for f in Licence._meta.get_fields() if hasattr(f, "verbose_name")}
    wanted = {"kind": set(), "sector": set(), "business": set()}
    for entry in entries:
        for name, ids in wanted.items():
            ids.update(str(v) for v in (entry.changes_dict or {}).get(name, []) if str(v).isdigit())
    refs = {
        "kind": {str(pk): n for pk, n in LicenceKind.objects.filter(pk__in=wanted["kind"]).values_list("pk", "name")},
        "sector": {str(pk): n for pk, n in Sector.objects.filter(pk__in=wanted["sector"]).values_list("pk", "name")},
        "business": {str(pk): f"{n}（{u}）" for pk, n, u in
                     Business.objects.filter(pk__in=wanted["business"]).values_list("pk", "name", "uscc")},
    }
    titles = {LogEntry.Action.CREATE: "登记", LogEntry.Action.UPDATE: "修改", LogEntry.Action.DELETE: "删除"}
    events = []
    for entry in entries:
        changes = []
        if entry.action == LogEntry.Action.UPDATE:
            for name, values in (entry.changes_dict or {}).items():
                field = fields.get(name)
                before, after = (list(values) + [None, None])[:2]
                changes.append({"label": str(field.verbose_name) if field else name,
                                "before": _display(field, before, refs), "after": _display(field, after, refs)})
        events.append({"at": entry.timestamp, "title": titles.get(entry.action, "访问记录"), "actor": entry.actor or "系统",
                       "ip": entry.remote_addr, "changes": changes, "audit": True})
    return events


def licence_detail(request, pk: int):
    licence = _decorate(_licence_or_404(request, pk), timezone.localdate())
    editable = can_edit(request.user) and licence.status not in (LicenceStatus.CANCELLED, LicenceStatus.REVOKED)
    end_form = EndForm(initial={"status": LicenceStatus.CANCELLED, "status_date": timezone.localdate(), "version": licence.version})
    return render(request, "licences/detail.html", {
        "licence": licence, "timeline": licence_history(licence), "can_edit": can_edit(request.user),
        "can_end": editable, "end_form": end_form, "today": timezone.localdate(),
    })


# ---------------------------------------------------------------- writes


def _require_editor(request) -> None:
    if not can_edit(request.user):
        raise PermissionDenied("局领导账号只读，不能录入或修改许可证")


def _write_error(form, exc: DomainError) -> None:
    if exc.code == "permission_denied" and "uscc" in form.fields:
        form.add_error("uscc", exc.message)  # a station naming a holder outside its jurisdiction
    else:
        form.add_domain_error(exc)


def licence_new(request):
    _require_editor(request)
    initial = {"uscc": request.GET.get("holder", "").strip()[:18]}
    form = LicenceForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                licence = services.licence_save(actor=request.user, ip=client_ip(request), **form.service_kwargs())
            except DomainError as exc:
                _write_error(form, exc)
                status = _status_of(exc)
            else:
                messages.success(request, f"已登记许可证 {licence.number}。")
                return redirect("licences:detail", pk=licence.pk)
        else:
            status = 400
    return render(request, "licences/form.html", {"form": form, "licence": None}, status=status)


def licence_edit(request, pk: int):
    _require_editor(request)
    licence = _licence_or_404(request, pk)
    initial = {
        "number": licence.number, "kind": licence.kind.code, "uscc": licence.business.uscc,
        "sector": licence.sector.code if licence.sector else "", "items": licence.items, "issued_on": licence.issued_on,
        "valid_until": licence.valid_until, "version": licence.version,
    }
    current = (licence.kind.code, licence.sector.code if licence.sector else None)
    form = LicenceForm(request.POST or None, initial=initial, editing=True, current=current)
    stale, status = False, 200
    if request.method == "POST":
        if form.is_valid():
            try:
                licence = services.licence_save(actor=request.user, ip=client_ip(request), pk=licence.pk,
                                                version=form.cleaned_data["version"], **form.service_kwargs())
            except DomainError as exc:
                stale = exc.code == "concurrent_edit"
                _write_error(form, exc)
                status = _status_of(exc)
            else:
                messages.success(request, f"已保存许可证 {licence.number} 的修改。")
                return redirect("licences:detail", pk=licence.pk)
        else:
            status = 400
    return render(request, "licences/form.html", {"form": form, "licence": licence, "stale": stale}, status=status)


@require_POST
def licence_end(request, pk: int):
    """注销 or 吊销 on a date; a refusal is said on the licence's page, where the form is."""
    _require_editor(request)
    licence = _licence_or_404(request, pk)
    form = EndForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            licence = services.licence_end(actor=request.user, ip=client_ip(request), pk=licence.pk, status=data["status"],
                                           on=data["status_date"], version=data["version"])
        except DomainError as exc:
            form.add_domain_error(exc)
            status = _status_of(exc)
        else:
            messages.success(request, f"许可证 {licence.number} 已于 {licence.status_date:%Y-%m-%d} {licence.get_status_display()}。")
            return redirect("licences:detail", pk=licence.pk)
    licence = _decorate(licence, timezone.localdate())
    return render(request, "licences/detail.html", {
        "licence": licence, "timeline": licence_history(licence), "can_edit": True, "can_end": True, "end_form": form,
        "today": timezone.localdate(),
    }, status=status)


urlpatterns = [
    path("", licence_list, name="list"),
    path("export/", licence_export, name="export"),
    path("new/", licence_new, name="new"),
    path("<int:pk>/", licence_detail, name="detail"),
    path("<int:pk>/edit/", licence_edit, name="edit"),
    path("<int:pk>/end/", licence_end, name="end"),
]
